package org.sessionbridge.connector.zoom;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A scheduled meeting to create. The topic is shown to participants and stored by Zoom: pass the
 * minimal projection made by core policy (an appointment reference, no client name unless the
 * practice opted in).
 *
 * @param topic at most 200 characters
 * @param startTime local wall-clock start in {@code timezone}, sent without offset
 * @param timezone IANA zone of {@code startTime}
 * @param durationMinutes 1 to 1440
 */
public record ZoomMeetingRequest(
    String topic, LocalDateTime startTime, ZoneId timezone, int durationMinutes) {

  public ZoomMeetingRequest {
    topic = ZoomMeetingUpdate.checkTopic(Objects.requireNonNull(topic, "topic"));
    startTime = Objects.requireNonNull(startTime, "startTime").truncatedTo(ChronoUnit.SECONDS);
    Objects.requireNonNull(timezone, "timezone");
    ZoomMeetingUpdate.checkDuration(durationMinutes);
  }
}
