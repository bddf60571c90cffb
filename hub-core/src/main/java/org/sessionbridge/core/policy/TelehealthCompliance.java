package org.sessionbridge.core.policy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.error.FieldProblem;
import org.sessionbridge.core.practice.CompliancePolicy;
import org.sessionbridge.core.practice.Staff;
import org.sessionbridge.core.practice.VideoPlatform;
import org.sessionbridge.core.practice.VideoService;

/**
 * A practice's telehealth compliance policy applied to video services and bookings, as pure
 * functions. The same rules run when a service is configured (refused with the request's field) and
 * when a session is booked (refused naming {@code videoPlatform}), so a service that a later,
 * stricter policy no longer allows cannot be booked. Every reason names the rule it comes from.
 */
public final class TelehealthCompliance {

  /** The rules by their policy field name, as answers and audits name them. */
  public static final String HTTPS = "httpsLinksOnly";

  public static final String BAA = "baaPlatformsOnly";
  public static final String WAITING_ROOM = "waitingRoomRequired";
  public static final String APPLE_ONLY = "refuseAppleOnly";

  private TelehealthCompliance() {}

  /**
   * One rule a service breaks.
   *
   * @param rule the policy field the rule comes from
   * @param aboutUrl the service's link is at fault (not its platform)
   */
  public record Breach(String rule, boolean aboutUrl, String reason) {}

  /** A configured service that the current policy does not allow. */
  public record Violation(
      UUID serviceId, UUID providerId, VideoPlatform platform, String rule, String reason) {}

  /** What is wrong with the policy itself: rules that cannot be set as asked. */
  public static List<FieldProblem> policyProblems(CompliancePolicy policy) {
    List<FieldProblem> problems = new ArrayList<>();
    if (!policy.httpsLinksOnly()) {
      problems.add(
          new FieldProblem(
              HTTPS,
              "cannot be turned off: feeds, calendar events, invitations and join links carry"
                  + " only https links"));
    }
    Set<VideoPlatform> notCapable = EnumSet.noneOf(VideoPlatform.class);
    for (VideoPlatform p : policy.baaCoveredPlatforms()) {
      if (!p.baaCapable()) {
        notCapable.add(p);
      }
    }
    if (!notCapable.isEmpty()) {
      problems.add(
          new FieldProblem(
              "baaCoveredPlatforms",
              names(notCapable)
                  + " cannot be covered by a BAA (the vendor offers none); platforms that can: "
                  + names(VideoPlatform.baaCapablePlatforms())));
    }
    return problems;
  }

  /** The rules a service on {@code platform} with {@code url} breaks under {@code policy}. */
  public static List<Breach> breaches(
      CompliancePolicy policy, VideoPlatform platform, @Nullable String url) {
    List<Breach> breaches = new ArrayList<>();
    if (url != null && !isHttps(url)) {
      breaches.add(
          new Breach(
              HTTPS,
              true,
              "must be an https link: the practice's compliance policy allows only https links"
                  + " (httpsLinksOnly)"));
    }
    if (policy.baaPlatformsOnly() && !policy.baaCoveredPlatforms().contains(platform)) {
      breaches.add(
          new Breach(
              BAA,
              false,
              platform.name()
                  + " is not among the platforms your practice marks as covered by a BAA ("
                  + (policy.baaCoveredPlatforms().isEmpty()
                      ? "none"
                      : names(policy.baaCoveredPlatforms()))
                  + "); the compliance policy allows only those (baaPlatformsOnly)"));
    }
    if (policy.waitingRoomRequired()
        && platform.waitingRoom() == VideoPlatform.WaitingRoom.UNVERIFIED) {
      breaches.add(
          new Breach(
              WAITING_ROOM,
              false,
              platform.name()
                  + " has no waiting room the hub can enforce or verify (a static personal room or"
                  + " a contact), and your practice requires one (waitingRoomRequired); use ZOOM or"
                  + " TEAMS (enforced by the hub) or DOXY or VSEE (built in), or turn"
                  + " waitingRoomRequired off"));
    }
    return breaches;
  }

  /**
   * Why a provider may not offer exactly {@code offering}: all of it Apple-only (FaceTime) while
   * the practice refuses that. Empty when the offering is fine (no services at all is fine).
   */
  public static Optional<String> appleOnly(
      CompliancePolicy policy, Collection<VideoPlatform> offering) {
    if (!policy.refuseAppleOnly()
        || offering.isEmpty()
        || !offering.stream().allMatch(VideoPlatform::appleOnly)) {
      return Optional.empty();
    }
    return Optional.of(
        "the provider would offer only "
            + names(EnumSet.copyOf(offering))
            + ", which only people with Apple devices can join; offer another video service"
            + " too (refuseAppleOnly)");
  }

  /** A service being configured: its breaches as problems of the request's fields. */
  public static List<FieldProblem> serviceProblems(
      CompliancePolicy policy, VideoPlatform platform, @Nullable String url) {
    return breaches(policy, platform, url).stream()
        .map(b -> new FieldProblem(b.aboutUrl() ? "url" : "platform", b.reason()))
        .toList();
  }

  /** The services of one provider that {@code policy} does not allow, each with the rule. */
  public static List<Violation> violations(CompliancePolicy policy, List<VideoService> services) {
    List<Violation> found = new ArrayList<>();
    Optional<String> appleOnly =
        appleOnly(policy, services.stream().map(VideoService::platform).toList());
    for (VideoService s : services) {
      for (Breach b : breaches(policy, s.platform(), s.url())) {
        found.add(new Violation(s.id(), s.providerId(), s.platform(), b.rule(), b.reason()));
      }
      if (appleOnly.isPresent() && s.platform().appleOnly()) {
        found.add(new Violation(s.id(), s.providerId(), s.platform(), APPLE_ONLY, appleOnly.get()));
      }
    }
    return found;
  }

  /**
   * Whether a telehealth session can be booked (or moved) with this provider on this platform.
   *
   * @param services the provider's video services
   * @param requested the platform the booking names, or null
   * @param resolved the platform the session would have: {@code requested}, else the provider's
   *     default; null when the provider offers none
   */
  public static List<FieldProblem> bookingProblems(
      CompliancePolicy policy,
      Staff provider,
      List<VideoService> services,
      @Nullable VideoPlatform requested,
      @Nullable VideoPlatform resolved) {
    if (!provider.telehealthEnabled()) {
      return List.of(
          new FieldProblem(
              "providerId",
              "the provider does not hold the telehealth role; an OWNER or MANAGER grants it with"
                  + " POST /api/v1/providers/{id}/telehealth-role"));
    }
    if (requested != null && services.stream().noneMatch(s -> s.platform() == requested)) {
      return List.of(
          new FieldProblem(
              "videoPlatform",
              services.isEmpty()
                  ? "the provider offers no video services; add one with POST"
                      + " /api/v1/providers/{id}/video-services"
                  : "the provider does not offer "
                      + requested.name()
                      + "; offered: "
                      + services.stream()
                          .map(s -> s.platform().name())
                          .collect(Collectors.joining(", "))));
    }
    if (resolved == null) {
      return List.of();
    }
    VideoService service =
        services.stream().filter(s -> s.platform() == resolved).findFirst().orElse(null);
    String prefix = requested == null ? "the provider's default video service: " : "";
    List<FieldProblem> problems = new ArrayList<>();
    for (Breach b : breaches(policy, resolved, service == null ? null : service.url())) {
      problems.add(
          new FieldProblem(
              "videoPlatform", prefix + (b.aboutUrl() ? "its link " + b.reason() : b.reason())));
    }
    appleOnly(policy, services.stream().map(VideoService::platform).toList())
        .ifPresent(reason -> problems.add(new FieldProblem("videoPlatform", prefix + reason)));
    return problems;
  }

  /** An absolute https URI with a host. */
  public static boolean isHttps(String url) {
    try {
      URI uri = new URI(url);
      return "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static String names(Collection<VideoPlatform> platforms) {
    return platforms.stream().map(Enum::name).collect(Collectors.joining(", "));
  }
}
