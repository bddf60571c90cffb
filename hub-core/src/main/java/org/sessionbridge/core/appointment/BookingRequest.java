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
 */
public record BookingRequest(
    UUID providerId,
    List<UUID> clientIds,
    Instant start,
    Instant end,
    ZoneId timeZone,
    Modality modality,
    @Nullable VideoPlatform videoPlatform,
    @Nullable String title) {

  public BookingRequest {
    clientIds = List.copyOf(clientIds);
  }

  /**
   * A stable digest of the request, so a retried {@code Idempotency-Key} can be told apart from the
   * same key reused for a different booking.
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
