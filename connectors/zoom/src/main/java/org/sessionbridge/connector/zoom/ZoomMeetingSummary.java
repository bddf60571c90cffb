package org.sessionbridge.connector.zoom;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One item of a user's meeting list ({@code GET /users/{userId}/meetings}). List items carry no
 * {@code settings}: GET the meeting to learn whether its waiting room is on. {@link #toString()}
 * leaves out the join URL (it embeds the passcode) and the topic.
 *
 * @param id Zoom's meeting id (int64)
 * @param topic the meeting's title
 * @param startTime the start in UTC; empty for meetings without a fixed time
 * @param durationMinutes scheduled length
 * @param joinUrl the participants' link, with the passcode in it: never log it
 * @param createdAt when the meeting was created, if Zoom says
 */
public record ZoomMeetingSummary(
    long id,
    String topic,
    Optional<Instant> startTime,
    int durationMinutes,
    URI joinUrl,
    Optional<Instant> createdAt) {

  public ZoomMeetingSummary {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(startTime, "startTime");
    Objects.requireNonNull(joinUrl, "joinUrl");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  @Override
  public String toString() {
    return "ZoomMeetingSummary[id="
        + id
        + ", startTime="
        + startTime.map(Instant::toString).orElse("none")
        + ", durationMinutes="
        + durationMinutes
        + ", createdAt="
        + createdAt.map(Instant::toString).orElse("unknown")
        + ", joinUrl=<redacted>]";
  }
}
