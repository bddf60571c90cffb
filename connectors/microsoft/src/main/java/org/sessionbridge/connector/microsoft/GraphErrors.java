package org.sessionbridge.connector.microsoft;

import com.microsoft.graph.models.odataerrors.MainError;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.kiota.ApiException;
import com.microsoft.kiota.ResponseHeaders;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.connector.microsoft.GraphFailure.Kind;
import org.sessionbridge.core.port.CalendarProviderException;
import org.sessionbridge.core.port.MeetingPlatformException;

/**
 * The one place that reads Graph's failures (API-NOTES §2.7, §2.9): {@link #classify} turns what
 * the SDK threw into a {@link GraphFailure}; {@link #toMeeting} and {@link #toCalendar} turn that,
 * or a guard's refusal, into the port's exceptions.
 *
 * <p>Graph's message is quoted only for rejected requests (400 and the like, where it says what to
 * fix), cut short and with quoted values, e-mail addresses and URLs removed: Graph sometimes echoes
 * the subject or an address. The SDK's exception is not kept as the cause (its message may hold the
 * request URL, which names the mailbox).
 */
final class GraphErrors {

  /** Graph's codes for a delta token it no longer accepts (API-NOTES §2.4). */
  private static final Set<String> SYNC_RESET_CODES =
      Set.of("syncStateNotFound", "resyncRequired", "syncStateInvalid");

  private final Clock clock;
  private final MicrosoftResilience resilience;

  GraphErrors(Clock clock, MicrosoftResilience resilience) {
    this.clock = clock;
    this.resilience = resilience;
  }

  /**
   * What a request ended in. A {@link GraphFailure} passes through; anything that is neither
   * Graph's answer nor a lost connection is returned unchanged (a defect, or the token source's own
   * port exception).
   */
  RuntimeException classify(String operation, RuntimeException failure) {
    if (failure instanceof GraphFailure) {
      return failure;
    }
    if (failure instanceof ApiException api && api.getResponseStatusCode() > 0) {
      return fromAnswer(operation, api);
    }
    IOException io = ioCause(failure);
    if (io != null) {
      boolean timeout = io instanceof InterruptedIOException;
      return new GraphFailure(
          Kind.NETWORK,
          0,
          "",
          "Microsoft Graph "
              + operation
              + ": "
              + (timeout ? "no answer in time" : "no answer")
              + " ("
              + io.getClass().getSimpleName()
              + ")",
          null,
          null);
    }
    return failure;
  }

  private GraphFailure fromAnswer(String operation, ApiException api) {
    int status = api.getResponseStatusCode();
    String code = "";
    String graphMessage = "";
    if (api instanceof ODataError odata && odata.getError() != null) {
      MainError error = odata.getError();
      code = error.getCode() == null ? "" : error.getCode();
      graphMessage = error.getMessage() == null ? "" : error.getMessage();
    }
    if (!code.matches("[A-Za-z0-9_.\\-]{0,80}")) {
      code = "";
    }
    Duration retryAfter = retryAfter(header(api.getResponseHeaders(), "Retry-After"));
    Kind kind;
    if (status == 401) {
      kind = Kind.UNAUTHORIZED;
    } else if (status == 403) {
      kind = Kind.FORBIDDEN;
    } else if (status == 404) {
      kind = Kind.NOT_FOUND;
    } else if (status == 410) {
      kind = Kind.GONE;
    } else if (status == 429 || (status == 503 && retryAfter != null)) {
      kind = Kind.THROTTLED;
    } else if (status == 408 || status >= 500) {
      kind = Kind.SERVER;
    } else if (SYNC_RESET_CODES.contains(code)) {
      kind = Kind.SYNC_RESET;
    } else {
      kind = Kind.REJECTED;
    }
    String message =
        "Microsoft Graph "
            + operation
            + ": HTTP "
            + status
            + (code.isEmpty() ? "" : " " + code)
            + (kind == Kind.REJECTED && !graphMessage.isBlank() ? ": " + scrub(graphMessage) : "");
    return new GraphFailure(kind, status, code, message, retryAfter, null);
  }

  /** A 2xx answer we could not use. */
  GraphFailure unreadable(String operation, String what) {
    return new GraphFailure(
        Kind.UNREADABLE, 200, "", "Microsoft Graph " + operation + ": " + what, null, null);
  }

  /** Whether the retry repeats this attempt inline: outages and short throttling waits. */
  boolean worthRetryingInline(Throwable failure) {
    if (!(failure instanceof GraphFailure graph)) {
      return false;
    }
    return switch (graph.kind()) {
      case SERVER, NETWORK -> true;
      case THROTTLED ->
          graph.retryAfter().map(w -> w.compareTo(resilience.maxInlineWait()) <= 0).orElse(true);
      default -> false;
    };
  }

  /**
   * The meeting port's exception for what is left after the guards.
   *
   * @param breakerOpenFor how long the open breaker still refuses calls
   */
  RuntimeException toMeeting(
      String operation, RuntimeException failure, @Nullable Duration breakerOpenFor) {
    if (failure instanceof MeetingPlatformException port) {
      return port;
    }
    if (failure instanceof CallNotPermittedException) {
      return new MeetingPlatformException.Retryable(
          "Microsoft Graph " + operation + " not sent: " + BREAKER_OPEN, breakerOpenFor, null);
    }
    if (failure instanceof BulkheadFullException) {
      return new MeetingPlatformException.Retryable(
          "Microsoft Graph " + operation + " not sent: " + bulkheadFull(), null, null);
    }
    if (!(failure instanceof GraphFailure graph)) {
      return failure; // a defect, not Graph's answer: let it surface as such
    }
    String message = graph.getMessage();
    return switch (graph.kind()) {
      case THROTTLED, SERVER, NETWORK, UNREADABLE, TOKEN_UNAVAILABLE ->
          new MeetingPlatformException.Retryable(message, graph.retryAfter().orElse(null), null);
      case UNAUTHORIZED ->
          new MeetingPlatformException.NotAuthorized(
              message
                  + "; refused with a fresh app token: the practice must connect Microsoft 365"
                  + " again",
              null);
      case FORBIDDEN ->
          new MeetingPlatformException.NotAuthorized(
              message
                  + "; the app may not manage this organizer's meetings (OnlineMeetings.ReadWrite.All"
                  + " and an application access policy are needed)",
              null);
      case TOKEN_REFUSED -> new MeetingPlatformException.NotAuthorized(message, null);
      case NOT_FOUND, GONE -> new MeetingPlatformException.MeetingGone(message, null);
      case SYNC_RESET, REJECTED -> new MeetingPlatformException.Rejected(message, null);
    };
  }

  /**
   * The calendar port's exception for what is left after the guards.
   *
   * @param breakerOpenFor how long the open breaker still refuses calls
   */
  RuntimeException toCalendar(
      String operation, RuntimeException failure, @Nullable Duration breakerOpenFor) {
    if (failure instanceof CalendarProviderException port) {
      return port;
    }
    if (failure instanceof CallNotPermittedException) {
      return new CalendarProviderException.Retryable(
          "Microsoft Graph " + operation + " not sent: " + BREAKER_OPEN, breakerOpenFor, null);
    }
    if (failure instanceof BulkheadFullException) {
      return new CalendarProviderException.Retryable(
          "Microsoft Graph " + operation + " not sent: " + bulkheadFull(), null, null);
    }
    if (!(failure instanceof GraphFailure graph)) {
      return failure;
    }
    String message = graph.getMessage();
    return switch (graph.kind()) {
      case THROTTLED, SERVER, NETWORK, UNREADABLE, TOKEN_UNAVAILABLE ->
          new CalendarProviderException.Retryable(message, graph.retryAfter().orElse(null), null);
      case UNAUTHORIZED, TOKEN_REFUSED ->
          new CalendarProviderException.NotAuthorized(
              message
                  + "; refused with a freshly refreshed token: the calendar link needs"
                  + " re-authorisation",
              null);
      case FORBIDDEN ->
          new CalendarProviderException.NotAuthorized(
              message + "; the account no longer grants access to this calendar", null);
      case NOT_FOUND, GONE ->
          new CalendarProviderException.Gone(
              message + "; the calendar does not exist or the account lost access to it", null);
      case SYNC_RESET ->
          new CalendarProviderException.CursorExpired(
              message + "; the delta link expired, a full sync is needed", null);
      case REJECTED -> new CalendarProviderException.Rejected(message, null);
    };
  }

  private static final String BREAKER_OPEN =
      "Microsoft Graph failed repeatedly, calls are paused (circuit breaker open)";

  private String bulkheadFull() {
    return "this mailbox already has "
        + resilience.concurrentPerMailbox()
        + " requests in flight (Outlook allows 4) and none finished within "
        + resilience.permitWait().toMillis()
        + " ms";
  }

  private static @Nullable IOException ioCause(Throwable failure) {
    Throwable t = failure;
    for (int depth = 0; t != null && depth < 10; depth++) {
      if (t instanceof IOException io) {
        return io;
      }
      t = t.getCause();
    }
    return null;
  }

  static @Nullable String header(@Nullable ResponseHeaders headers, String name) {
    if (headers == null) {
      return null;
    }
    for (Map.Entry<String, Set<String>> entry : headers.entrySet()) {
      if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
        return entry.getValue().iterator().next();
      }
    }
    return null;
  }

  /** {@code Retry-After} as seconds (Graph's form) or an HTTP date. */
  @Nullable Duration retryAfter(@Nullable String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String value = header.trim();
    if (value.matches("\\d{1,9}")) {
      return Duration.ofSeconds(Long.parseLong(value));
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(clock.instant(), at);
      return wait.isNegative() ? Duration.ZERO : wait;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Graph's own words, without quoted values, addresses or links; one line, at most 200 chars. */
  static String scrub(String graphMessage) {
    String text =
        graphMessage
            .replaceAll("\\s+", " ")
            .replaceAll("https?://\\S+", "<url>")
            .replaceAll("[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+", "<address>")
            .replaceAll("'[^']*'", "'…'")
            .replaceAll("\"[^\"]*\"", "\"…\"")
            .strip();
    return text.length() > 200 ? text.substring(0, 200) + "…" : text;
  }
}
