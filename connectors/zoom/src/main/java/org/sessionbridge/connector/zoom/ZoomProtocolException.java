package org.sessionbridge.connector.zoom;

import org.jspecify.annotations.Nullable;

/**
 * Zoom answered with something this client cannot read (malformed JSON, a required field missing).
 * The message says which operation and field, never the body itself.
 */
public final class ZoomProtocolException extends ZoomException {

  private static final long serialVersionUID = 1L;

  ZoomProtocolException(
      String message,
      int httpStatus,
      @Nullable Integer zoomCode,
      @Nullable String trackingId,
      @Nullable Throwable cause) {
    super(message, httpStatus, zoomCode, trackingId, cause);
  }

  @Override
  public boolean isRetriable() {
    return false;
  }
}
