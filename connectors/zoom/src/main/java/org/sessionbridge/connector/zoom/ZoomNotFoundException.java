package org.sessionbridge.connector.zoom;

import org.jspecify.annotations.Nullable;

/** Zoom does not know the meeting or user (404, codes 3001 and 1001). */
public final class ZoomNotFoundException extends ZoomException {

  private static final long serialVersionUID = 1L;

  ZoomNotFoundException(
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
