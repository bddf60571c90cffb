package org.sessionbridge.core.appointment;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.practice.VideoPlatform;

/**
 * Fields to change on an appointment; {@code null} leaves a field as it is. Moving {@code start}
 * alone keeps the session's length.
 *
 * @param force change even outside the provider's availability (not a change by itself)
 */
public record AppointmentPatch(
    @Nullable Instant start,
    @Nullable Instant end,
    @Nullable ZoneId timeZone,
    @Nullable Modality modality,
    @Nullable VideoPlatform videoPlatform,
    @Nullable String title,
    @Nullable List<UUID> clientIds,
    @Nullable AppointmentStatus status,
    boolean force) {

  /** A change that keeps to the provider's availability. */
  public AppointmentPatch(
      @Nullable Instant start,
      @Nullable Instant end,
      @Nullable ZoneId timeZone,
      @Nullable Modality modality,
      @Nullable VideoPlatform videoPlatform,
      @Nullable String title,
      @Nullable List<UUID> clientIds,
      @Nullable AppointmentStatus status) {
    this(start, end, timeZone, modality, videoPlatform, title, clientIds, status, false);
  }

  /** Whether the change moves the session or changes how it takes place. */
  public boolean movesOrChangesHow() {
    return start != null || end != null || modality != null || videoPlatform != null;
  }

  public boolean isEmpty() {
    return start == null
        && end == null
        && timeZone == null
        && modality == null
        && videoPlatform == null
        && title == null
        && clientIds == null
        && status == null;
  }

  @Override
  public String toString() {
    return "AppointmentPatch[...]";
  }
}
