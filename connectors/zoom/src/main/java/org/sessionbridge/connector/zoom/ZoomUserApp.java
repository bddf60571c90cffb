package org.sessionbridge.connector.zoom;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The hub's user-level OAuth app ({@code sessionbridge.zoom.user-oauth.client-id}, {@code
 * client-secret}), which providers with a personal Zoom account authorise, and the redirect URI
 * registered with it ({@code {public-base-url}/oauth/zoom/callback}). {@link #toString()} never
 * shows the secret.
 */
public record ZoomUserApp(String clientId, String clientSecret, String redirectUri) {

  public ZoomUserApp {
    notBlank("sessionbridge.zoom.user-oauth.client-id", clientId);
    notBlank("sessionbridge.zoom.user-oauth.client-secret", clientSecret);
    notBlank("sessionbridge.public-base-url", redirectUri);
    try {
      URI uri = new URI(redirectUri);
      if (!uri.isAbsolute() || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "the Zoom redirect URI must be absolute (sessionbridge.public-base-url): "
                + redirectUri);
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "the Zoom redirect URI is not a URI (sessionbridge.public-base-url): " + redirectUri);
    }
  }

  private static void notBlank(String property, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(property + " must not be blank");
    }
  }

  @Override
  public String toString() {
    return "ZoomUserApp[clientId="
        + clientId
        + ", clientSecret=<redacted>, redirectUri="
        + redirectUri
        + "]";
  }
}
