package org.sessionbridge.connector.zoom;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Zoom refused the request as such (400 and other 4xx not covered elsewhere): validation failures
 * (code 300), a user not allowed to host (3161), a meeting that cannot be deleted (3018, 3037)...
 * Sending the same request again will fail again.
 */
public final class ZoomRejectedException extends ZoomException {

  private static final long serialVersionUID = 1L;

  private final String zoomMessage;
  private final List<String> invalidFields;

  ZoomRejectedException(
      String message,
      int httpStatus,
      @Nullable Integer zoomCode,
      @Nullable String trackingId,
      String zoomMessage,
      List<String> invalidFields) {
    super(message, httpStatus, zoomCode, trackingId, null);
    this.zoomMessage = zoomMessage;
    this.invalidFields = List.copyOf(invalidFields);
  }

  /** Zoom's own {@code message}, with any URL removed. */
  public String zoomMessage() {
    return zoomMessage;
  }

  /** The {@code field} names of Zoom's {@code errors} array, e.g. {@code settings.jbh_time}. */
  public List<String> invalidFields() {
    return invalidFields;
  }

  @Override
  public boolean isRetriable() {
    return false;
  }
}
