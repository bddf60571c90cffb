package org.sessionbridge.connector.zoom;

import org.jspecify.annotations.Nullable;

/**
 * The token endpoint rejected our credentials, or Zoom refused a call even with a freshly fetched
 * token (401 after one refresh, 403, scope errors). Needs an operator, not a retry.
 */
public final class ZoomAuthorizationException extends ZoomException {

  private static final long serialVersionUID = 1L;

  ZoomAuthorizationException(
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
