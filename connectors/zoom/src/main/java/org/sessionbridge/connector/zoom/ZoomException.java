package org.sessionbridge.connector.zoom;

import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * Every failure of a Zoom call. The subtype says what the caller can do about it; {@link
 * ZoomErrors} is the only place that decides which one. Messages carry the operation, the HTTP
 * status and Zoom's error code, never tokens, client secrets or join/start URLs.
 */
public abstract sealed class ZoomException extends RuntimeException
    permits ZoomTransientException,
        ZoomAuthorizationException,
        ZoomNotFoundException,
        ZoomRejectedException,
        ZoomProtocolException {

  private static final long serialVersionUID = 1L;

  private final int httpStatus;
  private final @Nullable Integer zoomCode;
  private final @Nullable String trackingId;

  ZoomException(
      String message,
      int httpStatus,
      @Nullable Integer zoomCode,
      @Nullable String trackingId,
      @Nullable Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.zoomCode = zoomCode;
    this.trackingId = trackingId;
  }

  /** The HTTP status Zoom answered with; empty when no response arrived (timeout, reset). */
  public OptionalInt httpStatus() {
    return httpStatus > 0 ? OptionalInt.of(httpStatus) : OptionalInt.empty();
  }

  /** The {@code code} of Zoom's error envelope {@code {"code":..,"message":..}}, when present. */
  public OptionalInt zoomCode() {
    return zoomCode == null ? OptionalInt.empty() : OptionalInt.of(zoomCode);
  }

  /** Zoom's {@code x-zm-trackingid} response header, for support tickets and logs. */
  public Optional<String> trackingId() {
    return Optional.ofNullable(trackingId);
  }

  /** Whether the same call may succeed later without any change on our side. */
  public abstract boolean isRetriable();
}
