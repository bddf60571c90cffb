package org.sessionbridge.connector.microsoft;

import com.microsoft.graph.core.requests.BaseGraphRequestAdapter;
import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.core.requests.options.GraphClientOption;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.BaseRequestConfiguration;
import com.microsoft.kiota.authentication.AnonymousAuthenticationProvider;
import com.microsoft.kiota.http.middleware.ChaosHandler;
import com.microsoft.kiota.http.middleware.RedirectHandler;
import com.microsoft.kiota.http.middleware.RetryHandler;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.connector.microsoft.GraphFailure.Kind;
import org.sessionbridge.core.port.CalendarProviderException;
import org.sessionbridge.core.port.MeetingPlatformException;

/**
 * One Graph client and the guards around every request of a connector (API-NOTES §2.7, §2.10).
 *
 * <ul>
 *   <li><b>The client.</b> {@link GraphServiceClient} on a {@link BaseGraphRequestAdapter} rooted
 *       at {@link MicrosoftSettings#graphBaseUrl()}, over OkHttp 5 with the Graph middleware
 *       <b>minus Kiota's {@link RetryHandler}, {@link RedirectHandler} and {@link
 *       ChaosHandler}</b>, and with OkHttp's own {@code retryOnConnectionFailure} off: retries
 *       belong to the guards below, where they are counted, bounded and honour {@code Retry-After}
 *       once, instead of 3 × 3 hidden attempts (a create resent after a reset, a 429 slept for
 *       minutes). The {@code UrlReplaceHandler} stays ({@code /users/TokenToReplace} → {@code
 *       /me}). Requests carry their own {@code Authorization} header (the adapter's provider is
 *       anonymous), so that one client serves every tenant and account and a 401 invalidates
 *       exactly the token sent.
 *   <li><b>A circuit breaker</b> for Graph over the last {@link
 *       MicrosoftResilience#breakerWindow()} calls; only outages count (5xx, 408, timeouts, lost
 *       connections).
 *   <li><b>A bulkhead per mailbox</b>: at most {@link MicrosoftResilience#concurrentPerMailbox()}
 *       requests in flight (Outlook: 4 per app and mailbox), waiting {@link
 *       MicrosoftResilience#permitWait()} for a slot.
 *   <li><b>A retry</b> for idempotent calls only: outages and throttling whose {@code Retry-After}
 *       fits in {@link MicrosoftResilience#maxInlineWait()}; backoff from {@link
 *       MicrosoftResilience#retryBackoff()}, doubling, or Graph's {@code Retry-After} when longer.
 *   <li><b>A 401</b> invalidates the token and repeats the request once with a fresh one.
 * </ul>
 *
 * <p>Thread-safe.
 */
final class GraphCalls {

  /** Where a request's bearer token comes from: an app token cache, or a linked account. */
  interface Tokens {
    String accessToken();

    void invalidate(String rejected);
  }

  /** One request with a bearer token. */
  @FunctionalInterface
  interface Request<T> {
    T send(GraphServiceClient graph, String bearer);
  }

  private final String name;
  private final MicrosoftResilience resilience;
  private final Clock clock;
  private final GraphErrors errors;
  private final OkHttpClient http;
  private final GraphServiceClient graph;
  private final CircuitBreaker breaker;
  private final Retry retry;
  private final ConcurrentMap<String, Bulkhead> bulkheads = new ConcurrentHashMap<>();
  private final AtomicReference<Instant> openUntil = new AtomicReference<>(Instant.MIN);

  GraphCalls(
      String name,
      MicrosoftSettings settings,
      MicrosoftResilience resilience,
      Clock clock,
      GraphErrors errors) {
    this.name = name;
    this.resilience = resilience;
    this.clock = clock;
    this.errors = errors;
    this.http = httpClient(settings);
    this.graph =
        new GraphServiceClient(
            new BaseGraphRequestAdapter(
                new AnonymousAuthenticationProvider(), settings.graphBaseUrl(), http));
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
                .recordException(f -> f instanceof GraphFailure g && g.isOutage())
                // A full mailbox or the account's own token trouble says nothing about Graph.
                .ignoreExceptions(
                    BulkheadFullException.class,
                    CalendarProviderException.class,
                    MeetingPlatformException.class)
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
            name,
            RetryConfig.<Object>custom()
                .maxAttempts(resilience.retryAttempts())
                .retryOnException(errors::worthRetryingInline)
                .intervalBiFunction(retryInterval())
                .build());
  }

  /**
   * The OkHttp client under the SDK: Graph's default middleware without the handlers that repeat
   * requests on their own, no OkHttp connection-failure retries, no redirects, our timeouts.
   */
  static OkHttpClient httpClient(MicrosoftSettings settings) {
    GraphClientOption option = new GraphClientOption();
    List<Interceptor> kept =
        Arrays.stream(GraphClientFactory.createDefaultGraphInterceptors(option))
            .filter(
                i ->
                    !(i instanceof RetryHandler
                        || i instanceof RedirectHandler
                        || i instanceof ChaosHandler))
            .toList();
    List<Interceptor> interceptors = new java.util.ArrayList<>(kept);
    interceptors.add(GraphCalls::dropNonJsonErrorBodies);
    return GraphClientFactory.create(option, interceptors)
        // Idle connections are dropped after 20 s, before servers drop them (the JDK server
        // behind the fakes after 30 s, Azure's front ends after 4 min): a reused connection the
        // server closed fails the call, and a few of those at once opened the breaker for 30 s
        // after a quiet spell (docs/BENCHMARKS.md, Microsoft section).
        .connectionPool(new okhttp3.ConnectionPool(8, 20, java.util.concurrent.TimeUnit.SECONDS))
        .retryOnConnectionFailure(false)
        .followRedirects(false)
        .followSslRedirects(false)
        .connectTimeout(settings.connectTimeout())
        .readTimeout(settings.readTimeout())
        .writeTimeout(settings.readTimeout())
        .callTimeout(Duration.ZERO)
        .build();
  }

  /**
   * A failed answer whose body is not JSON (a gateway's HTML page, WireMock's text) makes Kiota
   * throw "text does not support structured data" instead of an {@code ApiException} carrying the
   * status; without the body Kiota reports the status, which {@link GraphErrors} maps.
   */
  private static okhttp3.Response dropNonJsonErrorBodies(Interceptor.Chain chain)
      throws java.io.IOException {
    okhttp3.Response response = chain.proceed(chain.request());
    if (response.isSuccessful()) {
      return response;
    }
    String type = response.header("Content-Type", "");
    if (type != null && type.toLowerCase(java.util.Locale.ROOT).contains("json")) {
      return response;
    }
    response.close();
    return response
        .newBuilder()
        .removeHeader("Content-Type")
        .body(okhttp3.ResponseBody.create(new byte[0], null))
        .build();
  }

  /** Adds the bearer token to one request's configuration. */
  static void authorize(BaseRequestConfiguration configuration, String bearer) {
    configuration.headers.tryAdd("Authorization", "Bearer " + bearer);
  }

  /** The OkHttp client (for the tests' look at its interceptors). */
  OkHttpClient http() {
    return http;
  }

  /**
   * Runs {@code request} behind the guards of {@code mailbox}.
   *
   * @throws GraphFailure Graph's answer after the guards (the caller maps it, or acts on it)
   * @throws RuntimeException a guard's refusal or the token source's own exception, unchanged
   */
  <T> T call(
      String mailbox, Tokens tokens, String operation, boolean idempotent, Request<T> request) {
    Bulkhead bulkhead = bulkheads.computeIfAbsent(mailbox, this::bulkhead);
    Supplier<T> attempt =
        CircuitBreaker.decorateSupplier(
            breaker,
            Bulkhead.decorateSupplier(
                bulkhead, () -> withFreshTokenOnce(tokens, operation, request)));
    return idempotent ? Retry.decorateSupplier(retry, attempt).get() : attempt.get();
  }

  /** One attempt; a 401 drops the token and repeats the request once with a fresh one. */
  private <T> T withFreshTokenOnce(Tokens tokens, String operation, Request<T> request) {
    String token = tokens.accessToken();
    try {
      return request.send(graph, token);
    } catch (RuntimeException e) {
      RuntimeException failure = errors.classify(operation, e);
      if (!(failure instanceof GraphFailure graphFailure)
          || graphFailure.kind() != Kind.UNAUTHORIZED) {
        throw failure;
      }
      tokens.invalidate(token);
    }
    String fresh = tokens.accessToken();
    try {
      return request.send(graph, fresh);
    } catch (RuntimeException e) {
      throw errors.classify(operation, e);
    }
  }

  private Bulkhead bulkhead(String mailbox) {
    return Bulkhead.of(
        name + "-mailbox-" + bulkheads.size(),
        BulkheadConfig.custom()
            .maxConcurrentCalls(resilience.concurrentPerMailbox())
            .maxWaitDuration(resilience.permitWait())
            .build());
  }

  /** Exponential backoff, or Graph's {@code Retry-After} when that is longer. */
  private IntervalBiFunction<Object> retryInterval() {
    return (attempt, outcome) -> {
      long backoff = resilience.retryBackoff().toMillis() << Math.min(attempt - 1, 16);
      if (outcome.isLeft() && outcome.getLeft() instanceof GraphFailure failure) {
        long asked = failure.retryAfter().map(Duration::toMillis).orElse(0L);
        return Math.max(backoff, asked);
      }
      return backoff;
    };
  }

  /** How long the open breaker still refuses calls; null when it is not open. */
  @Nullable Duration remainingOpenWait() {
    if (breaker.getState() != CircuitBreaker.State.OPEN) {
      return null;
    }
    Duration left = Duration.between(clock.instant(), openUntil.get());
    return left.isNegative() ? Duration.ZERO : left;
  }

  CircuitBreaker.State breakerState() {
    return breaker.getState();
  }

  int mailboxes() {
    return bulkheads.size();
  }
}
