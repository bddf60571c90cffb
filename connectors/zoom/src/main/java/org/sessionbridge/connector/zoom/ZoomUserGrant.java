package org.sessionbridge.connector.zoom;

import java.time.Duration;

/**
 * What Zoom's token endpoint granted for a user: an access token (about an hour) and a refresh
 * token that is spent by the next refresh (rotation, API-NOTES §1.1). {@link #toString()} shows
 * neither.
 */
public record ZoomUserGrant(
    String accessToken, String refreshToken, Duration expiresIn, String scope) {
  @Override
  public String toString() {
    return "ZoomUserGrant[<redacted>, expiresIn=" + expiresIn + ", scope=" + scope + "]";
  }
}
