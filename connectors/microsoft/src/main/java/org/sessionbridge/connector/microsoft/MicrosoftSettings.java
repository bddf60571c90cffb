package org.sessionbridge.connector.microsoft;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;

/**
 * Where and how patiently to talk to Microsoft ({@code sessionbridge.microsoft.*}). Validated on
 * construction so that a bad value fails at startup with the property named.
 *
 * @param graphBaseUrl Graph's base URL with its version segment ({@code graph-base-url}, default
 *     {@code https://graph.microsoft.com/v1.0}); no trailing slash is kept
 * @param loginBaseUrl the Microsoft identity platform ({@code login-base-url}, default {@code
 *     https://login.microsoftonline.com}); tokens come from {@code
 *     {login-base-url}/{tenant}/oauth2/v2.0/token}
 * @param connectTimeout TCP/TLS connect timeout
 * @param readTimeout socket read (and write) timeout per request
 * @param deltaPageSize events per page of a calendar delta read ({@code Prefer:
 *     odata.maxpagesize}), 1 to 1000
 * @param syncLookBack how far into the past the calendar view of a full sync reaches
 * @param syncLookAhead how far into the future the calendar view of a full sync reaches (the delta
 *     keeps this window for its later rounds: Graph encodes it into the tokens)
 */
public record MicrosoftSettings(
    String graphBaseUrl,
    String loginBaseUrl,
    Duration connectTimeout,
    Duration readTimeout,
    int deltaPageSize,
    Duration syncLookBack,
    Duration syncLookAhead) {

  private static final String PREFIX = "sessionbridge.microsoft.";

  public static final String DEFAULT_GRAPH_BASE_URL = "https://graph.microsoft.com/v1.0";
  public static final String DEFAULT_LOGIN_BASE_URL = "https://login.microsoftonline.com";
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(20);

  public MicrosoftSettings {
    graphBaseUrl = httpUrl("graph-base-url", graphBaseUrl);
    loginBaseUrl = httpUrl("login-base-url", loginBaseUrl);
    positive("connect-timeout", connectTimeout);
    positive("read-timeout", readTimeout);
    if (deltaPageSize < 1 || deltaPageSize > 1000) {
      throw new IllegalArgumentException(
          PREFIX + "delta-page-size must be 1 to 1000: " + deltaPageSize);
    }
    positive("sync-look-back", syncLookBack);
    positive("sync-look-ahead", syncLookAhead);
  }

  /**
   * Microsoft itself; 5 s to connect, 20 s to answer, delta pages of 100, a calendar window from a
   * day ago to a year ahead.
   */
  public static MicrosoftSettings defaults() {
    return at(DEFAULT_GRAPH_BASE_URL, DEFAULT_LOGIN_BASE_URL);
  }

  /** The defaults with other base URLs (a fake, WireMock). */
  public static MicrosoftSettings at(String graphBaseUrl, String loginBaseUrl) {
    return new MicrosoftSettings(
        graphBaseUrl,
        loginBaseUrl,
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_READ_TIMEOUT,
        100,
        Duration.ofDays(1),
        Duration.ofDays(365));
  }

  /** These settings with other timeouts. */
  public MicrosoftSettings withTimeouts(Duration connect, Duration read) {
    return new MicrosoftSettings(
        graphBaseUrl, loginBaseUrl, connect, read, deltaPageSize, syncLookBack, syncLookAhead);
  }

  /** These settings with another delta page size. */
  public MicrosoftSettings withDeltaPageSize(int pageSize) {
    return new MicrosoftSettings(
        graphBaseUrl,
        loginBaseUrl,
        connectTimeout,
        readTimeout,
        pageSize,
        syncLookBack,
        syncLookAhead);
  }

  private static String httpUrl(String property, String value) {
    if (value == null) {
      throw new IllegalArgumentException(
          PREFIX + property + " must be an absolute http(s) URL: null");
    }
    try {
      URI uri = new URI(value.strip());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!uri.isAbsolute()
          || !(scheme.equals("https") || scheme.equals("http"))
          || uri.getHost() == null
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        throw new IllegalArgumentException(
            PREFIX + property + " must be an absolute http(s) URL: " + value);
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          PREFIX + property + " must be an absolute http(s) URL: " + value);
    }
    String normalized = value.strip();
    while (normalized.endsWith("/")) {
      normalized = normalized.substring(0, normalized.length() - 1);
    }
    return normalized;
  }

  private static void positive(String property, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(
          PREFIX + property + " must be a positive duration: " + value);
    }
  }
}
