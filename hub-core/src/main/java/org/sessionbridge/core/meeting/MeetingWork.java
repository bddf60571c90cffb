package org.sessionbridge.core.meeting;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.practice.VideoPlatform;

/**
 * One appointment's meeting row: what is wanted (from appointment version {@code wantedVersion})
 * next to what exists on the platform. Read under the caller's lease.
 *
 * @param wanted whether a meeting should exist (telehealth, booked, on a hub-managed platform)
 * @param platform the platform the appointment wants
 * @param meetingPlatform where the existing meeting lives, if any
 * @param meetingHost the platform account that hosts it
 * @param createSentAt set while a create may have reached the platform without its answer stored
 * @param checkSeq raised by webhooks and the sweep; the work is done when {@code checkedSeq}
 *     reaches it
 */
public record MeetingWork(
    UUID appointmentId,
    UUID practiceId,
    String reference,
    long wantedVersion,
    boolean wanted,
    VideoPlatform platform,
    UUID providerId,
    Instant start,
    Instant end,
    ZoneId timeZone,
    @Nullable VideoPlatform meetingPlatform,
    @Nullable String meetingHost,
    @Nullable String meetingId,
    @Nullable String joinUrl,
    WaitingRoom waitingRoom,
    @Nullable Instant createSentAt,
    long syncedVersion,
    long checkSeq,
    long checkedSeq,
    State state,
    int attempts,
    Instant nextAttemptAt,
    @Nullable String lastError) {

  /** Whether participants are held for the host, as last read back from the platform. */
  public enum WaitingRoom {
    /** Not read back yet (no meeting, or a change not yet verified). */
    PENDING,
    /** Read back on. */
    ENFORCED,
    /** Read back off and not yet put back. */
    DRIFTED
  }

  /** Where the row is in its work. */
  public enum State {
    /** Work to do at {@code nextAttemptAt}. */
    PENDING,
    /** The meeting matches the newest version and the last check. */
    SYNCED,
    /** Waiting for the host's daily create/update budget or a long Retry-After. */
    DEFERRED,
    /** The practice's connection needs re-authorisation; resumes when it is connected again. */
    PARKED,
    /** The platform refused (unknown host, not allowed to schedule): a person must act. */
    FAILED
  }

  public Duration duration() {
    return Duration.between(start, end);
  }

  public MeetingSpec spec() {
    return new MeetingSpec(
        reference, MeetingReference.topic(reference), start, duration(), timeZone);
  }

  @Override
  public String toString() {
    return "MeetingWork[appointment="
        + appointmentId
        + ", wantedVersion="
        + wantedVersion
        + ", wanted="
        + wanted
        + ", platform="
        + platform
        + ", meetingId="
        + meetingId
        + ", state="
        + state
        + "]";
  }
}
