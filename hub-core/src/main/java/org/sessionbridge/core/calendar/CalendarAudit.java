package org.sessionbridge.core.calendar;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One thing the hub did to an external event, or found the calendar's owner had done to it. */
public record CalendarAudit(
    long id,
    UUID appointmentId,
    UUID linkId,
    @Nullable String externalId,
    Action action,
    @Nullable String detail,
    Instant at) {

  /** What happened. */
  public enum Action {
    CREATED,
    UPDATED,
    /** The event was deleted, or kept and marked cancelled, as the link prefers. */
    REMOVED,
    /** The owner moved our event in their calendar (found by the pull). */
    MOVED_BY_OWNER,
    /** The owner deleted our event in their calendar (found by the pull). */
    DELETED_BY_OWNER,
    /** A drift was corrected: the event was put back as the practice store has it. */
    RESTORED
  }
}
