package org.sessionbridge.connector.zoom;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What Zoom says a meeting looks like now (after create or GET). Trust this, not what was sent:
 * Zoom may silently switch security options back on (API-NOTES §1.2, "security override").
 *
 * <p>The {@code start_url} (it logs the host in), the passcodes and the host's e-mail are
 * deliberately not kept. {@link #toString()} leaves out the join URL (it embeds the passcode) and
 * the topic.
 *
 * @param id Zoom's meeting id (int64)
 * @param uuid the instance uuid
 * @param joinUrl the participants' link, with the passcode in it: never log it
 * @param topic the meeting's title
 * @param startTime the start in UTC; empty for meetings without a fixed time
 * @param durationMinutes scheduled length
 * @param timezone the IANA zone the meeting was scheduled in, or empty
 * @param status {@code waiting}, {@code started}, ... or empty
 * @param waitingRoom true only when Zoom reports {@code settings.waiting_room=true}
 * @param joinBeforeHost false only when Zoom reports {@code settings.join_before_host=false}
 */
public record ZoomMeeting(
    long id,
    String uuid,
    URI joinUrl,
    String topic,
    Optional<Instant> startTime,
    int durationMinutes,
    String timezone,
    String status,
    boolean waitingRoom,
    boolean joinBeforeHost) {

  public ZoomMeeting {
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(joinUrl, "joinUrl");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(startTime, "startTime");
    Objects.requireNonNull(timezone, "timezone");
    Objects.requireNonNull(status, "status");
  }

  /** Whether patients wait for the host: waiting room on and join-before-host off. */
  public boolean holdsParticipantsForHost() {
    return waitingRoom && !joinBeforeHost;
  }

  @Override
  public String toString() {
    return "ZoomMeeting[id="
        + id
        + ", uuid="
        + uuid
        + ", startTime="
        + startTime.map(Instant::toString).orElse("none")
        + ", durationMinutes="
        + durationMinutes
        + ", timezone="
        + timezone
        + ", status="
        + status
        + ", waitingRoom="
        + waitingRoom
        + ", joinBeforeHost="
        + joinBeforeHost
        + ", joinUrl=<redacted>]";
  }
}
