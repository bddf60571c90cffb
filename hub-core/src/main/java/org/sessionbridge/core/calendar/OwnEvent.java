package org.sessionbridge.core.calendar;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * One of the hub's own events as the calendar has it now, to detect what the calendar's owner did
 * to it (moved, deleted). The practice store stays the source of truth: the caller compares and
 * corrects.
 *
 * @param appointmentId the appointment the event belongs to
 * @param externalId the calendar's id of the event
 * @param version the appointment version stored with the event, if the calendar returned it
 * @param deleted whether the event was deleted or cancelled in the calendar
 * @param start its start now; empty when deleted
 * @param end its end now; empty when deleted
 */
public record OwnEvent(
    UUID appointmentId,
    String externalId,
    OptionalLong version,
    boolean deleted,
    Optional<Instant> start,
    Optional<Instant> end) {

  public OwnEvent {
    Objects.requireNonNull(appointmentId, "appointmentId");
    Objects.requireNonNull(externalId, "externalId");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
  }
}
