package org.sessionbridge.core.appointment;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.practice.VideoPlatform;
import org.sessionbridge.core.store.Sha256;

/**
 * A request to book a session, already parsed; the rules are checked by {@link AppointmentBook}.
 *
 * @param force book even outside the provider's availability (working hours, modality, video
 *     service, other sessions, busy time); the shape rules still apply
 */
public record BookingRequest(
    UUID providerId,
    List<UUID> clientIds,
    Instant start,
    Instant end,
    ZoneId timeZone,
    Modality modality,
    @Nullable VideoPlatform videoPlatform,
    @Nullable String title,
    boolean force) {

  public BookingRequest {
    clientIds = List.copyOf(clientIds);
  }

  /** A request that keeps to the provider's availability. */
  public BookingRequest(
      UUID providerId,
      List<UUID> clientIds,
      Instant start,
      Instant end,
      ZoneId timeZone,
      Modality modality,
      @Nullable VideoPlatform videoPlatform,
      @Nullable String title) {
    this(providerId, clientIds, start, end, timeZone, modality, videoPlatform, title, false);
  }

  /**
   * A stable digest of the request, so a retried {@code Idempotency-Key} can be told apart from the
   * same key reused for a different booking. {@code force} is left out: it changes whether the
   * booking is checked, not what is booked, so a retry with it answers the first booking.
   */
  public String fingerprint() {
    String canonical =
        String.join(
            "\n",
            providerId.toString(),
            clientIds.toString(),
            start.toString(),
            end.toString(),
            timeZone.getId(),
            modality.name(),
            String.valueOf(videoPlatform),
            String.valueOf(title));
    return Sha256.hex(canonical);
  }

  @Override
  public String toString() {
    return "BookingRequest[provider=" + providerId + ", clients=" + clientIds.size() + "]";
  }
}
