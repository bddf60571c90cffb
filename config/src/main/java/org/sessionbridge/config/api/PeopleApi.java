package org.sessionbridge.config.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.config.feeds.FeedGenerations;
import org.sessionbridge.core.error.NotFoundException;
import org.sessionbridge.core.meeting.MeetingStore;
import org.sessionbridge.core.practice.Client;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.core.practice.Staff;
import org.sessionbridge.core.practice.StaffRole;
import org.sessionbridge.core.practice.VideoPlatform;
import org.sessionbridge.core.practice.VideoService;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Providers (staff), their video services, and clients of the calling practice. */
@RestController
@RequestMapping("/api/v1")
final class PeopleApi {

  private final PracticeStore practices;
  private final FeedGenerations generations;
  private final int maxPageSize;

  private final MeetingStore meetings;

  PeopleApi(
      PracticeStore practices,
      org.sessionbridge.config.settings.SessionBridgeProperties p,
      FeedGenerations generations,
      MeetingStore meetings) {
    this.practices = practices;
    this.generations = generations;
    this.meetings = meetings;
    this.maxPageSize = p.api().maxPageSize();
  }

  record NewProvider(
      @Nullable String name,
      @Nullable String email,
      @Nullable String timeZone,
      @Nullable String role,
      @Nullable Boolean telehealthEnabled) {}

  record ProviderView(
      UUID id,
      String name,
      String email,
      String timeZone,
      StaffRole role,
      boolean telehealthEnabled,
      String createdAt) {
    static ProviderView of(Staff s) {
      return new ProviderView(
          s.id(),
          s.name(),
          s.email(),
          s.timeZone().getId(),
          s.role(),
          s.telehealthEnabled(),
          s.createdAt().toString());
    }
  }

  record NewClient(@Nullable String name, @Nullable String email, @Nullable String phone) {}

  record ClientView(UUID id, String name, String email, @Nullable String phone, String createdAt) {
    static ClientView of(Client c) {
      return new ClientView(c.id(), c.name(), c.email(), c.phone(), c.createdAt().toString());
    }
  }

  /**
   * @param hostAccount for ZOOM (and TEAMS): the provider's account there when it is not their
   *     e-mail, e.g. a Zoom user id
   */
  record NewVideoService(
      @Nullable String platform,
      @Nullable String url,
      @Nullable String joinInstructions,
      @Nullable Boolean isDefault,
      @Nullable String hostAccount) {}

  record VideoServiceView(
      UUID id,
      VideoPlatform platform,
      @Nullable String url,
      @Nullable String joinInstructions,
      boolean isDefault,
      String createdAt,
      @Nullable String hostAccount) {
    static VideoServiceView of(VideoService v) {
      return new VideoServiceView(
          v.id(),
          v.platform(),
          v.url(),
          v.joinInstructions(),
          v.isDefault(),
          v.createdAt().toString(),
          v.hostAccount());
    }
  }

  @PostMapping("/providers")
  @Tag(name = "Providers")
  @Operation(summary = "Add a provider (staff member; role PROVIDER unless given)")
  ResponseEntity<ProviderView> createProvider(
      Caller.PracticeMember caller, @RequestBody NewProvider body) {
    FieldCheck check = new FieldCheck();
    String name = check.text("name", body.name(), 200, true);
    String email = check.email("email", body.email(), true);
    ZoneId zone = check.zone("timeZone", body.timeZone(), true);
    StaffRole role = check.oneOf("role", body.role(), StaffRole.class, false);
    check.done();
    Staff staff =
        practices.createStaff(
            caller.practiceId(),
            Objects.requireNonNull(name),
            Objects.requireNonNull(email),
            Objects.requireNonNull(zone),
            role == null ? StaffRole.PROVIDER : role,
            Boolean.TRUE.equals(body.telehealthEnabled()));
    return ResponseEntity.created(URI.create("/api/v1/providers/" + staff.id()))
        .body(ProviderView.of(staff));
  }

  @GetMapping("/providers")
  @Tag(name = "Providers")
  List<ProviderView> providers(Caller.PracticeMember caller) {
    return practices.staff(caller.practiceId()).stream().map(ProviderView::of).toList();
  }

  @GetMapping("/providers/{id}")
  @Tag(name = "Providers")
  ProviderView provider(Caller.PracticeMember caller, @PathVariable UUID id) {
    return ProviderView.of(requireProvider(caller, id));
  }

  @PostMapping("/providers/{id}/video-services")
  @Tag(name = "Providers")
  @Operation(
      summary = "Offer a video service; link services (DOXY, VSEE, ...) need their https url")
  ResponseEntity<VideoServiceView> addVideoService(
      Caller.PracticeMember caller, @PathVariable UUID id, @RequestBody NewVideoService body) {
    requireProvider(caller, id);
    FieldCheck check = new FieldCheck();
    VideoPlatform platform = check.oneOf("platform", body.platform(), VideoPlatform.class, true);
    String url = check.text("url", body.url(), 2048, platform != null && platform.needsUrl());
    if (url != null) {
      try {
        URI uri = new URI(url);
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
          check.problem("url", "must be an absolute https link");
        }
      } catch (java.net.URISyntaxException e) {
        check.problem("url", "must be an absolute https link");
      }
    }
    String instructions = check.text("joinInstructions", body.joinInstructions(), 2000, false);
    String hostAccount = check.text("hostAccount", body.hostAccount(), 200, false);
    if (hostAccount != null && platform != null && !platform.hubManaged()) {
      check.problem("hostAccount", "only hub-managed platforms (ZOOM, TEAMS) have a host account");
    }
    check.done();
    VideoService service =
        practices.addVideoService(
            caller.practiceId(),
            id,
            Objects.requireNonNull(platform),
            url,
            instructions,
            Boolean.TRUE.equals(body.isDefault()),
            hostAccount);
    if (platform != null && platform.hubManaged()) {
      // Meetings refused for want of a host account may work now.
      meetings.resume(caller.practiceId(), platform);
    }
    generations.bump(id); // the provider's feeds carry this service's link and instructions
    return ResponseEntity.created(URI.create("/api/v1/providers/" + id + "/video-services"))
        .body(VideoServiceView.of(service));
  }

  @GetMapping("/providers/{id}/video-services")
  @Tag(name = "Providers")
  List<VideoServiceView> videoServices(Caller.PracticeMember caller, @PathVariable UUID id) {
    requireProvider(caller, id);
    return practices.videoServices(caller.practiceId(), id).stream()
        .map(VideoServiceView::of)
        .toList();
  }

  @PostMapping("/clients")
  @Tag(name = "Clients")
  @Operation(summary = "Add a client; phone in E.164 form if given")
  ResponseEntity<ClientView> createClient(
      Caller.PracticeMember caller, @RequestBody NewClient body) {
    FieldCheck check = new FieldCheck();
    String name = check.text("name", body.name(), 200, true);
    String email = check.email("email", body.email(), true);
    String phone = check.phone("phone", body.phone());
    check.done();
    Client client =
        practices.createClient(
            caller.practiceId(),
            Objects.requireNonNull(name),
            Objects.requireNonNull(email),
            phone);
    return ResponseEntity.created(URI.create("/api/v1/clients/" + client.id()))
        .body(ClientView.of(client));
  }

  @GetMapping("/clients")
  @Tag(name = "Clients")
  List<ClientView> clients(
      Caller.PracticeMember caller,
      @RequestParam(defaultValue = "100") int limit,
      @RequestParam(defaultValue = "0") int offset) {
    FieldCheck.page(limit, offset, maxPageSize);
    return practices.clients(caller.practiceId(), limit, offset).stream()
        .map(ClientView::of)
        .toList();
  }

  @GetMapping("/clients/{id}")
  @Tag(name = "Clients")
  ClientView client(Caller.PracticeMember caller, @PathVariable UUID id) {
    return practices
        .client(caller.practiceId(), id)
        .map(ClientView::of)
        .orElseThrow(() -> new NotFoundException("client"));
  }

  private Staff requireProvider(Caller.PracticeMember caller, UUID id) {
    return practices
        .staff(caller.practiceId(), id)
        .orElseThrow(() -> new NotFoundException("provider"));
  }
}
