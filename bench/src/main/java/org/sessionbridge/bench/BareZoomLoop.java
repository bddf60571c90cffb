package org.sessionbridge.bench;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.connector.zoom.ZoomResilience;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The baseline: the HTTP calls the meeting route makes per meeting, made by a bare OkHttp loop with
 * nothing else around them. One Server-to-Server token per account up front, then per meeting
 * {@code POST /v2/users/{host}/meetings} (the hub's body: topic with a reference, scheduled,
 * waiting room on, join-before-host off) and {@code GET /v2/meetings/{id}} (the read-back), both
 * parsed with Jackson and checked like the connector checks them. {@code threads} callers share one
 * client configured like {@code ZoomApi.httpClient}.
 *
 * <p>With {@code limited}, every account gets the two Resilience4j rate limiters the connector puts
 * in front of each practice's account ({@link ZoomResilience#defaults()}: create MEDIUM, get
 * LIGHT), so this loop runs against the same ceiling as the hub.
 */
final class BareZoomLoop {

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
  private static final LocalDateTime FIRST = LocalDateTime.of(2031, 1, 6, 8, 0);

  /** One Zoom account (practice) and its hosts. */
  record Account(String accountId, String clientId, String clientSecret, List<String> hosts) {}

  private final OkHttpClient http =
      new OkHttpClient.Builder()
          .connectTimeout(Duration.ofSeconds(5))
          .readTimeout(Duration.ofSeconds(15))
          .writeTimeout(Duration.ofSeconds(15))
          .retryOnConnectionFailure(false)
          .followRedirects(false)
          .build();

  private final JsonMapper json = JsonMapper.builder().build();
  private final String baseUrl;
  private final List<Account> accounts;
  private final AtomicInteger serial = new AtomicInteger();

  BareZoomLoop(String baseUrl, List<Account> accounts) {
    this.baseUrl = baseUrl;
    this.accounts = List.copyOf(accounts);
  }

  /**
   * Makes {@code meetings} meetings from {@code threads} callers and answers the wall time from the
   * first token request to the last read-back.
   */
  Duration run(int meetings, int threads, boolean limited) throws Exception {
    long begin = System.nanoTime();
    List<String> tokens = new ArrayList<>();
    List<@Nullable RateLimiter[]> limiters = new ArrayList<>();
    ZoomResilience r = ZoomResilience.defaults();
    for (Account a : accounts) {
      tokens.add(token(a));
      if (limited) {
        limiters.add(
            new RateLimiter[] {
              limiter("create-" + a.accountId(), r.mediumPerPeriod(), r),
              limiter("get-" + a.accountId(), r.lightPerPeriod(), r)
            });
      } else {
        limiters.add(null);
      }
    }
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> callers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        callers.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < meetings; i = next.getAndIncrement()) {
                    int account = i % accounts.size();
                    Account a = accounts.get(account);
                    String host = a.hosts().get((i / accounts.size()) % a.hosts().size());
                    RateLimiter[] l = limiters.get(account);
                    meeting(tokens.get(account), host, l);
                  }
                  return null;
                }));
      }
      for (Future<?> f : callers) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return Duration.ofNanos(System.nanoTime() - begin);
  }

  private static RateLimiter limiter(String name, int perPeriod, ZoomResilience r) {
    return RateLimiter.of(
        name,
        RateLimiterConfig.custom()
            .limitForPeriod(perPeriod)
            .limitRefreshPeriod(r.limitRefreshPeriod())
            .timeoutDuration(r.permitWait())
            .build());
  }

  private void meeting(String token, String host, RateLimiter @Nullable [] limiters)
      throws IOException {
    int n = serial.getAndIncrement();
    LocalDateTime start = FIRST.plusDays(n / 10).plusHours(n % 10);
    String body =
        "{\"topic\":\"Telehealth session (bl-"
            + String.format("%012x", n)
            + ")\",\"type\":2,\"start_time\":\""
            + LOCAL.format(start)
            + "\",\"timezone\":\"America/New_York\",\"duration\":50,\"default_password\":true,"
            + "\"settings\":{\"waiting_room\":true,\"join_before_host\":false,"
            + "\"meeting_authentication\":false,\"approval_type\":2,"
            + "\"encryption_type\":\"enhanced_encryption\",\"mute_upon_entry\":true,"
            + "\"auto_recording\":\"none\"}}";
    if (limiters != null) {
      RateLimiter.waitForPermission(limiters[0]);
    }
    JsonNode made =
        call(
            authorized(baseUrl + "/v2/users/" + host + "/meetings", token)
                .post(RequestBody.create(body, JSON))
                .build(),
            201);
    long id = made.path("id").asLong();
    if (id == 0 || made.path("join_url").asString("").isEmpty()) {
      throw new IllegalStateException("the fake answered a create without id or join_url");
    }
    if (limiters != null) {
      RateLimiter.waitForPermission(limiters[1]);
    }
    JsonNode read = call(authorized(baseUrl + "/v2/meetings/" + id, token).get().build(), 200);
    if (!read.path("settings").path("waiting_room").asBoolean(false)) {
      throw new IllegalStateException("meeting " + id + " read back without its waiting room");
    }
  }

  private String token(Account a) throws IOException {
    Request request =
        new Request.Builder()
            .url(baseUrl + "/oauth/token")
            .header("Authorization", Credentials.basic(a.clientId(), a.clientSecret()))
            .post(
                new FormBody.Builder()
                    .add("grant_type", "account_credentials")
                    .add("account_id", a.accountId())
                    .build())
            .build();
    return call(request, 200).path("access_token").asString();
  }

  private static Request.Builder authorized(String url, String token) {
    return new Request.Builder()
        .url(url)
        .header("Authorization", "Bearer " + token)
        .header("Accept", "application/json");
  }

  private JsonNode call(Request request, int expected) throws IOException {
    try (Response response = http.newCall(request).execute()) {
      String body = response.body().string();
      if (response.code() != expected) {
        throw new IllegalStateException(
            request.method() + " " + request.url().encodedPath() + " answered " + response.code());
      }
      return json.readTree(body);
    }
  }
}
