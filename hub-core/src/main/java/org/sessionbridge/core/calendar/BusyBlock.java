package org.sessionbridge.core.calendar;

import java.time.Instant;
import java.util.Objects;

/**
 * Time the calendar's owner is busy with something that is not one of the hub's events. Carries no
 * title or attendees: availability needs only the time.
 *
 * @param externalId the calendar's id of the busy event (for a recurring event: of the instance),
 *     so that a later change replaces or frees the block
 * @param start when the busy time starts
 * @param end when it ends
 * @param allDay whether it is an all-day event (then {@code start}/{@code end} are midnights in the
 *     calendar's time zone, end exclusive)
 */
public record BusyBlock(String externalId, Instant start, Instant end, boolean allDay) {

  public BusyBlock {
    Objects.requireNonNull(externalId, "externalId");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
  }
}
