package org.sessionbridge.connector.zoom;

import org.jspecify.annotations.Nullable;

/**
 * The fields of a Zoom webhook event that the hub acts on (API-NOTES §1.7). In {@code
 * meeting.updated} Zoom's {@code payload.object} carries the id plus only the changed fields, so a
 * {@code null} setting means "not changed (or not sent)", never "off"; re-GET the meeting for its
 * full state.
 *
 * @param event the event name, e.g. {@code meeting.updated} or {@code endpoint.url_validation}
 * @param eventTs {@code event_ts}, milliseconds since the epoch
 * @param meetingId {@code payload.object.id} as text (Zoom sends a number or a string)
 * @param waitingRoom {@code payload.object.settings.waiting_room}, when present
 * @param joinBeforeHost {@code payload.object.settings.join_before_host}, when present
 * @param plainToken {@code payload.plainToken} of {@code endpoint.url_validation}
 */
public record ZoomEvent(
    String event,
    long eventTs,
    @Nullable String meetingId,
    @Nullable Boolean waitingRoom,
    @Nullable Boolean joinBeforeHost,
    @Nullable String plainToken) {

  /** Zoom's challenge when the endpoint URL is saved and about every 72 hours. */
  public static final String URL_VALIDATION = "endpoint.url_validation";

  /** A meeting's settings or schedule changed; {@code payload.object} holds the changed fields. */
  public static final String MEETING_UPDATED = "meeting.updated";

  /** Whether this is Zoom's URL-validation challenge. */
  public boolean isUrlValidation() {
    return URL_VALIDATION.equals(event);
  }

  @Override
  public String toString() {
    return "ZoomEvent[event="
        + event
        + ", eventTs="
        + eventTs
        + ", meetingId="
        + meetingId
        + ", waitingRoom="
        + waitingRoom
        + ", joinBeforeHost="
        + joinBeforeHost
        + (plainToken == null ? "" : ", plainToken=<redacted>")
        + "]";
  }
}
