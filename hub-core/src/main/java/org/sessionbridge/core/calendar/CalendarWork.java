package org.sessionbridge.core.calendar;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.appointment.Modality;

/**
 * One appointment's event in one linked calendar: what the newest appointment version wants next to
 * what was pushed. Read under the caller's lease.
 *
 * @param present whether the event should exist ({@code false}: the appointment was cancelled or
 *     moved to another provider; the event is removed as the link prefers)
 * @param event the wanted event, already privacy-projected
 * @param externalId the calendar's id of the event once pushed
 * @param checkSeq raised by a refresh (join link) or a drift found by the pull; the work is done
 *     when {@code checkedSeq} reaches it
 * @param drift what the calendar's owner did to the event, until it is put back
 */
public record CalendarWork(
    UUID appointmentId,
    UUID linkId,
    UUID practiceId,
    UUID providerId,
    long wantedVersion,
    boolean present,
    Modality modality,
    CalendarEvent event,
    @Nullable String externalId,
    @Nullable String etag,
    long syncedVersion,
    long checkSeq,
    long checkedSeq,
    @Nullable Drift drift,
    State state,
    int attempts,
    Instant nextAttemptAt,
    @Nullable String lastError) {

  /** Where the row is in its work. */
  public enum State {
    /** Work to do at {@code nextAttemptAt}. */
    PENDING,
    /** The calendar has the newest version and the last check. */
    SYNCED,
    /** Waiting for a long Retry-After. */
    DEFERRED,
    /** The link needs re-authorisation or another calendar; resumes when it is fixed. */
    PARKED,
    /** The calendar refused the event for a reason retrying does not fix: a person must act. */
    FAILED
  }

  /** Ids and state only: the event may carry PHI and the join link. */
  @Override
  public String toString() {
    return "CalendarWork[appointment="
        + appointmentId
        + ", link="
        + linkId
        + ", wantedVersion="
        + wantedVersion
        + ", present="
        + present
        + ", state="
        + state
        + "]";
  }
}
