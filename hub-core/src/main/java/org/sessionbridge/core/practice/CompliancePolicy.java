package org.sessionbridge.core.practice;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A practice's telehealth compliance policy. Every practice starts with {@link #STRICT}; the rules
 * are enforced when video services are configured and when sessions are booked (see {@code
 * org.sessionbridge.core.policy.TelehealthCompliance}).
 *
 * @param httpsLinksOnly join links must be https (the hub carries no other links, so this stays on)
 * @param baaPlatformsOnly only platforms the practice marks as covered by a BAA are allowed
 * @param waitingRoomRequired a waiting room / lobby the hub enforces, or one built into the
 *     service, is required; static personal rooms and contacts are refused
 * @param refuseAppleOnly a provider may not offer only an Apple-only service such as FaceTime
 * @param baaCoveredPlatforms the platforms the practice has a BAA for (only BAA-capable ones)
 */
public record CompliancePolicy(
    boolean httpsLinksOnly,
    boolean baaPlatformsOnly,
    boolean waitingRoomRequired,
    boolean refuseAppleOnly,
    Set<VideoPlatform> baaCoveredPlatforms) {

  public static final CompliancePolicy STRICT =
      new CompliancePolicy(true, true, true, true, VideoPlatform.baaCapablePlatforms());

  public CompliancePolicy {
    EnumSet<VideoPlatform> copy = EnumSet.noneOf(VideoPlatform.class);
    copy.addAll(baaCoveredPlatforms);
    baaCoveredPlatforms = Collections.unmodifiableSet(copy);
  }

  /** A policy that counts every BAA-capable platform as covered. */
  public CompliancePolicy(
      boolean httpsLinksOnly,
      boolean baaPlatformsOnly,
      boolean waitingRoomRequired,
      boolean refuseAppleOnly) {
    this(
        httpsLinksOnly,
        baaPlatformsOnly,
        waitingRoomRequired,
        refuseAppleOnly,
        VideoPlatform.baaCapablePlatforms());
  }

  /** The covered platforms as stored: names in enum order, comma-separated. */
  public String coveredAsText() {
    return baaCoveredPlatforms.stream().map(Enum::name).collect(Collectors.joining(","));
  }

  /** Reads {@link #coveredAsText()}; unknown names (from a newer hub) are skipped. */
  public static Set<VideoPlatform> coveredFromText(String text) {
    EnumSet<VideoPlatform> set = EnumSet.noneOf(VideoPlatform.class);
    for (String name : text.split(",")) {
      for (VideoPlatform p : VideoPlatform.values()) {
        if (p.name().equals(name.strip())) {
          set.add(p);
        }
      }
    }
    return set;
  }

  /** One line for the audit: every rule and the covered list, nothing else. */
  public String summary() {
    return "httpsLinksOnly="
        + httpsLinksOnly
        + ", baaPlatformsOnly="
        + baaPlatformsOnly
        + ", waitingRoomRequired="
        + waitingRoomRequired
        + ", refuseAppleOnly="
        + refuseAppleOnly
        + ", baaCoveredPlatforms=["
        + coveredAsText()
        + "]";
  }
}
