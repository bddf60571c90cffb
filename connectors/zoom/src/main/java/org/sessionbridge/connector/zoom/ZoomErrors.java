package org.sessionbridge.connector.zoom;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import okhttp3.Headers;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place that turns Zoom's answers (HTTP status, error envelope, rate-limit headers) and I/O
 * failures into the {@link ZoomException} family. Error envelope and codes: API-NOTES §1.4,
 * https://developers.zoom.us/docs/api/errors; rate-limit headers: API-NOTES §1.5.
 */
final class ZoomErrors {

  /** Invalid or expired access token. */
  static final int CODE_INVALID_TOKEN = 124;

  /** Invalid access token or missing scopes (400 or 401). */
  static final int CODE_TOKEN_OR_SCOPE = 4700;

  static final int CODE_USER_NOT_FOUND = 1001;
  static final int CODE_MEETING_NOT_FOUND = 3001;

  /**
   * Zoom's texts: "exceeded the daily rate limit (100)", "reached the maximum daily rate limit".
   */
  private static final Pattern DAILY_LIMIT = Pattern.compile("(?i)\\bdaily\\s+(?:rate\\s+)?limit");

  private static final Pattern URL = Pattern.compile("(?i)\\b(?:https?|zoommtg|zoomus)://\\S+");
  private static final int MAX_MESSAGE = 300;

  private final Clock clock;
  private final JsonMapper json;

  ZoomErrors(Clock clock, JsonMapper json) {
    this.clock = clock;
    this.json = json;
  }

  /** Maps a non-2xx answer of the REST API. */
  ZoomException forApiResponse(String operation, int status, Headers headers, String body) {
    Envelope envelope = envelope(body);
    String trackingId = headers.get("x-zm-trackingid");
    String message =
        "Zoom "
            + operation
            + " failed: HTTP "
            + status
            + (envelope.code == null ? "" : ", Zoom code " + envelope.code)
            + (envelope.message.isEmpty() ? "" : " (" + envelope.message + ")")
            + (trackingId == null ? "" : ", tracking id " + trackingId);
    Integer code = envelope.code;
    if (status == 429 || (code != null && code == 429)) {
      return rateLimited(message, status, code, trackingId, headers, envelope.message);
    }
    if (status >= 500 || status == 408) {
      return new ZoomTransientException(
          message, status, code, trackingId, retryAfter(headers), null);
    }
    if (status == 401
        || status == 403
        || (code != null && (code == CODE_INVALID_TOKEN || code == CODE_TOKEN_OR_SCOPE))) {
      return new ZoomAuthorizationException(message, status, code, trackingId, null);
    }
    if (status == 404
        || (code != null && (code == CODE_MEETING_NOT_FOUND || code == CODE_USER_NOT_FOUND))) {
      return new ZoomNotFoundException(message, status, code, trackingId, null);
    }
    return new ZoomRejectedException(
        message, status, code, trackingId, envelope.message, envelope.fields);
  }

  /**
   * Maps a non-2xx answer of {@code POST /oauth/token}. Its body is {@code
   * {"reason":..,"error":"invalid_client"}} or an envelope with codes 4700-4741.
   */
  ZoomException forTokenResponse(int status, Headers headers, String body) {
    String trackingId = headers.get("x-zm-trackingid");
    String error = "";
    Integer code = null;
    JsonNode node = tryParse(body);
    if (node != null && node.isObject()) {
      JsonNode e = node.path("error");
      error = e.isString() ? clean(e.asString()) : "";
      JsonNode c = node.path("code");
      code = c.isIntegralNumber() && c.canConvertToInt() ? c.asInt() : null;
    }
    String message =
        "Zoom OAuth token request failed: HTTP "
            + status
            + (error.isEmpty() ? "" : ", error " + error)
            + (code == null ? "" : ", Zoom code " + code)
            + (trackingId == null ? "" : ", tracking id " + trackingId);
    if (status == 429 || status >= 500 || status == 408) {
      return new ZoomTransientException(
          message, status, code, trackingId, retryAfter(headers), null);
    }
    return new ZoomAuthorizationException(message, status, code, trackingId, null);
  }

  /**
   * Maps a non-2xx answer of {@code POST /oauth/token} for a user-level grant ({@code
   * authorization_code} or {@code refresh_token}, API-NOTES §1.1): 429, 408 and 5xx are transient;
   * everything else is a {@link ZoomAuthorizationException} whose message says what happened in
   * words (code expired 4733, invalid code 4734, revoked 4741, invalid_grant, ...), plus Zoom's
   * error, code, reason and tracking id.
   */
  ZoomException forUserTokenResponse(String operation, int status, Headers headers, String body) {
    String trackingId = headers.get("x-zm-trackingid");
    String error = "";
    String reason = "";
    Integer code = null;
    JsonNode node = tryParse(body);
    if (node != null && node.isObject()) {
      JsonNode e = node.path("error");
      error = e.isString() ? clean(e.asString()) : "";
      JsonNode r = node.path("reason").isString() ? node.path("reason") : node.path("message");
      reason = r.isString() ? clean(r.asString()) : "";
      JsonNode c = node.path("code");
      code = c.isIntegralNumber() && c.canConvertToInt() ? c.asInt() : null;
    }
    String message =
        "Zoom "
            + operation
            + " failed: "
            + userOAuthMeaning(code, error, reason)
            + " (HTTP "
            + status
            + (error.isEmpty() ? "" : ", error " + error)
            + (code == null ? "" : ", Zoom code " + code)
            + (reason.isEmpty() ? "" : ", " + reason)
            + (trackingId == null ? "" : ", tracking id " + trackingId)
            + ")";
    if (status == 429 || status >= 500 || status == 408) {
      return new ZoomTransientException(
          message, status, code, trackingId, retryAfter(headers), null);
    }
    return new ZoomAuthorizationException(message, status, code, trackingId, null);
  }

  /** Zoom's OAuth error codes 4700-4741 and {@code error} values in words. */
  static String userOAuthMeaning(@Nullable Integer code, String error, String reason) {
    if (code != null) {
      switch (code) {
        case 4733:
          return "the authorization code expired";
        case 4734:
          return "the authorization code is invalid";
        case 4741:
          return "the token was revoked (a later authorization supersedes it)";
        case 4735:
          return "the user who authorized no longer exists";
        case 4709:
          return "the redirect URI does not match the app's";
        case 4702:
        case 4704:
          return "the app's client id or secret is invalid";
        case 4705:
          return "the grant type is not supported";
        default:
          break;
      }
    }
    String lower = reason.toLowerCase(java.util.Locale.ROOT);
    switch (error) {
      case "invalid_grant":
        if (lower.contains("expired")) {
          return "the grant expired";
        }
        return "Zoom refused the grant (invalid_grant): the code or token is invalid, spent or"
            + " revoked";
      case "invalid_client":
        return "the app's client id or secret is invalid";
      case "invalid_request":
        return lower.contains("redirect")
            ? "the redirect URI does not match the app's"
            : "Zoom found the request invalid";
      case "unsupported_grant_type":
        return "the grant type is not supported";
      default:
        return "Zoom refused the request";
    }
  }

  /**
   * A 429, per-second or daily (API-NOTES §1.5). Zoom marks the daily one with {@code
   * X-RateLimit-Type: Daily-limit} and an ISO-8601 {@code Retry-After}, but answers without either
   * have been seen, so its message ("... daily rate limit ...") counts too; with no time given the
   * budget comes back at the next 00:00 UTC, when Zoom resets it.
   */
  private ZoomTransientException rateLimited(
      String message,
      int status,
      @Nullable Integer code,
      @Nullable String trackingId,
      Headers headers,
      String zoomMessage) {
    Instant now = clock.instant();
    Instant retryAt = retryAt(headers, now);
    String type = headers.get("X-RateLimit-Type");
    boolean daily =
        (type != null && type.strip().equalsIgnoreCase("Daily-limit"))
            || DAILY_LIMIT.matcher(zoomMessage).find();
    if (!daily) {
      return new ZoomTransientException(
          message, status, code, trackingId, until(now, retryAt), null);
    }
    Instant resumeAt;
    if (retryAt == null) {
      resumeAt =
          now.atOffset(ZoneOffset.UTC)
              .toLocalDate()
              .plusDays(1)
              .atStartOfDay(ZoneOffset.UTC)
              .toInstant();
    } else {
      resumeAt = retryAt.isBefore(now) ? now : retryAt;
    }
    return new ZoomTransientException(
        message, status, code, trackingId, Duration.between(now, resumeAt), resumeAt, null);
  }

  /** Maps a call that got no (complete) response: timeouts, resets, refused connections. */
  ZoomTransientException forIoFailure(String operation, IOException failure) {
    String what =
        failure instanceof InterruptedIOException
            ? "timed out"
            : "lost the connection (" + failure.getClass().getSimpleName() + ")";
    return new ZoomTransientException(
        "Zoom " + operation + " " + what + "; Zoom may or may not have applied it",
        0,
        null,
        null,
        null,
        failure);
  }

  /**
   * A 2xx answer this client cannot read. The body and the parser's message are left out on
   * purpose: they may hold join/start URLs or tokens.
   */
  ZoomProtocolException malformed(String operation, int status, Headers headers, String what) {
    String trackingId = headers.get("x-zm-trackingid");
    return new ZoomProtocolException(
        "Zoom "
            + operation
            + " returned an unreadable body (HTTP "
            + status
            + "): "
            + what
            + (trackingId == null ? "" : ", tracking id " + trackingId),
        status,
        null,
        trackingId,
        null);
  }

  /**
   * {@code Retry-After} as delta seconds, as an ISO-8601 timestamp (Zoom's daily limit) or as an
   * HTTP date; else {@code X-RateLimit-Reset} as unix seconds; else nothing.
   */
  @Nullable Duration retryAfter(Headers headers) {
    Instant now = clock.instant();
    return until(now, retryAt(headers, now));
  }

  /** When Zoom said to come back, from the headers {@link #retryAfter(Headers)} reads. */
  private static @Nullable Instant retryAt(Headers headers, Instant now) {
    String retryAfter = headers.get("Retry-After");
    if (retryAfter != null && !retryAfter.isBlank()) {
      String value = retryAfter.strip();
      try {
        return now.plusSeconds(Math.max(0, Long.parseLong(value)));
      } catch (NumberFormatException notSeconds) {
        // fall through to the timestamp forms
      } catch (java.time.DateTimeException absurd) {
        return null;
      }
      Instant at = instant(value);
      if (at != null) {
        return at;
      }
    }
    String reset = headers.get("X-RateLimit-Reset");
    if (reset != null) {
      try {
        return Instant.ofEpochSecond(Long.parseLong(reset.strip()));
      } catch (NumberFormatException | java.time.DateTimeException ignored) {
        return null;
      }
    }
    return null;
  }

  private static @Nullable Duration until(Instant now, @Nullable Instant at) {
    return at == null ? null : nonNegative(Duration.between(now, at));
  }

  private static @Nullable Instant instant(String value) {
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException notIso) {
      try {
        return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      } catch (DateTimeParseException notHttpDate) {
        return null;
      }
    }
  }

  private static Duration nonNegative(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }

  private Envelope envelope(String body) {
    JsonNode node = tryParse(body);
    if (node == null || !node.isObject()) {
      return new Envelope(null, "", List.of());
    }
    JsonNode c = node.path("code");
    Integer code = c.isIntegralNumber() && c.canConvertToInt() ? c.asInt() : null;
    JsonNode m = node.path("message");
    String message = m.isString() ? clean(m.asString()) : "";
    List<String> fields = new ArrayList<>();
    for (JsonNode error : node.path("errors")) {
      JsonNode field = error.path("field");
      if (field.isString()) {
        fields.add(clean(field.asString()));
      }
    }
    return new Envelope(code, message, fields);
  }

  private @Nullable JsonNode tryParse(String body) {
    if (body.isBlank()) {
      return null;
    }
    try {
      return json.readTree(body);
    } catch (JacksonException notJson) {
      return null;
    }
  }

  /** Zoom's texts go into our messages: drop URLs and control characters, and cap the length. */
  static String clean(String text) {
    String noUrls = URL.matcher(text).replaceAll("<url>");
    String printable = noUrls.replaceAll("\\p{Cntrl}", " ").strip();
    return printable.length() <= MAX_MESSAGE
        ? printable
        : printable.substring(0, MAX_MESSAGE) + "...";
  }

  private record Envelope(@Nullable Integer code, String message, List<String> fields) {}
}
