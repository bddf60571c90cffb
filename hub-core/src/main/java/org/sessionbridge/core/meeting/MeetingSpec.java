package org.sessionbridge.core.meeting;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The meeting an appointment needs, in the minimum the platform must know: no client names, no
 * clinical text.
 *
 * @param reference the hub's tag for the appointment's meeting ({@code sb-} and 12 hex digits),
 *     carried by the meeting so that a lost create can be found again
 * @param topic what participants see as the meeting's title; contains the reference
 * @param start when the session starts
 * @param duration how long it is booked for, at least one minute
 * @param timeZone the zone the appointment was booked in
 */
public record MeetingSpec(
    String reference, String topic, Instant start, Duration duration, ZoneId timeZone) {

  public MeetingSpec {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(timeZone, "timeZone");
    if (duration.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new IllegalArgumentException("a meeting lasts at least a minute, not " + duration);
    }
  }

  public long durationMinutes() {
    return (duration.getSeconds() + 59) / 60;
  }
}
