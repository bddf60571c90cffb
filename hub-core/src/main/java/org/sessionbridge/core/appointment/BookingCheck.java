package org.sessionbridge.core.appointment;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.practice.VideoPlatform;

/**
 * Whether the provider can take a session at a time: the {@link AppointmentBook} asks before it
 * books or reschedules one, unless the practice forces it. It runs inside the booking transaction,
 * so an implementation that reads the provider's other sessions must also serialise bookings of the
 * provider (e.g. lock the provider's row) or two of them could both pass and double-book.
 */
@FunctionalInterface
public interface BookingCheck {

  /** Checks nothing: every time is bookable. */
  BookingCheck NONE = (practiceId, providerId, start, end, modality, platform, rescheduled) -> {};

  /**
   * Throws {@link org.sessionbridge.core.error.InvalidInputException} (a rule: outside working
   * hours, wrong modality or video service, busy) or {@link
   * org.sessionbridge.core.error.ConflictException} (another session of the provider then) when the
   * session cannot take place; returns when it can.
   *
   * @param platform the session's video service, when it has one
   * @param rescheduled the appointment being moved (its own time is not a clash), or null for a new
   *     booking
   */
  void check(
      UUID practiceId,
      UUID providerId,
      Instant start,
      Instant end,
      Modality modality,
      @Nullable VideoPlatform platform,
      @Nullable UUID rescheduled);
}
