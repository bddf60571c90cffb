package org.sessionbridge.config.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.config.feeds.FeedGenerations;
import org.sessionbridge.core.error.NotFoundException;
import org.sessionbridge.core.meeting.MeetingStore;
import org.sessionbridge.core.policy.TelehealthCompliance;
import org.sessionbridge.core.practice.CompliancePolicies;
import org.sessionbridge.core.practice.CompliancePolicy;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.core.practice.Staff;
import org.sessionbridge.core.practice.StaffRole;
import org.sessionbridge.core.practice.TelehealthAudit;
import org.sessionbridge.core.practice.TelehealthRoles;
import org.sessionbridge.core.practice.VideoPlatform;
import org.sessionbridge.core.practice.VideoService;
import org.sessionbridge.core.practice.VideoServiceSpec;
import org.sessionbridge.core.practice.VideoServices;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Telehealth governance of the calling practice: providers' video services, the telehealth role,
 * and the compliance policy. Granting or revoking the role and changing the policy take the acting
 * staff member in {@code X-Acting-Staff} (an OWNER or MANAGER); see docs/TELEHEALTH-POLICY.md.
 */
@RestController
@RequestMapping("/api/v1")
final class TelehealthApi {

  static final String ACTOR = TelehealthRoles.ACTOR_FIELD;

  private final PracticeStore practices;
  private final VideoServices services;
  private final TelehealthRoles roles;
  private final CompliancePolicies policies;
  private final TelehealthAudit audit;
  private final FeedGenerations generations;
  private final MeetingStore meetings;

  TelehealthApi(
      PracticeStore practices,
      VideoServices services,
      TelehealthRoles roles,
      CompliancePolicies policies,
      TelehealthAudit audit,
      FeedGenerations generations,
      MeetingStore meetings) {
    this.practices = practices;
    this.services = services;
    this.roles = roles;
    this.policies = policies;
    this.audit = audit;
    this.generations = generations;
    this.meetings = meetings;
  }

  /**
   * A new video service, or the changes to one (PATCH: absent fields stay, {@code ""} clears an
   * optional one).
   *
   * @param joinInstructions the client wording under its earlier name (same as clientInstructions)
   * @param hostAccount for ZOOM (and TEAMS): the provider's account there when it is not their
   *     e-mail, e.g. a Zoom user id
   */
  record VideoServiceBody(
      @Nullable String platform,
      @Nullable String url,
      @Nullable String skypeId,
      @Nullable String phone,
      @Nullable String joinInstructions,
      @Nullable String clientInstructions,
      @Nullable String providerInstructions,
      @Nullable Boolean isDefault,
      @Nullable String hostAccount) {}

  record ViolationView(
      @Nullable UUID providerId,
      @Nullable UUID serviceId,
      @Nullable VideoPlatform platform,
      String rule,
      String reason) {
    static ViolationView of(TelehealthCompliance.Violation v) {
      return new ViolationView(v.providerId(), v.serviceId(), v.platform(), v.rule(), v.reason());
    }
  }

  /**
   * A provider's service; {@code compliant} false (with {@code violations}) when the practice's
   * current policy does not allow it: sessions cannot be booked on it until it is fixed.
   */
  record VideoServiceView(
      UUID id,
      VideoPlatform platform,
      @Nullable String url,
      @Nullable String skypeId,
      @Nullable String phone,
      @Nullable String joinInstructions,
      @Nullable String clientInstructions,
      @Nullable String providerInstructions,
      boolean isDefault,
      @Nullable String hostAccount,
      VideoPlatform.WaitingRoom waitingRoom,
      boolean compliant,
      List<ViolationView> violations,
      String createdAt,
      String updatedAt) {
    static VideoServiceView of(VideoServices.Checked c) {
      VideoService v = c.service();
      return new VideoServiceView(
          v.id(),
          v.platform(),
          v.url(),
          v.skypeId(),
          v.phone(),
          v.joinInstructions(),
          v.clientInstructions(),
          v.providerInstructions(),
          v.isDefault(),
          v.hostAccount(),
          v.platform().waitingRoom(),
          c.violations().isEmpty(),
          c.violations().stream().map(ViolationView::of).toList(),
          v.createdAt().toString(),
          v.updatedAt().toString());
    }
  }

  record RoleView(UUID providerId, StaffRole role, boolean telehealthEnabled, boolean changed) {}

  record AuditView(
      long id,
      UUID actorId,
      @Nullable UUID targetId,
      TelehealthAudit.Action action,
      @Nullable String detail,
      String at) {
    static AuditView of(TelehealthAudit.Entry e) {
      return new AuditView(
          e.id(), e.actorId(), e.targetId(), e.action(), e.detail(), e.at().toString());
    }
  }

  record PolicyBody(
      @Nullable Boolean httpsLinksOnly,
      @Nullable Boolean baaPlatformsOnly,
      @Nullable Boolean waitingRoomRequired,
      @Nullable Boolean refuseAppleOnly,
      @Nullable List<String> baaCoveredPlatforms) {}

  /** What the policy makes of one platform, so a practice can see why a platform is refused. */
  record PlatformView(
      VideoPlatform platform,
      VideoPlatform.Contact contact,
      VideoPlatform.WaitingRoom waitingRoom,
      boolean baaCapable,
      boolean baaCovered,
      boolean appleOnly,
      boolean allowed) {}

  record PolicyView(
      boolean httpsLinksOnly,
      boolean baaPlatformsOnly,
      boolean waitingRoomRequired,
      boolean refuseAppleOnly,
      Set<VideoPlatform> baaCoveredPlatforms,
      String updatedAt,
      @Nullable UUID updatedBy,
      List<PlatformView> platforms,
      List<ViolationView> violations) {}

  // ---- video services ----

  @PostMapping("/providers/{id}/video-services")
  @Tag(name = "Providers")
  @Operation(
      summary = "Offer a video service",
      description =
          "platform ZOOM or TEAMS (meetings made by the hub), or a link service with its contact:"
              + " url (https) for DOXY, VSEE, ZOOM_PERSONAL_LINK, GOOGLE_MEET; skypeId for SKYPE;"
              + " phone (E.164) for WHATSAPP, FACETIME. One service per platform (409). The"
              + " practice's compliance policy is checked (422 naming platform or url).")
  ResponseEntity<VideoServiceView> add(
      Caller.PracticeMember caller, @PathVariable UUID id, @RequestBody VideoServiceBody body) {
    requireProvider(caller, id);
    FieldCheck check = new FieldCheck();
    VideoPlatform platform = check.oneOf("platform", body.platform(), VideoPlatform.class, true);
    String url = check.text("url", body.url(), 2048, false);
    String skypeId = check.text("skypeId", body.skypeId(), 64, false);
    String phone = check.text("phone", body.phone(), 16, false);
    String client = clientInstructions(check, body);
    String provider = check.text("providerInstructions", body.providerInstructions(), 2000, false);
    String hostAccount = check.text("hostAccount", body.hostAccount(), 200, false);
    check.done();
    VideoService service =
        services.add(
            caller.practiceId(),
            id,
            new VideoServiceSpec(
                Objects.requireNonNull(platform),
                url,
                skypeId,
                phone,
                client,
                provider,
                hostAccount,
                Boolean.TRUE.equals(body.isDefault())));
    changed(caller, id, platform);
    return ResponseEntity.created(
            URI.create("/api/v1/providers/" + id + "/video-services/" + service.id()))
        .body(VideoServiceView.of(services.get(caller.practiceId(), id, service.id())));
  }

  @GetMapping("/providers/{id}/video-services")
  @Tag(name = "Providers")
  @Operation(summary = "The provider's video services, each with whether the policy allows it")
  List<VideoServiceView> list(Caller.PracticeMember caller, @PathVariable UUID id) {
    requireProvider(caller, id);
    return services.list(caller.practiceId(), id).stream().map(VideoServiceView::of).toList();
  }

  @GetMapping("/providers/{id}/video-services/{serviceId}")
  @Tag(name = "Providers")
  VideoServiceView get(
      Caller.PracticeMember caller, @PathVariable UUID id, @PathVariable UUID serviceId) {
    requireProvider(caller, id);
    return VideoServiceView.of(services.get(caller.practiceId(), id, serviceId));
  }

  @PatchMapping("/providers/{id}/video-services/{serviceId}")
  @Tag(name = "Providers")
  @Operation(
      summary = "Change a video service",
      description =
          "Send only what changes; \"\" clears an optional field. isDefault: true makes it the"
              + " provider's only default; the default cannot be unset (422). The platform cannot"
              + " change.")
  VideoServiceView update(
      Caller.PracticeMember caller,
      @PathVariable UUID id,
      @PathVariable UUID serviceId,
      @RequestBody VideoServiceBody body) {
    requireProvider(caller, id);
    FieldCheck check = new FieldCheck();
    VideoPlatform platform = check.oneOf("platform", body.platform(), VideoPlatform.class, false);
    String url = check.text("url", body.url(), 2048, false);
    String skypeId = check.text("skypeId", body.skypeId(), 64, false);
    String phone = check.text("phone", body.phone(), 16, false);
    String client = clientInstructions(check, body);
    String provider = check.text("providerInstructions", body.providerInstructions(), 2000, false);
    String hostAccount = check.text("hostAccount", body.hostAccount(), 200, false);
    check.done();
    VideoService after =
        services.update(
            caller.practiceId(),
            id,
            serviceId,
            s -> {
              if (platform != null && platform != s.platform()) {
                throw org.sessionbridge.core.error.InvalidInputException.malformed(
                    "platform",
                    "cannot change; add a service of the new platform and delete this one");
              }
              String clientWording =
                  body.clientInstructions() != null
                      ? body.clientInstructions()
                      : body.joinInstructions();
              return new VideoService(
                  s.id(),
                  s.providerId(),
                  s.platform(),
                  pick(body.url(), url, s.url()),
                  pick(clientWording, client, s.joinInstructions()),
                  body.isDefault() != null ? body.isDefault() : s.isDefault(),
                  s.createdAt(),
                  pick(body.hostAccount(), hostAccount, s.hostAccount()),
                  pick(body.skypeId(), skypeId, s.skypeId()),
                  pick(body.phone(), phone, s.phone()),
                  pick(body.providerInstructions(), provider, s.providerInstructions()),
                  s.updatedAt());
            });
    changed(caller, id, after.platform());
    return VideoServiceView.of(services.get(caller.practiceId(), id, serviceId));
  }

  @DeleteMapping("/providers/{id}/video-services/{serviceId}")
  @Tag(name = "Providers")
  @Operation(
      summary = "Stop offering a video service",
      description =
          "204. Deleting the default makes the oldest remaining service the default; the last one"
              + " can be deleted. 409 while upcoming sessions or the provider's working hours use"
              + " it; 422 when the provider would be left with only FaceTime (refuseAppleOnly).")
  ResponseEntity<Void> delete(
      Caller.PracticeMember caller, @PathVariable UUID id, @PathVariable UUID serviceId) {
    requireProvider(caller, id);
    services.delete(caller.practiceId(), id, serviceId);
    generations.bump(id);
    return ResponseEntity.noContent().build();
  }

  // ---- telehealth role ----

  @PostMapping("/providers/{id}/telehealth-role")
  @Tag(name = "Providers")
  @Operation(
      summary = "Grant the telehealth role (X-Acting-Staff: an OWNER or MANAGER)",
      description =
          "Only staff holding the role can have telehealth sessions booked. Audited; granting"
              + " again answers changed: false (and is audited too). 403 naming X-Acting-Staff"
              + " when the actor is a PROVIDER, 422 when no staff member has that id.")
  RoleView grant(
      Caller.PracticeMember caller,
      @PathVariable UUID id,
      @RequestHeader(name = ACTOR, required = false) @Nullable String actor) {
    TelehealthRoles.RoleChange change =
        roles.grant(caller.practiceId(), actor(actor), requireProvider(caller, id).id());
    return roleView(change);
  }

  @DeleteMapping("/providers/{id}/telehealth-role")
  @Tag(name = "Providers")
  @Operation(
      summary = "Revoke the telehealth role (X-Acting-Staff: an OWNER or MANAGER)",
      description =
          "Sessions already booked stay; new telehealth bookings and changes of time, modality or"
              + " platform of the provider's telehealth sessions are refused (422 providerId).")
  RoleView revoke(
      Caller.PracticeMember caller,
      @PathVariable UUID id,
      @RequestHeader(name = ACTOR, required = false) @Nullable String actor) {
    TelehealthRoles.RoleChange change =
        roles.revoke(caller.practiceId(), actor(actor), requireProvider(caller, id).id());
    return roleView(change);
  }

  @GetMapping("/providers/{id}/telehealth-role/audit")
  @Tag(name = "Providers")
  @Operation(summary = "Every grant and revoke of the provider's telehealth role, oldest first")
  List<AuditView> roleAudit(Caller.PracticeMember caller, @PathVariable UUID id) {
    requireProvider(caller, id);
    return audit.roleChanges(caller.practiceId(), id).stream().map(AuditView::of).toList();
  }

  // ---- compliance policy ----

  @GetMapping("/practice/compliance")
  @Tag(name = "Practices")
  @Operation(
      summary = "The practice's telehealth compliance policy",
      description =
          "With what it makes of each platform and the configured services it does not allow.")
  PolicyView policy(Caller.PracticeMember caller) {
    return policyView(caller.practiceId(), policies.current(caller.practiceId()));
  }

  @PutMapping("/practice/compliance")
  @Tag(name = "Practices")
  @Operation(
      summary = "Replace the compliance policy (X-Acting-Staff: an OWNER or MANAGER)",
      description =
          "httpsLinksOnly, baaPlatformsOnly, waitingRoomRequired, refuseAppleOnly are required;"
              + " baaCoveredPlatforms defaults to every BAA-capable platform. Audited. A stricter"
              + " policy is accepted even when configured services break it: they are listed in"
              + " violations and cannot be booked until fixed.")
  PolicyView changePolicy(
      Caller.PracticeMember caller,
      @RequestHeader(name = ACTOR, required = false) @Nullable String actor,
      @RequestBody PolicyBody body) {
    FieldCheck check = new FieldCheck();
    UUID actorId = check.uuid(ACTOR, actor, true);
    required(check, "httpsLinksOnly", body.httpsLinksOnly());
    required(check, "baaPlatformsOnly", body.baaPlatformsOnly());
    required(check, "waitingRoomRequired", body.waitingRoomRequired());
    required(check, "refuseAppleOnly", body.refuseAppleOnly());
    Set<VideoPlatform> covered = VideoPlatform.baaCapablePlatforms();
    if (body.baaCoveredPlatforms() != null) {
      covered = EnumSet.noneOf(VideoPlatform.class);
      List<String> names = body.baaCoveredPlatforms();
      for (int i = 0; i < names.size(); i++) {
        VideoPlatform p =
            check.oneOf("baaCoveredPlatforms[" + i + "]", names.get(i), VideoPlatform.class, true);
        if (p != null) {
          covered.add(p);
        }
      }
    }
    check.done();
    CompliancePolicy policy =
        new CompliancePolicy(
            Boolean.TRUE.equals(body.httpsLinksOnly()),
            Boolean.TRUE.equals(body.baaPlatformsOnly()),
            Boolean.TRUE.equals(body.waitingRoomRequired()),
            Boolean.TRUE.equals(body.refuseAppleOnly()),
            covered);
    CompliancePolicies.Outcome outcome =
        policies.change(caller.practiceId(), Objects.requireNonNull(actorId), policy);
    return policyView(caller.practiceId(), outcome);
  }

  @GetMapping("/practice/compliance/audit")
  @Tag(name = "Practices")
  @Operation(summary = "Every change of the compliance policy, oldest first")
  List<AuditView> policyAudit(Caller.PracticeMember caller) {
    return audit.policyChanges(caller.practiceId()).stream().map(AuditView::of).toList();
  }

  // ---- helpers ----

  private PolicyView policyView(UUID practiceId, CompliancePolicies.Outcome outcome) {
    CompliancePolicy p = outcome.policy();
    PracticeStore.PolicyChange change = practices.compliancePolicyChange(practiceId);
    List<PlatformView> platforms = new ArrayList<>();
    for (VideoPlatform v : VideoPlatform.values()) {
      platforms.add(
          new PlatformView(
              v,
              v.contact(),
              v.waitingRoom(),
              v.baaCapable(),
              p.baaCoveredPlatforms().contains(v),
              v.appleOnly(),
              TelehealthCompliance.breaches(p, v, null).isEmpty()));
    }
    return new PolicyView(
        p.httpsLinksOnly(),
        p.baaPlatformsOnly(),
        p.waitingRoomRequired(),
        p.refuseAppleOnly(),
        p.baaCoveredPlatforms(),
        change.at().toString(),
        change.by(),
        platforms,
        outcome.violations().stream().map(ViolationView::of).toList());
  }

  private static RoleView roleView(TelehealthRoles.RoleChange change) {
    Staff s = change.staff();
    return new RoleView(s.id(), s.role(), s.telehealthEnabled(), change.changed());
  }

  private static UUID actor(@Nullable String header) {
    FieldCheck check = new FieldCheck();
    UUID id = check.uuid(ACTOR, header, true);
    check.done();
    return Objects.requireNonNull(id);
  }

  private static void required(FieldCheck check, String field, @Nullable Boolean value) {
    if (value == null) {
      check.problem(field, "is required (true or false)");
    }
  }

  /** The client wording, sent as clientInstructions or under its earlier name joinInstructions. */
  private static @Nullable String clientInstructions(FieldCheck check, VideoServiceBody body) {
    String client = check.text("clientInstructions", body.clientInstructions(), 2000, false);
    String legacy = check.text("joinInstructions", body.joinInstructions(), 2000, false);
    if (client != null && legacy != null && !client.equals(legacy)) {
      check.problem(
          "clientInstructions",
          "joinInstructions is the same field under its earlier name; send one of them");
    }
    return client != null ? client : legacy;
  }

  /** PATCH: absent keeps {@code current}, blank clears, otherwise the checked value. */
  private static @Nullable String pick(
      @Nullable String sent, @Nullable String checked, @Nullable String current) {
    if (sent == null) {
      return current;
    }
    return sent.isBlank() ? null : checked;
  }

  private void changed(Caller.PracticeMember caller, UUID providerId, VideoPlatform platform) {
    if (platform.hubManaged()) {
      // Meetings refused for want of a host account may work now.
      meetings.resume(caller.practiceId(), platform);
    }
    generations.bump(providerId); // the provider's feeds carry this service's link and instructions
  }

  private Staff requireProvider(Caller.PracticeMember caller, UUID id) {
    return practices
        .staff(caller.practiceId(), id)
        .orElseThrow(() -> new NotFoundException("provider"));
  }
}
