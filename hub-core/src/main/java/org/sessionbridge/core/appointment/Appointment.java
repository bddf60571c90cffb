package org.sessionbridge.core.appointment;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.practice.VideoPlatform;

/**
 * A session between one provider and one or more clients (more than one: a group session). {@code
 * version} starts at 1 and rises by one on every change; {@code icalUid} never changes, so
 * calendars recognise a rescheduled session as the same event. The title may hold PHI and is kept
 * out of {@link #toString()}.
 */
public record Appointment(
    UUID id,
    UUID practiceId,
    UUID providerId,
    List<UUID> clientIds,
    Instant start,
    Instant end,
    ZoneId timeZone,
    Modality modality,
    @Nullable VideoPlatform videoPlatform,
    AppointmentStatus status,
    @Nullable String title,
    String icalUid,
    long version,
    Instant createdAt,
    Instant updatedAt) {

  public Appointment {
    clientIds = List.copyOf(clientIds);
  }

  @Override
  public String toString() {
    return "Appointment[id=" + id + ", version=" + version + ", status=" + status + "]";
  }
}
