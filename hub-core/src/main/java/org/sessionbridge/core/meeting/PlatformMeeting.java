package org.sessionbridge.core.meeting;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A meeting as the platform reports it now.
 *
 * @param meetingId the platform's id (Zoom's int64 as a string)
 * @param joinUrl the participants' link; it may embed a passcode, so never log it
 * @param topic the title the platform stores (holds the hub's reference)
 * @param start the scheduled start, empty for meetings without a fixed time
 * @param durationMinutes the scheduled length
 * @param waitingRoom whether participants wait until the host admits them
 * @param joinBeforeHost whether participants may start without the host
 */
public record PlatformMeeting(
    String meetingId,
    URI joinUrl,
    String topic,
    Optional<Instant> start,
    long durationMinutes,
    boolean waitingRoom,
    boolean joinBeforeHost) {

  public PlatformMeeting {
    Objects.requireNonNull(meetingId, "meetingId");
    Objects.requireNonNull(joinUrl, "joinUrl");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(start, "start");
  }

  /** Participants wait for the host: the waiting room is on and join-before-host off. */
  public boolean guarded() {
    return waitingRoom && !joinBeforeHost;
  }

  @Override
  public String toString() {
    return "PlatformMeeting[id="
        + meetingId
        + ", start="
        + start.map(Instant::toString).orElse("none")
        + ", durationMinutes="
        + durationMinutes
        + ", waitingRoom="
        + waitingRoom
        + ", joinBeforeHost="
        + joinBeforeHost
        + "]";
  }
}
