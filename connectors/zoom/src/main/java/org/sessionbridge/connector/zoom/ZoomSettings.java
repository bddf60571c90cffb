package org.sessionbridge.connector.zoom;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;

/**
 * Where and how patiently to talk to Zoom ({@code sessionbridge.zoom.*}). Validated on construction
 * so that a bad value fails at startup with the property named.
 *
 * @param apiBaseUrl REST base, {@code https://api.zoom.us/v2} in production
 * @param oauthBaseUrl OAuth host, {@code https://zoom.us} in production (a different host)
 * @param connectTimeout TCP/TLS connect timeout
 * @param readTimeout socket read (and write) timeout per call
 */
public record ZoomSettings(
    String apiBaseUrl, String oauthBaseUrl, Duration connectTimeout, Duration readTimeout) {

  public static final String DEFAULT_API_BASE_URL = "https://api.zoom.us/v2";
  public static final String DEFAULT_OAUTH_BASE_URL = "https://zoom.us";
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(15);

  public ZoomSettings {
    apiBaseUrl = httpUrl("sessionbridge.zoom.api-base-url", apiBaseUrl);
    oauthBaseUrl = httpUrl("sessionbridge.zoom.oauth-base-url", oauthBaseUrl);
    positive("sessionbridge.zoom.connect-timeout", connectTimeout);
    positive("sessionbridge.zoom.read-timeout", readTimeout);
  }

  /** Production hosts and default timeouts. */
  public static ZoomSettings defaults() {
    return new ZoomSettings(
        DEFAULT_API_BASE_URL,
        DEFAULT_OAUTH_BASE_URL,
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_READ_TIMEOUT);
  }

  /** Both base URLs pointed at one host, as a WireMock server serves both in tests. */
  static ZoomSettings forHost(String baseUrl, Duration connectTimeout, Duration readTimeout) {
    String base = httpUrl("sessionbridge.zoom.api-base-url", baseUrl);
    return new ZoomSettings(base + "/v2", base, connectTimeout, readTimeout);
  }

  private static String httpUrl(String property, String value) {
    if (value == null) {
      throw new IllegalArgumentException(property + " must be an absolute http(s) URL: null");
    }
    try {
      URI uri = new URI(value.strip());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!uri.isAbsolute()
          || !(scheme.equals("https") || scheme.equals("http"))
          || uri.getHost() == null
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        throw new IllegalArgumentException(property + " must be an absolute http(s) URL: " + value);
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(property + " must be an absolute http(s) URL: " + value);
    }
    String normalized = value.strip();
    while (normalized.endsWith("/")) {
      normalized = normalized.substring(0, normalized.length() - 1);
    }
    return normalized;
  }

  private static void positive(String property, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(property + " must be a positive duration: " + value);
    }
  }
}
