package org.sessionbridge.core.practice;

/**
 * A practice's telehealth compliance policy. Every practice starts with {@link #STRICT}; the rules
 * are enforced when video services are configured and when sessions are booked.
 *
 * @param httpsLinksOnly join links must be https
 * @param baaPlatformsOnly only platforms that can be covered by a BAA (HIPAA-capable) are allowed
 * @param waitingRoomRequired a waiting room / lobby the hub can enforce or verify is required
 * @param refuseAppleOnly a provider may not offer only an Apple-only service such as FaceTime
 */
public record CompliancePolicy(
    boolean httpsLinksOnly,
    boolean baaPlatformsOnly,
    boolean waitingRoomRequired,
    boolean refuseAppleOnly) {

  public static final CompliancePolicy STRICT = new CompliancePolicy(true, true, true, true);
}
