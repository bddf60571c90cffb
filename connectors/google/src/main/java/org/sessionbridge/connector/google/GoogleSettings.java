package org.sessionbridge.connector.google;

import java.net.URI;
import java.time.Duration;

/**
 * Where and how {@link GoogleCalendarProvider} talks to Google Calendar ({@code
 * sessionbridge.google.*}). Validated on construction so that a bad value fails at startup with the
 * property named.
 *
 * @param calendarRootUrl the API's root URL ({@code calendar-root-url}); the client appends {@code
 *     calendar/v3/}. A trailing slash is added when missing (Google's client requires one)
 * @param connectTimeout how long to wait for a connection
 * @param readTimeout how long to wait for an answer
 * @param pageSize events per page when reading changes (Google allows 1 to 2500)
 * @param fullSyncLookBack how far into the past a full sync (no cursor) reads; busy time in the
 *     past does not matter for availability
 */
public record GoogleSettings(
    String calendarRootUrl,
    Duration connectTimeout,
    Duration readTimeout,
    int pageSize,
    Duration fullSyncLookBack) {

  private static final String PREFIX = "sessionbridge.google.";

  /** Google's own root URL, the default of {@code sessionbridge.google.calendar-root-url}. */
  public static final String DEFAULT_CALENDAR_ROOT_URL = "https://www.googleapis.com/";

  public GoogleSettings {
    if (calendarRootUrl == null || calendarRootUrl.isBlank()) {
      throw new IllegalArgumentException(PREFIX + "calendar-root-url must be set");
    }
    URI uri;
    try {
      uri = URI.create(calendarRootUrl);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          PREFIX + "calendar-root-url must be an absolute http(s) URL: " + calendarRootUrl, e);
    }
    if (!uri.isAbsolute()
        || uri.getHost() == null
        || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
        || uri.getQuery() != null
        || uri.getFragment() != null) {
      throw new IllegalArgumentException(
          PREFIX + "calendar-root-url must be an absolute http(s) URL: " + calendarRootUrl);
    }
    if (!calendarRootUrl.endsWith("/")) {
      calendarRootUrl = calendarRootUrl + "/";
    }
    positive("connect-timeout", connectTimeout);
    positive("read-timeout", readTimeout);
    if (pageSize < 1 || pageSize > 2500) {
      throw new IllegalArgumentException(PREFIX + "page-size must be 1 to 2500: " + pageSize);
    }
    positive("full-sync-look-back", fullSyncLookBack);
  }

  /** Google itself; 5 s to connect, 20 s to answer, pages of 250, a full sync from a day ago. */
  public static GoogleSettings defaults() {
    return new GoogleSettings(
        DEFAULT_CALENDAR_ROOT_URL,
        Duration.ofSeconds(5),
        Duration.ofSeconds(20),
        250,
        Duration.ofDays(1));
  }

  /** The defaults with another root URL (a fake, WireMock). */
  public static GoogleSettings at(String calendarRootUrl) {
    GoogleSettings d = defaults();
    return new GoogleSettings(
        calendarRootUrl, d.connectTimeout, d.readTimeout, d.pageSize, d.fullSyncLookBack);
  }

  private static void positive(String property, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(
          PREFIX + property + " must be a positive duration: " + value);
    }
  }
}
