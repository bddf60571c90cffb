package org.sessionbridge.connector.zoom;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;

/**
 * The fields to change with {@code PATCH /meetings/{id}} (merge semantics: {@code null} means
 * "leave as is"). A start time needs its zone.
 *
 * @param topic new title, at most 200 characters
 * @param startTime new local start in {@code timezone}
 * @param timezone IANA zone of {@code startTime}
 * @param durationMinutes new length, 1 to 1440
 */
public record ZoomMeetingUpdate(
    @Nullable String topic,
    @Nullable LocalDateTime startTime,
    @Nullable ZoneId timezone,
    @Nullable Integer durationMinutes) {

  public ZoomMeetingUpdate {
    if (topic != null) {
      topic = checkTopic(topic);
    }
    if (startTime != null) {
      if (timezone == null) {
        throw new IllegalArgumentException("a new start time needs its timezone");
      }
      startTime = startTime.truncatedTo(ChronoUnit.SECONDS);
    }
    if (durationMinutes != null) {
      checkDuration(durationMinutes);
    }
  }

  /** Moves the meeting. */
  public static ZoomMeetingUpdate reschedule(
      LocalDateTime startTime, ZoneId timezone, int durationMinutes) {
    return new ZoomMeetingUpdate(null, startTime, timezone, durationMinutes);
  }

  /** Changes only the security settings this client always re-asserts. */
  public static ZoomMeetingUpdate securityOnly() {
    return new ZoomMeetingUpdate(null, null, null, null);
  }

  static String checkTopic(String topic) {
    if (topic.isBlank() || topic.length() > 200) {
      throw new IllegalArgumentException(
          "a Zoom topic must have 1 to 200 characters, had " + topic.length());
    }
    return topic;
  }

  static int checkDuration(int minutes) {
    if (minutes < 1 || minutes > 1440) {
      throw new IllegalArgumentException("a Zoom meeting lasts 1 to 1440 minutes, not " + minutes);
    }
    return minutes;
  }
}
