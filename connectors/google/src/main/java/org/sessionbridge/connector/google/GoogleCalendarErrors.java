package org.sessionbridge.connector.google;

import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpResponseException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.connector.google.GoogleFailure.Kind;
import org.sessionbridge.core.port.CalendarProviderException;
import org.sessionbridge.core.port.CalendarProviderException.CursorExpired;
import org.sessionbridge.core.port.CalendarProviderException.Gone;
import org.sessionbridge.core.port.CalendarProviderException.NotAuthorized;
import org.sessionbridge.core.port.CalendarProviderException.Rejected;
import org.sessionbridge.core.port.CalendarProviderException.Retryable;

/**
 * The one place that reads Google's failures (API-NOTES §3.5): {@link #classify} turns what the
 * client threw into a {@link GoogleFailure}, {@link #toPort} turns that, or a guard's refusal, into
 * the port's {@link CalendarProviderException}.
 *
 * <p>Google's error bodies are not quoted and the client's exception is not kept as the cause: its
 * message holds the request URL, whose calendar id is often the owner's e-mail address.
 */
final class GoogleCalendarErrors {

  private final Clock clock;
  private final GoogleResilience resilience;

  GoogleCalendarErrors(Clock clock, GoogleResilience resilience) {
    this.clock = clock;
    this.resilience = resilience;
  }

  /** What a request ended in, for the retry, the breaker and the caller's own decisions. */
  GoogleFailure classify(String operation, IOException failure) {
    if (!(failure instanceof HttpResponseException response)) {
      return new GoogleFailure(
          Kind.NETWORK,
          "Google Calendar "
              + operation
              + ": no answer ("
              + failure.getClass().getSimpleName()
              + ")",
          null,
          failure);
    }
    int status = response.getStatusCode();
    String reason = reason(response);
    Duration retryAfter = retryAfter(response.getHeaders().getRetryAfter());
    String message =
        "Google Calendar "
            + operation
            + ": HTTP "
            + status
            + (reason.isEmpty() ? "" : " " + reason);
    Kind kind;
    if (status == 401) {
      kind = Kind.UNAUTHORIZED;
    } else if (status == 403
        && ("rateLimitExceeded".equals(reason) || "userRateLimitExceeded".equals(reason))) {
      kind = Kind.RATE_LIMITED;
    } else if (status == 403 && ("quotaExceeded".equals(reason))) {
      kind = Kind.USAGE_LIMIT;
    } else if (status == 429) {
      kind = Kind.RATE_LIMITED;
    } else if (status == 404) {
      kind = Kind.NOT_FOUND;
    } else if (status == 409) {
      kind = Kind.DUPLICATE;
    } else if (status == 410) {
      kind = Kind.GONE;
    } else if (status == 408 || status >= 500) {
      kind = Kind.SERVER;
    } else {
      kind = Kind.REJECTED;
    }
    return new GoogleFailure(kind, message, retryAfter, null);
  }

  /** A 2xx answer we could not use (no sync token on the last page, endless pages). */
  Retryable unreadable(String operation, String what) {
    return new Retryable("Google Calendar " + operation + ": " + what, null, null);
  }

  /** A 410 on a read with a cursor: Google wants one full sync. */
  CursorExpired cursorExpired(GoogleFailure gone) {
    return new CursorExpired(
        gone.getMessage() + "; the sync token expired or was invalidated, a full sync is needed",
        null);
  }

  /** Whether the retry repeats this attempt inline: outages and short rate-limit waits. */
  boolean worthRetryingInline(Throwable failure) {
    if (!(failure instanceof GoogleFailure google)) {
      return false;
    }
    return switch (google.kind()) {
      case SERVER, NETWORK -> true;
      case RATE_LIMITED ->
          google.retryAfter().map(w -> w.compareTo(resilience.maxInlineWait()) <= 0).orElse(true);
      default -> false;
    };
  }

  /**
   * The port's exception for what is left after the guards: a {@link GoogleFailure}, a guard's
   * refusal, or a {@link CalendarProviderException} the account's token supplier threw.
   *
   * @param breakerOpenFor how long the open breaker still refuses calls
   */
  RuntimeException toPort(String operation, RuntimeException failure, Duration breakerOpenFor) {
    if (failure instanceof CalendarProviderException fromAccount) {
      return fromAccount;
    }
    if (failure instanceof CallNotPermittedException) {
      return new Retryable(
          "Google Calendar "
              + operation
              + " not sent: Google failed repeatedly, calls are paused (circuit breaker open)",
          breakerOpenFor,
          null);
    }
    if (failure instanceof RequestNotPermitted) {
      return new Retryable(
          "Google Calendar "
              + operation
              + " not sent: no rate-limit permit within "
              + resilience.permitWait().toMillis()
              + " ms for this account",
          resilience.limitRefreshPeriod(),
          null);
    }
    if (!(failure instanceof GoogleFailure google)) {
      return failure; // a defect, not Google's answer: let it surface as such
    }
    String message = google.getMessage();
    return switch (google.kind()) {
      case RATE_LIMITED, SERVER, NETWORK ->
          new Retryable(message, google.retryAfter().orElse(null), google.getCause());
      case USAGE_LIMIT ->
          new Retryable(
              message + "; Google's usage limits, back off long",
              google.retryAfter().orElse(resilience.usageLimitWait()),
              null);
      case UNAUTHORIZED ->
          new NotAuthorized(
              message
                  + "; refused with a freshly refreshed token: the calendar link needs"
                  + " re-authorisation",
              null);
      case NOT_FOUND ->
          new Gone(
              message + "; the calendar does not exist or the account lost access to it", null);
      case GONE -> new Gone(message, null);
      case DUPLICATE, REJECTED -> new Rejected(message, null);
    };
  }

  /** Google's first error reason ({@code error.errors[0].reason}), or empty. */
  private static String reason(HttpResponseException response) {
    if (response instanceof GoogleJsonResponseException json) {
      GoogleJsonError details = json.getDetails();
      if (details != null && details.getErrors() != null && !details.getErrors().isEmpty()) {
        String reason = details.getErrors().get(0).getReason();
        if (reason != null && reason.matches("[A-Za-z]{1,64}")) {
          return reason;
        }
      }
    }
    return "";
  }

  /** {@code Retry-After} as seconds or an HTTP date. */
  private @Nullable Duration retryAfter(@Nullable String header) {
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
}
