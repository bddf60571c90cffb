package org.sessionbridge.core.meeting;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.practice.VideoPlatform;

/** One thing the hub did to a meeting, or found it needed to put right. */
public record MeetingAudit(
    long id,
    UUID appointmentId,
    VideoPlatform platform,
    @Nullable String meetingId,
    Action action,
    @Nullable String detail,
    Instant at) {

  /** What happened. */
  public enum Action {
    CREATED,
    /** A meeting from an earlier attempt whose answer was lost was found and kept. */
    ADOPTED,
    UPDATED,
    DELETED,
    /** An extra meeting carrying our reference (a lost create's twin) was deleted. */
    ORPHAN_DELETED,
    /** The waiting room was off or join-before-host on; the hub put it back. */
    WAITING_ROOM_REPAIRED,
    /** The platform kept the waiting room off after the hub asked for it. */
    WAITING_ROOM_REFUSED,
    /** The host moved or resized the meeting; the practice's schedule was put back. */
    SCHEDULE_RESTORED,
    /** The meeting disappeared on the platform (deleted by the host); a new one is made. */
    MEETING_LOST
  }
}
