package org.sessionbridge.connector.zoom;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.meeting.MeetingSpec;
import org.sessionbridge.core.meeting.PlatformMeeting;
import org.sessionbridge.core.port.MeetingPlatform;
import org.sessionbridge.core.port.MeetingPlatformException;
import org.sessionbridge.core.port.MeetingPlatformException.BudgetExhausted;
import org.sessionbridge.core.port.MeetingPlatformException.MeetingGone;
import org.sessionbridge.core.port.MeetingPlatformException.NotAuthorized;
import org.sessionbridge.core.port.MeetingPlatformException.Rejected;
import org.sessionbridge.core.port.MeetingPlatformException.Retryable;
import org.sessionbridge.core.practice.VideoPlatform;

/**
 * Zoom as a {@link MeetingPlatform}: each practice's own Server-to-Server app (found through {@link
 * ZoomAccounts}), with a {@link ZoomApi} per practice behind a circuit breaker, rate limiters and,
 * for idempotent calls, a retry (Resilience4j, tuned by {@link ZoomResilience}).
 *
 * <p><b>Personal accounts.</b> A host {@code personal:<providerId>} is a provider who hosts on
 * their own Zoom account, authorised with user-level OAuth ({@link ZoomUserOAuth}): create and list
 * go to {@code /users/me/...} with that provider's token from {@link ZoomUserAccounts}, and get,
 * update, enforce and delete of a meeting use it when {@link ZoomUserAccounts#personalHostOf} names
 * the provider. Such a provider needs no practice connection; they have their own client and guards
 * (Zoom's limits are per account). A missing or refused authorisation is {@link NotAuthorized}
 * carrying {@link #PERSONAL_REAUTHORIZATION}.
 *
 * <p><b>Threading.</b> Thread-safe: any number of dispatcher threads may call any method for any
 * practice at once. Calls block. Per practice there is one client (one cached token) and one set of
 * guards, made on first use; a practice whose credentials change (record equality) gets a new
 * client, and so a new token, on its next call, while its guards (they describe Zoom's behaviour
 * towards the account, not the credentials) stay. All clients share one OkHttp connection pool.
 *
 * <p><b>Guards, per practice.</b>
 *
 * <ul>
 *   <li>A <b>circuit breaker</b> over the last {@link ZoomResilience#breakerWindow()} calls. Only
 *       outages count as failures: 5xx, 408, timeouts, lost connections and unreadable answers. A
 *       404, a validation error, a 401 or a 429 is Zoom answering properly and does not open it.
 *       While it is open calls fail at once, without reaching Zoom, as {@link Retryable} carrying
 *       the time left until it lets trial calls through.
 *   <li>A <b>rate limiter</b> per Zoom rate-limit label, kept below Zoom's per-second limits:
 *       MEDIUM for create, LIGHT for everything else. A call waits at most {@link
 *       ZoomResilience#permitWait()} for a permit, then fails as {@link Retryable}. Every attempt
 *       (a retry too) takes a permit.
 *   <li>A <b>retry</b> for get, list, update, enforce and delete only, which repeat safely (an
 *       update re-sends the same target state). Up to {@link ZoomResilience#retryAttempts()}
 *       attempts on 5xx, timeouts, lost connections and per-second 429s, waiting {@link
 *       ZoomResilience#retryBackoff()} and doubling, or what Zoom's {@code Retry-After} asks if
 *       that is longer. A {@code Retry-After} beyond {@link ZoomResilience#maxInlineWait()} is not
 *       slept: it comes back at once as {@link Retryable#retryAfter()}, so that no dispatcher
 *       thread sleeps for minutes.
 * </ul>
 *
 * <p><b>Create is never retried here.</b> Zoom has no idempotency key: a create whose answer was
 * lost (timeout, reset, 5xx after the fact, unreadable body) may have made the meeting, and sending
 * it again could give the client two join links. Every create failure therefore goes straight back
 * to the caller, which looks for the meeting with {@link #findByReference} before creating again.
 * The topic always carries {@link MeetingSpec#reference()} so that lookup can find it.
 *
 * <p><b>Failures.</b> Only {@link MeetingPlatformException} subtypes leave this class:
 *
 * <ul>
 *   <li>{@link Retryable}: 5xx, timeouts, lost connections, per-second 429s after the retries, an
 *       unreadable answer, an open breaker, no rate-limit permit in time;
 *   <li>{@link BudgetExhausted}: Zoom's daily limit (100 creates/updates per host and UTC day), at
 *       the time from {@code Retry-After} or else the next 00:00 UTC;
 *   <li>{@link NotAuthorized}: no credentials for the practice, the token refused, or a call
 *       refused with a fresh token (after {@link ZoomApi}'s own single refresh);
 *   <li>{@link MeetingGone}: get, update or enforce on a meeting Zoom does not know (code 3001);
 *   <li>{@link Rejected}: validation errors, a host Zoom does not know (code 1001) and ids that
 *       cannot be Zoom meeting ids.
 * </ul>
 *
 * Messages carry the operation, the meeting id, the HTTP status, Zoom's code and tracking id, never
 * tokens, secrets, join links or the host's e-mail.
 */
public final class ZoomMeetingPlatform implements MeetingPlatform {

  /** Zoom's per-host budget of meeting creates and updates per UTC day (API-NOTES §1.5). */
  static final int DAILY_WRITES_PER_HOST = 100;

  /** Added to every failed create that Zoom may have carried out. */
  private static final String MAY_EXIST =
      "; Zoom may have created the meeting: look it up by reference before creating it again";

  /** Zoom's creation time, then the id; meetings without a creation time go last. */
  private static final Comparator<ZoomMeetingSummary> OLDEST_FIRST =
      Comparator.comparing(
              (ZoomMeetingSummary s) -> s.createdAt().orElse(Instant.MAX),
              Comparator.naturalOrder())
          .thenComparingLong(ZoomMeetingSummary::id);

  /**
   * In the message of a {@link NotAuthorized} about a personal account (rather than the practice's
   * connection): the provider, not the practice, must act.
   */
  public static final String PERSONAL_REAUTHORIZATION =
      "the provider must authorize their personal Zoom account again";

  private final ZoomSettings settings;
  private final ZoomResilience resilience;
  private final ZoomAccounts accounts;
  private final ZoomUserAccounts userAccounts;
  private final Clock clock;
  private final OkHttpClient http;
  private final ConcurrentMap<UUID, Account> byPractice = new ConcurrentHashMap<>();
  private final ConcurrentMap<PersonalKey, Target> byProvider = new ConcurrentHashMap<>();

  public ZoomMeetingPlatform(
      ZoomSettings settings, ZoomResilience resilience, ZoomAccounts accounts) {
    this(settings, resilience, accounts, ZoomUserAccounts.NONE, Clock.systemUTC());
  }

  /** Also serves providers who host on their personal Zoom account (see the class comment). */
  public ZoomMeetingPlatform(
      ZoomSettings settings,
      ZoomResilience resilience,
      ZoomAccounts accounts,
      ZoomUserAccounts userAccounts) {
    this(settings, resilience, accounts, userAccounts, Clock.systemUTC());
  }

  ZoomMeetingPlatform(
      ZoomSettings settings, ZoomResilience resilience, ZoomAccounts accounts, Clock clock) {
    this(settings, resilience, accounts, ZoomUserAccounts.NONE, clock);
  }

  ZoomMeetingPlatform(
      ZoomSettings settings,
      ZoomResilience resilience,
      ZoomAccounts accounts,
      ZoomUserAccounts userAccounts,
      Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.resilience = Objects.requireNonNull(resilience, "resilience");
    this.accounts = Objects.requireNonNull(accounts, "accounts");
    this.userAccounts = Objects.requireNonNull(userAccounts, "userAccounts");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.http = ZoomApi.httpClient(settings);
  }

  @Override
  public VideoPlatform platform() {
    return VideoPlatform.ZOOM;
  }

  /**
   * {@code POST /users/{host}/meetings} once, never repeated here (see the class comment). A {@link
   * Retryable} from this method means the meeting may exist.
   */
  @Override
  public PlatformMeeting create(UUID practiceId, String host, MeetingSpec spec) {
    Objects.requireNonNull(spec, "spec");
    String operation = "create meeting";
    ZoomMeetingRequest request;
    try {
      request =
          new ZoomMeetingRequest(
              topicWithReference(spec),
              LocalDateTime.ofInstant(spec.start(), spec.timeZone()),
              spec.timeZone(),
              (int) Math.min(spec.durationMinutes(), Integer.MAX_VALUE));
    } catch (IllegalArgumentException e) {
      throw new Rejected("Zoom " + operation + " not sent: " + e.getMessage(), e);
    }
    Target target = forHost(practiceId, host, operation);
    String userId = target.userId(host);
    ZoomMeeting meeting =
        call(target, operation, Kind.CREATE, api -> api.createMeeting(userId, request));
    return platformMeeting(meeting);
  }

  /**
   * Lists the host's upcoming meetings, keeps those whose topic contains {@code reference} and
   * reads each (list items lack the waiting-room settings). Ordered by Zoom's creation time, then
   * id. A match deleted between the list and its read is left out.
   */
  @Override
  public List<PlatformMeeting> findByReference(UUID practiceId, String host, String reference) {
    if (reference == null || reference.isBlank()) {
      throw new Rejected("Zoom find meetings by reference not sent: blank reference", null);
    }
    Target target = forHost(practiceId, host, "list upcoming meetings");
    String userId = target.userId(host);
    List<ZoomMeetingSummary> upcoming =
        call(target, "list upcoming meetings", Kind.LIST, api -> api.listUpcomingMeetings(userId));
    List<ZoomMeetingSummary> matches = new ArrayList<>();
    for (ZoomMeetingSummary summary : upcoming) {
      if (summary.topic().contains(reference)) {
        matches.add(summary);
      }
    }
    matches.sort(OLDEST_FIRST);
    List<PlatformMeeting> found = new ArrayList<>(matches.size());
    for (ZoomMeetingSummary match : matches) {
      long id = match.id();
      try {
        found.add(
            platformMeeting(
                call(target, "get meeting " + id, Kind.MEETING, api -> api.getMeeting(id))));
      } catch (MeetingGone deletedSinceListed) {
        // deleted between the list and this read: nothing left to find
      }
    }
    return List.copyOf(found);
  }

  @Override
  public PlatformMeeting get(UUID practiceId, String meetingId) {
    long id = zoomId("get meeting", meetingId);
    return platformMeeting(
        call(
            forMeeting(practiceId, meetingId, "get meeting " + id),
            "get meeting " + id,
            Kind.MEETING,
            api -> api.getMeeting(id)));
  }

  /** A PATCH with the new start, zone and duration, plus the waiting room re-asserted. */
  @Override
  public void update(UUID practiceId, String meetingId, MeetingSpec spec) {
    Objects.requireNonNull(spec, "spec");
    String operation = "update meeting";
    long id = zoomId(operation, meetingId);
    ZoomMeetingUpdate update;
    try {
      update =
          ZoomMeetingUpdate.reschedule(
              LocalDateTime.ofInstant(spec.start(), spec.timeZone()),
              spec.timeZone(),
              (int) Math.min(spec.durationMinutes(), Integer.MAX_VALUE));
    } catch (IllegalArgumentException e) {
      throw new Rejected("Zoom " + operation + " " + id + " not sent: " + e.getMessage(), e);
    }
    call(
        forMeeting(practiceId, meetingId, operation + " " + id),
        operation + " " + id,
        Kind.MEETING,
        api -> {
          api.updateMeeting(id, update);
          return Boolean.TRUE;
        });
  }

  /** A PATCH with only {@code waiting_room=true} and {@code join_before_host=false}. */
  @Override
  public void enforceWaitingRoom(UUID practiceId, String meetingId) {
    String operation = "enforce waiting room of meeting";
    long id = zoomId(operation, meetingId);
    call(
        forMeeting(practiceId, meetingId, operation + " " + id),
        operation + " " + id,
        Kind.MEETING,
        api -> {
          api.updateMeeting(id, ZoomMeetingUpdate.securityOnly());
          return Boolean.TRUE;
        });
  }

  /**
   * {@code DELETE /meetings/{id}}; Zoom's 404 means gone already and returns {@code false}. When a
   * retried delete lost its first answer, the second attempt may see 404 for a meeting the first
   * one deleted: that also returns {@code false}, which is still "deleted".
   */
  @Override
  public boolean delete(UUID practiceId, String meetingId) {
    long id = zoomId("delete meeting", meetingId);
    String operation = "delete meeting " + id;
    return call(
        forMeeting(practiceId, meetingId, operation),
        operation,
        Kind.MEETING,
        api -> api.deleteMeeting(id));
  }

  /** Zoom allows 100 meeting creates and updates per host user and UTC day. */
  @Override
  public OptionalInt dailyWritesPerHost() {
    return OptionalInt.of(DAILY_WRITES_PER_HOST);
  }

  @Override
  public String toString() {
    return "ZoomMeetingPlatform["
        + settings.apiBaseUrl()
        + ", practices="
        + byPractice.size()
        + ", personal accounts="
        + byProvider.size()
        + "]";
  }

  /**
   * What a call does, which decides its rate-limit label, whether it repeats and what 404 means.
   */
  private enum Kind {
    /** MEDIUM; never retried; a 404 means the host user is unknown. */
    CREATE,
    /** LIGHT; retried; a 404 means the host user is unknown. */
    LIST,
    /** LIGHT; retried; a 404 means the meeting is gone. */
    MEETING
  }

  private <T> T call(Target target, String operation, Kind kind, Function<ZoomApi, T> zoomCall) {
    Guards guards = target.guards;
    RateLimiter limiter = kind == Kind.CREATE ? guards.medium : guards.light;
    Supplier<T> attempt =
        CircuitBreaker.decorateSupplier(
            guards.breaker,
            RateLimiter.decorateSupplier(limiter, () -> zoomCall.apply(target.api)));
    Supplier<T> guarded =
        kind == Kind.CREATE ? attempt : Retry.decorateSupplier(guards.retry, attempt);
    try {
      return guarded.get();
    } catch (RuntimeException e) {
      throw translate(operation, kind, target, limiter, e);
    }
  }

  /** The one place that turns Zoom failures and guard refusals into the port's exceptions. */
  private RuntimeException translate(
      String operation, Kind kind, Target target, RateLimiter limiter, RuntimeException failure) {
    Guards guards = target.guards;
    if (failure instanceof CallNotPermittedException) {
      return new Retryable(
          "Zoom "
              + operation
              + " not sent: Zoom failed repeatedly for this practice, calls are paused"
              + " (circuit breaker open)",
          guards.remainingOpenWait(),
          failure);
    }
    if (failure instanceof RequestNotPermitted) {
      return new Retryable(
          "Zoom "
              + operation
              + " not sent: no "
              + (limiter == guards.medium ? "MEDIUM" : "LIGHT")
              + " rate-limit permit within "
              + resilience.permitWait().toMillis()
              + " ms for this practice",
          resilience.limitRefreshPeriod(),
          failure);
    }
    if (!(failure instanceof ZoomException zoom)) {
      if (failure instanceof IllegalArgumentException) {
        return new Rejected("Zoom " + operation + " not sent: " + failure.getMessage(), failure);
      }
      return failure; // a defect, not a Zoom answer: let it surface as such
    }
    String message = zoom.getMessage();
    if (zoom instanceof ZoomTransientException transientFailure) {
      Optional<Instant> resumeAt = transientFailure.dailyLimitResumesAt();
      if (resumeAt.isPresent()) {
        return new BudgetExhausted(
            message + "; Zoom's daily limit, resumes at " + resumeAt.get(), resumeAt.get(), zoom);
      }
      return new Retryable(
          kind == Kind.CREATE ? message + MAY_EXIST : message,
          transientFailure.retryAfter().orElse(null),
          zoom);
    }
    if (zoom instanceof ZoomProtocolException) {
      return new Retryable(kind == Kind.CREATE ? message + MAY_EXIST : message, null, zoom);
    }
    if (zoom instanceof ZoomAuthorizationException) {
      return new NotAuthorized(
          message
              + (target.personalProvider != null
                  ? "; " + PERSONAL_REAUTHORIZATION + " (provider " + target.personalProvider + ")"
                  : "; the practice must connect its Zoom Server-to-Server app again"),
          target.personalProvider != null
              ? ZoomUserAccounts.PERSONAL_PREFIX + target.personalProvider
              : null,
          zoom);
    }
    if (zoom instanceof ZoomNotFoundException) {
      if (kind == Kind.MEETING) {
        return new MeetingGone(message, zoom);
      }
      boolean unknownUser =
          zoom.zoomCode().isPresent()
              && zoom.zoomCode().getAsInt() == ZoomErrors.CODE_USER_NOT_FOUND;
      return new Rejected(
          message
              + (unknownUser
                  ? "; the host is not a user of this practice's Zoom account: map the provider to"
                      + " their Zoom user (id or e-mail)"
                  : ""),
          zoom);
    }
    return new Rejected(message, zoom); // ZoomRejectedException: validation, not allowed to host
  }

  /** The practice's account, or the personal account a {@code personal:<providerId>} host names. */
  private Target forHost(UUID practiceId, String host, String operation) {
    Objects.requireNonNull(practiceId, "practiceId");
    if (host != null && host.startsWith(ZoomUserAccounts.PERSONAL_PREFIX)) {
      UUID providerId =
          ZoomUserAccounts.personalProvider(host)
              .orElseThrow(
                  () ->
                      new Rejected(
                          "Zoom "
                              + operation
                              + " not sent: a personal host is personal:<provider id>",
                          null));
      return personal(practiceId, providerId);
    }
    return account(practiceId, operation).target;
  }

  /**
   * The account that hosts the practice's meeting: a provider's personal one, or the practice's.
   */
  private Target forMeeting(UUID practiceId, String meetingId, String operation) {
    Objects.requireNonNull(practiceId, "practiceId");
    Optional<UUID> provider;
    try {
      provider = userAccounts.personalHostOf(practiceId, meetingId);
    } catch (RuntimeException e) {
      throw new Retryable(
          "Zoom "
              + operation
              + " not sent: could not read who hosts the meeting ("
              + e.getClass().getSimpleName()
              + ")",
          null,
          e);
    }
    return provider.isPresent()
        ? personal(practiceId, provider.get())
        : account(practiceId, operation).target;
  }

  private Target personal(UUID practiceId, UUID providerId) {
    return byProvider.computeIfAbsent(
        new PersonalKey(practiceId, providerId),
        key ->
            new Target(
                new ZoomApi(http, settings, new PersonalTokens(key), clock),
                new Guards("zoom-" + practiceId + "-personal-" + providerId),
                providerId));
  }

  /** A provider's user-level token, from {@link ZoomUserAccounts}. */
  private final class PersonalTokens implements ZoomAccessTokens {
    private final PersonalKey key;

    PersonalTokens(PersonalKey key) {
      this.key = key;
    }

    @Override
    public String accessToken() {
      return userAccounts
          .accessToken(key.practiceId, key.providerId)
          .orElseThrow(
              () ->
                  new ZoomAuthorizationException(
                      "Zoom: the provider "
                          + key.providerId
                          + " has not authorized their personal Zoom account, or Zoom refused"
                          + " the authorization",
                      0,
                      null,
                      null,
                      null));
    }

    @Override
    public void invalidate(String rejected) {
      userAccounts.invalidate(key.practiceId, key.providerId, rejected);
    }

    @Override
    public String toString() {
      return "PersonalTokens[practice=" + key.practiceId + ", provider=" + key.providerId + "]";
    }
  }

  private record PersonalKey(UUID practiceId, UUID providerId) {}

  /**
   * Who a call goes to: a client and its guards; {@code personalProvider} is set for a provider's
   * personal account, whose host user is {@code me}.
   */
  private record Target(ZoomApi api, Guards guards, @Nullable UUID personalProvider) {
    String userId(String host) {
      return personalProvider != null ? "me" : host;
    }

    @Override
    public String toString() {
      return "Target[" + api + "]";
    }
  }

  private Account account(UUID practiceId, String operation) {
    Optional<ZoomCredentials> found;
    try {
      found = Objects.requireNonNull(accounts.credentials(practiceId), "credentials lookup");
    } catch (RuntimeException e) {
      throw new Retryable(
          "Zoom "
              + operation
              + " not sent: could not read the Zoom connection of practice "
              + practiceId
              + " ("
              + e.getClass().getSimpleName()
              + ")",
          null,
          e);
    }
    if (found.isEmpty()) {
      byPractice.remove(practiceId);
      throw new NotAuthorized(
          "Zoom is not connected for this practice ("
              + practiceId
              + "): connect a Zoom Server-to-Server app before "
              + operation,
          null);
    }
    ZoomCredentials credentials = found.get();
    Account current = byPractice.get(practiceId);
    if (current != null && current.credentials.equals(credentials)) {
      return current;
    }
    // Building a ZoomApi does no I/O, so it may run under the map's lock for this key.
    return byPractice.compute(
        practiceId,
        (id, old) -> {
          if (old != null && old.credentials.equals(credentials)) {
            return old;
          }
          Guards guards = old == null ? new Guards("zoom-" + id) : old.target.guards;
          return new Account(
              credentials,
              new Target(new ZoomApi(http, settings, credentials, clock), guards, null));
        });
  }

  private static long zoomId(String operation, String meetingId) {
    try {
      long id = Long.parseLong(Objects.requireNonNull(meetingId, "meetingId").strip());
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException notANumber) {
      // reported below
    }
    throw new Rejected(
        "Zoom "
            + operation
            + " not sent: a Zoom meeting id is a positive number, not '"
            + ZoomErrors.clean(meetingId)
            + "'",
        null);
  }

  /** The reference must be in the topic, where {@link #findByReference} looks. */
  private static String topicWithReference(MeetingSpec spec) {
    return spec.topic().contains(spec.reference())
        ? spec.topic()
        : spec.topic() + " " + spec.reference();
  }

  private static PlatformMeeting platformMeeting(ZoomMeeting meeting) {
    return new PlatformMeeting(
        Long.toString(meeting.id()),
        meeting.joinUrl(),
        meeting.topic(),
        meeting.startTime(),
        meeting.durationMinutes(),
        meeting.waitingRoom(),
        meeting.joinBeforeHost());
  }

  /** A practice's client for its current credentials, and its guards. */
  private record Account(ZoomCredentials credentials, Target target) {
    @Override
    public String toString() {
      return "Account[" + credentials + "]";
    }
  }

  /**
   * Outages that should open the breaker: no answer, 5xx, 408, or an answer we cannot read. 429s
   * are Zoom working as designed and are handled by waiting, not by cutting the account off.
   */
  static boolean isOutage(Throwable failure) {
    if (failure instanceof ZoomTransientException transientFailure) {
      OptionalInt status = transientFailure.httpStatus();
      return status.isEmpty() || status.getAsInt() >= 500 || status.getAsInt() == 408;
    }
    return failure instanceof ZoomProtocolException;
  }

  /** The Resilience4j guards of one practice's Zoom account. */
  private final class Guards {
    final CircuitBreaker breaker;
    final RateLimiter medium;
    final RateLimiter light;
    final Retry retry;

    /** Set when the breaker opens; read to tell callers how long to stay away. */
    private final AtomicReference<Instant> openUntil = new AtomicReference<>(Instant.MIN);

    Guards(String name) {
      this.breaker =
          CircuitBreaker.of(
              name,
              CircuitBreakerConfig.custom()
                  .slidingWindowType(SlidingWindowType.COUNT_BASED)
                  .slidingWindowSize(resilience.breakerWindow())
                  .minimumNumberOfCalls(resilience.breakerMinimumCalls())
                  .failureRateThreshold(resilience.breakerFailureRatePercent())
                  .waitDurationInOpenState(resilience.breakerOpenWait())
                  .permittedNumberOfCallsInHalfOpenState(resilience.breakerHalfOpenCalls())
                  .recordException(ZoomMeetingPlatform::isOutage)
                  // A refused permit or a bad argument says nothing about Zoom's health.
                  .ignoreExceptions(RequestNotPermitted.class, IllegalArgumentException.class)
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
      this.medium = limiter(name + "-medium", resilience.mediumPerPeriod());
      this.light = limiter(name + "-light", resilience.lightPerPeriod());
      this.retry =
          Retry.of(
              name,
              RetryConfig.<Object>custom()
                  .maxAttempts(resilience.retryAttempts())
                  .retryOnException(this::worthRetryingInline)
                  .intervalBiFunction(retryInterval())
                  .build());
    }

    private RateLimiter limiter(String name, int perPeriod) {
      return RateLimiter.of(
          name,
          RateLimiterConfig.custom()
              .limitForPeriod(perPeriod)
              .limitRefreshPeriod(resilience.limitRefreshPeriod())
              .timeoutDuration(resilience.permitWait())
              .build());
    }

    /**
     * 5xx, timeouts, lost connections and per-second 429s whose wait fits inline. Not the daily
     * limit, not a guard's refusal (they waited already), not an unreadable answer (it repeats).
     */
    private boolean worthRetryingInline(Throwable failure) {
      if (!(failure instanceof ZoomTransientException transientFailure)
          || transientFailure.isDailyLimit()) {
        return false;
      }
      Optional<Duration> wait = transientFailure.retryAfter();
      return wait.isEmpty() || wait.get().compareTo(resilience.maxInlineWait()) <= 0;
    }

    /** Exponential backoff, or Zoom's {@code Retry-After} when that is longer. */
    private IntervalBiFunction<Object> retryInterval() {
      return (attempt, outcome) -> {
        long backoff = resilience.retryBackoff().toMillis() << Math.min(attempt - 1, 16);
        if (outcome.isLeft()
            && outcome.getLeft() instanceof ZoomTransientException transientFailure) {
          long asked = transientFailure.retryAfter().map(Duration::toMillis).orElse(0L);
          return Math.max(backoff, asked);
        }
        return backoff;
      };
    }

    private @Nullable Duration remainingOpenWait() {
      if (breaker.getState() != CircuitBreaker.State.OPEN) {
        return null; // half-open with its trial calls taken: back off on your own
      }
      Duration left = Duration.between(clock.instant(), openUntil.get());
      return left.isNegative() ? Duration.ZERO : left;
    }
  }
}
