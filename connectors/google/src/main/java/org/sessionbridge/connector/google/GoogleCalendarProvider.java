package org.sessionbridge.connector.google;

import com.google.api.client.googleapis.services.AbstractGoogleClientRequest;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.model.CalendarList;
import com.google.api.services.calendar.model.CalendarListEntry;
import com.google.api.services.calendar.model.Channel;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.Events;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.connector.google.GoogleFailure.Kind;
import org.sessionbridge.core.calendar.CalendarAccount;
import org.sessionbridge.core.calendar.CalendarChanges;
import org.sessionbridge.core.calendar.CalendarEvent;
import org.sessionbridge.core.calendar.CalendarInfo;
import org.sessionbridge.core.calendar.ExternalEvent;
import org.sessionbridge.core.calendar.Removal;
import org.sessionbridge.core.port.CalendarProvider;
import org.sessionbridge.core.port.CalendarProviderException;
import org.sessionbridge.core.port.CalendarProviderException.NotAuthorized;
import org.sessionbridge.core.port.CalendarProviderException.Retryable;

/**
 * Google Calendar as a {@link CalendarProvider}, on Google's Calendar API v3 client ({@code
 * NetHttpTransport}, Gson) rooted at {@link GoogleSettings#calendarRootUrl()}, guarded by
 * Resilience4j as tuned by {@link GoogleResilience}.
 *
 * <p><b>Idempotent writes.</b> An appointment's event has a deterministic id ({@link
 * GoogleEventIds}). {@link #upsert} inserts it; Google's 409 {@code duplicate} means it exists (a
 * retry after a lost answer, an earlier version, or an event the owner deleted) and the event is
 * then replaced with {@code PUT} (update): one quota unit where {@code PATCH} costs three, and a
 * full replace that also reverts the owner's edits of our event, since the practice store is the
 * source of truth. Because a repeated insert cannot make a second event, inserts are retried like
 * every other call.
 *
 * <p><b>Guards.</b>
 *
 * <ul>
 *   <li>One <b>circuit breaker</b> for Google (ARCHITECTURE: one per platform) over the last {@link
 *       GoogleResilience#breakerWindow()} calls. Only outages count: 5xx, 408, timeouts and lost
 *       connections. While open, calls fail at once without a request, as {@link Retryable} with
 *       the time left.
 *   <li>A <b>rate limiter per account</b> ({@link CalendarAccount#id()}), below Google's 600
 *       requests per minute and user. Each attempt takes a permit; none within {@link
 *       GoogleResilience#permitWait()} is {@link Retryable}.
 *   <li>A <b>retry</b> of every call (all are idempotent here): 5xx, timeouts, lost connections,
 *       403 {@code rateLimitExceeded}/{@code userRateLimitExceeded} and 429, backing off from
 *       {@link GoogleResilience#retryBackoff()} and doubling, or Google's {@code Retry-After} when
 *       longer. A {@code Retry-After} beyond {@link GoogleResilience#maxInlineWait()} is not slept
 *       but handed back in {@link Retryable#retryAfter()}.
 *   <li>A 401 drops the token ({@link CalendarAccount#invalidate}) and repeats the request once
 *       with a fresh one; refused again, it is {@link NotAuthorized}.
 * </ul>
 *
 * <p><b>Failures</b> are mapped in {@link GoogleCalendarErrors} only. Messages carry the operation,
 * our event id, the HTTP status and Google's reason; never the calendar id (often an e-mail
 * address), tokens, titles, descriptions or join links.
 *
 * <p><b>Threading.</b> Thread-safe and blocking; one instance serves every account. Requests carry
 * the account's token in their own {@code Authorization} header over one shared transport.
 */
public final class GoogleCalendarProvider implements CalendarProvider {

  /** Stops a sync whose pages never end (250 000 events with the default page size). */
  static final int MAX_PAGES = 1_000;

  private final GoogleSettings settings;
  private final GoogleResilience resilience;
  private final Clock clock;
  private final Calendar client;
  private final GoogleCalendarErrors errors;
  private final CircuitBreaker breaker;
  private final Retry retry;
  private final ConcurrentMap<String, RateLimiter> limiters = new ConcurrentHashMap<>();

  /** Set when the breaker opens; read to tell callers how long to stay away. */
  private final AtomicReference<Instant> openUntil = new AtomicReference<>(Instant.MIN);

  public GoogleCalendarProvider(GoogleSettings settings, GoogleResilience resilience) {
    this(settings, resilience, Clock.systemUTC());
  }

  GoogleCalendarProvider(GoogleSettings settings, GoogleResilience resilience, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.resilience = Objects.requireNonNull(resilience, "resilience");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.errors = new GoogleCalendarErrors(clock, resilience);
    int connectTimeout = (int) Math.min(settings.connectTimeout().toMillis(), Integer.MAX_VALUE);
    int readTimeout = (int) Math.min(settings.readTimeout().toMillis(), Integer.MAX_VALUE);
    this.client =
        new Calendar.Builder(
                new NetHttpTransport(),
                GsonFactory.getDefaultInstance(),
                request -> {
                  request.setConnectTimeout(connectTimeout);
                  request.setReadTimeout(readTimeout);
                  // Retrying is the guards' job, with our backoff and counts.
                  request.setNumberOfRetries(0);
                  request.setIOExceptionHandler(null);
                  request.setUnsuccessfulResponseHandler(null);
                })
            .setRootUrl(settings.calendarRootUrl())
            .setServicePath(Calendar.DEFAULT_SERVICE_PATH)
            .setApplicationName("SessionBridge")
            .build();
    this.breaker =
        CircuitBreaker.of(
            "google-calendar",
            CircuitBreakerConfig.custom()
                .slidingWindowType(SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(resilience.breakerWindow())
                .minimumNumberOfCalls(resilience.breakerMinimumCalls())
                .failureRateThreshold(resilience.breakerFailureRatePercent())
                .waitDurationInOpenState(resilience.breakerOpenWait())
                .permittedNumberOfCallsInHalfOpenState(resilience.breakerHalfOpenCalls())
                .recordException(f -> f instanceof GoogleFailure g && g.isOutage())
                // A refused permit or the account's token trouble says nothing about Google.
                .ignoreExceptions(RequestNotPermitted.class, CalendarProviderException.class)
                .clock(clock)
                .build());
    this.breaker
        .getEventPublisher()
        .onStateTransition(
            event -> {
              if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                openUntil.set(clock.instant().plus(resilience.breakerOpenWait()));
              }
            });
    this.retry =
        Retry.of(
            "google-calendar",
            RetryConfig.<Object>custom()
                .maxAttempts(resilience.retryAttempts())
                .retryOnException(errors::worthRetryingInline)
                .intervalBiFunction(retryInterval())
                .build());
  }

  /**
   * {@code POST …/events} with our id; on 409 {@code PUT …/events/{id}} with the same body. {@code
   * sendUpdates=none}: the event has no attendees, nobody is e-mailed.
   */
  @Override
  public ExternalEvent upsert(CalendarAccount account, String calendarId, CalendarEvent event) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(calendarId, "calendarId");
    Objects.requireNonNull(event, "event");
    String eventId = GoogleEventIds.forAppointment(event.appointmentId());
    Event body = GoogleEvents.toGoogle(event, eventId);
    try {
      Event inserted =
          call(
              account,
              "insert event " + eventId,
              (google, bearer) ->
                  authorized(google.events().insert(calendarId, body), bearer)
                      .setSendUpdates("none")
                      .execute(),
              Kind.DUPLICATE);
      return stored(inserted, eventId, event.version(), true);
    } catch (GoogleFailure exists) {
      // 409 duplicate: created by an earlier attempt or version; replace it
    }
    Event updated =
        call(
            account,
            "update event " + eventId,
            (google, bearer) ->
                authorized(google.events().update(calendarId, eventId, body), bearer)
                    .setSendUpdates("none")
                    .execute());
    return stored(updated, eventId, event.version(), false);
  }

  /**
   * {@link Removal#DELETE}: {@code DELETE …/events/{id}}. {@link Removal#MARK_CANCELLED}: {@code
   * PATCH …/events/{id}} with only {@code status: cancelled}, sent by Google's client as {@code
   * POST} with {@code X-HTTP-Method-Override: PATCH} because the JDK's connection cannot send PATCH
   * (Google then hides the event as it does a deleted one, keeps it readable with our reference,
   * and a later upsert restores it). A 404 or 410 means gone already and returns {@code false}; so
   * does a repeat whose first attempt lost its answer after Google removed the event.
   */
  @Override
  public boolean remove(
      CalendarAccount account, String calendarId, UUID appointmentId, Removal removal) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(calendarId, "calendarId");
    Objects.requireNonNull(removal, "removal");
    String eventId = GoogleEventIds.forAppointment(appointmentId);
    try {
      if (removal == Removal.DELETE) {
        call(
            account,
            "delete event " + eventId,
            (google, bearer) -> {
              authorized(google.events().delete(calendarId, eventId), bearer)
                  .setSendUpdates("none")
                  .execute();
              return Boolean.TRUE;
            },
            Kind.NOT_FOUND,
            Kind.GONE);
      } else {
        Event cancelled = new Event().setStatus("cancelled");
        call(
            account,
            "cancel event " + eventId,
            (google, bearer) ->
                authorized(google.events().patch(calendarId, eventId, cancelled), bearer)
                    .setSendUpdates("none")
                    .execute(),
            Kind.NOT_FOUND,
            Kind.GONE);
      }
      return true;
    } catch (GoogleFailure alreadyGone) {
      return false;
    }
  }

  /**
   * {@code GET …/events?singleEvents=true&maxResults=…}: with {@code syncToken=cursor}, or without
   * a cursor from {@code timeMin} = now − {@link GoogleSettings#fullSyncLookBack()}; then each
   * {@code nextPageToken} until the last page brings {@code nextSyncToken}. Nothing that Google
   * forbids with a sync token ({@code timeMin}, {@code privateExtendedProperty}, …) is sent with
   * one. Recurring events come as their instances, so each instance is a busy block.
   */
  @Override
  public CalendarChanges changes(
      CalendarAccount account, String calendarId, @Nullable String cursor) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(calendarId, "calendarId");
    boolean full = cursor == null;
    String operation = full ? "full sync" : "incremental sync";
    DateTime timeMin =
        new DateTime(clock.instant().minus(settings.fullSyncLookBack()).toEpochMilli(), 0);
    GoogleEvents.Changes changes = new GoogleEvents.Changes();
    String pageToken = null;
    String nextCursor;
    int pages = 0;
    do {
      if (pages == MAX_PAGES) {
        throw errors.unreadable(operation, "more than " + MAX_PAGES + " pages");
      }
      String page = pageToken;
      Events events;
      try {
        events =
            call(
                account,
                operation + " page " + (pages + 1),
                (google, bearer) -> {
                  Calendar.Events.List list =
                      authorized(google.events().list(calendarId), bearer)
                          .setSingleEvents(true)
                          .setMaxResults(settings.pageSize());
                  if (full) {
                    list.setTimeMin(timeMin);
                  } else {
                    list.setSyncToken(cursor);
                  }
                  if (page != null) {
                    list.setPageToken(page);
                  }
                  return list.execute();
                },
                full ? new Kind[0] : new Kind[] {Kind.GONE});
      } catch (GoogleFailure expired) {
        throw errors.cursorExpired(expired);
      }
      changes.add(events);
      pageToken = blankToNull(events.getNextPageToken());
      nextCursor = blankToNull(events.getNextSyncToken());
      pages++;
    } while (pageToken != null);
    if (nextCursor == null) {
      throw errors.unreadable(operation, "the last page carries no nextSyncToken");
    }
    return changes.result(full, nextCursor);
  }

  /**
   * {@code GET /users/me/calendarList}, paged, without hidden or deleted entries: the owner's
   * calendars with their access role ({@code owner} or {@code writer} can receive sessions).
   */
  @Override
  public List<CalendarInfo> calendars(CalendarAccount account) {
    Objects.requireNonNull(account, "account");
    List<CalendarInfo> found = new ArrayList<>();
    String pageToken = null;
    int pages = 0;
    do {
      if (pages == MAX_PAGES) {
        throw errors.unreadable("list calendars", "more than " + MAX_PAGES + " pages");
      }
      String page = pageToken;
      CalendarList list =
          call(
              account,
              "list calendars",
              (google, bearer) -> {
                Calendar.CalendarList.List request =
                    authorized(google.calendarList().list(), bearer)
                        .setMaxResults(settings.pageSize());
                if (page != null) {
                  request.setPageToken(page);
                }
                return request.execute();
              });
      if (list.getItems() != null) {
        for (CalendarListEntry entry : list.getItems()) {
          if (entry.getId() == null
              || Boolean.TRUE.equals(entry.getDeleted())
              || Boolean.TRUE.equals(entry.getHidden())) {
            continue;
          }
          String role = String.valueOf(entry.getAccessRole());
          String name =
              entry.getSummaryOverride() != null
                  ? entry.getSummaryOverride()
                  : entry.getSummary() != null ? entry.getSummary() : entry.getId();
          found.add(
              new CalendarInfo(
                  entry.getId(),
                  name,
                  Boolean.TRUE.equals(entry.getPrimary()),
                  role.equals("owner") || role.equals("writer")));
        }
      }
      pageToken = blankToNull(list.getNextPageToken());
      pages++;
    } while (pageToken != null);
    found.sort(Comparator.comparing((CalendarInfo c) -> !c.primary()));
    return found;
  }

  /**
   * {@code POST …/calendars/{calendarId}/events/watch} with {@code type: web_hook}, our channel id
   * and token, and {@code params.ttl} in seconds; Google answers the resource id and the expiry in
   * epoch milliseconds (API-NOTES §3.4).
   */
  @Override
  public Watch watch(
      CalendarAccount account,
      String calendarId,
      String channelId,
      String token,
      URI address,
      Duration ttl) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(calendarId, "calendarId");
    Channel request =
        new Channel()
            .setId(channelId)
            .setType("web_hook")
            .setAddress(address.toString())
            .setToken(token)
            .setParams(Map.of("ttl", Long.toString(Math.max(1, ttl.toSeconds()))));
    Channel opened =
        call(
            account,
            "watch calendar",
            (google, bearer) ->
                authorized(google.events().watch(calendarId, request), bearer).execute());
    String resourceId = blankToNull(opened.getResourceId());
    if (resourceId == null) {
      throw errors.unreadable("watch calendar", "the channel carries no resourceId");
    }
    Long expiration = opened.getExpiration();
    Instant expires =
        expiration == null
            ? clock.instant().plus(ttl)
            : Instant.ofEpochMilli(expiration.longValue());
    return new Watch(resourceId, expires);
  }

  /** {@code POST …/channels/stop} with {@code {id, resourceId}}; 404 means gone already. */
  @Override
  public void stopWatch(CalendarAccount account, String channelId, String resourceId) {
    Objects.requireNonNull(account, "account");
    Channel channel = new Channel().setId(channelId).setResourceId(resourceId);
    try {
      call(
          account,
          "stop channel",
          (google, bearer) -> {
            authorized(google.channels().stop(channel), bearer).execute();
            return Boolean.TRUE;
          },
          Kind.NOT_FOUND,
          Kind.GONE);
    } catch (GoogleFailure alreadyGone) {
      // expired or stopped already
    }
  }

  @Override
  public String toString() {
    return "GoogleCalendarProvider["
        + settings.calendarRootUrl()
        + ", accounts="
        + limiters.size()
        + ", breaker="
        + breaker.getState()
        + "]";
  }

  /** One request against the client with a bearer token. */
  @FunctionalInterface
  private interface GoogleRequest<T> {
    T execute(Calendar google, String bearer) throws IOException;
  }

  /**
   * Runs {@code request} behind the guards. Failures of the {@code expected} kinds come back as the
   * {@link GoogleFailure} for the caller to act on (409 on insert, 404 on delete); every other
   * failure leaves as the port's exception.
   */
  private <T> T call(
      CalendarAccount account, String operation, GoogleRequest<T> request, Kind... expected) {
    RateLimiter limiter = limiters.computeIfAbsent(account.id(), this::limiter);
    Supplier<T> attempt =
        CircuitBreaker.decorateSupplier(
            breaker,
            RateLimiter.decorateSupplier(
                limiter, () -> withFreshTokenOnce(account, operation, request)));
    try {
      return Retry.decorateSupplier(retry, attempt).get();
    } catch (GoogleFailure failure) {
      for (Kind kind : expected) {
        if (failure.kind() == kind) {
          throw failure;
        }
      }
      throw errors.toPort(operation, failure, remainingOpenWait());
    } catch (RuntimeException failure) {
      throw errors.toPort(operation, failure, remainingOpenWait());
    }
  }

  /** One attempt; a 401 drops the token and repeats the request once with a fresh one. */
  private <T> T withFreshTokenOnce(
      CalendarAccount account, String operation, GoogleRequest<T> request) {
    String token = account.accessToken();
    try {
      return request.execute(client, token);
    } catch (IOException e) {
      GoogleFailure failure = errors.classify(operation, e);
      if (failure.kind() != Kind.UNAUTHORIZED) {
        throw failure;
      }
      account.invalidate(token);
    }
    String fresh = account.accessToken();
    try {
      return request.execute(client, fresh);
    } catch (IOException e) {
      throw errors.classify(operation, e);
    }
  }

  /** Our token in this request's own header; bodies uncompressed (small, and fakes read them). */
  private static <R extends AbstractGoogleClientRequest<?>> R authorized(R request, String bearer) {
    request.getRequestHeaders().setAuthorization("Bearer " + bearer);
    request.setDisableGZipContent(true);
    return request;
  }

  private RateLimiter limiter(String accountId) {
    return RateLimiter.of(
        "google-calendar-" + accountId,
        RateLimiterConfig.custom()
            .limitForPeriod(resilience.requestsPerPeriod())
            .limitRefreshPeriod(resilience.limitRefreshPeriod())
            .timeoutDuration(resilience.permitWait())
            .build());
  }

  /** Exponential backoff, or Google's {@code Retry-After} when that is longer. */
  private IntervalBiFunction<Object> retryInterval() {
    return (attempt, outcome) -> {
      long backoff = resilience.retryBackoff().toMillis() << Math.min(attempt - 1, 16);
      if (outcome.isLeft() && outcome.getLeft() instanceof GoogleFailure failure) {
        long asked = failure.retryAfter().map(Duration::toMillis).orElse(0L);
        return Math.max(backoff, asked);
      }
      return backoff;
    };
  }

  private Duration remainingOpenWait() {
    Duration left = Duration.between(clock.instant(), openUntil.get());
    return left.isNegative() ? Duration.ZERO : left;
  }

  private static ExternalEvent stored(
      Event event, String eventId, long appointmentVersion, boolean created) {
    String id = event.getId() == null ? eventId : event.getId();
    String etag = event.getEtag() == null ? "" : event.getEtag();
    return new ExternalEvent(id, etag, appointmentVersion, created);
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
