package org.sessionbridge.core.appointment;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.practice.VideoPlatform;

/**
 * One committed change of an appointment, as the outbox hands it to handlers: a snapshot of the
 * appointment at {@code version}, not a pointer to its current row. {@code eventId} is the outbox
 * row; versions of one appointment are delivered in increasing order.
 */
public record AppointmentChange(
    long eventId,
    UUID practiceId,
    UUID appointmentId,
    long version,
    ChangeType type,
    UUID providerId,
    List<UUID> clientIds,
    Instant start,
    Instant end,
    ZoneId timeZone,
    Modality modality,
    @Nullable VideoPlatform videoPlatform,
    AppointmentStatus status,
    @Nullable String title,
    Instant occurredAt) {

  public AppointmentChange {
    clientIds = List.copyOf(clientIds);
  }

  @Override
  public String toString() {
    return "AppointmentChange[event="
        + eventId
        + ", appointment="
        + appointmentId
        + ", version="
        + version
        + ", type="
        + type
        + "]";
  }
}
