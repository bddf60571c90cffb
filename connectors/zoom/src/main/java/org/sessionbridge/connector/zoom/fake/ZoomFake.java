package org.sessionbridge.connector.zoom.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * An in-process, stateful fake of the Zoom API that behaves like Zoom as described in API-NOTES §1,
 * so that the real {@link org.sessionbridge.connector.zoom.ZoomApi} runs offline against it (demo
 * profile, tests, benchmark). One JDK {@link HttpServer} on the loopback interface serves both
 * hosts: {@code POST /oauth/token} and the REST API under {@code /v2}. Configure the hub with
 * {@code sessionbridge.zoom.api-base-url = baseUrl() + "/v2"} and {@code
 * sessionbridge.zoom.oauth-base-url = baseUrl()}.
 *
 * <p><b>What is modelled.</b> Server-to-Server tokens, user-level authorization codes (with PKCE)
 * and rotating refresh tokens; bearer checks (401 code 124); {@code GET /users/{userId}} (also
 * {@code me}); meeting create (201), list (paged), get, PATCH (merge, 204 without body), DELETE
 * (204, then 404 code 3001); unknown users (404 code 1001); validation (400 code 300 with {@code
 * errors[]}); the security override; the per-host daily budget of creates and updates (429 {@code
 * Daily-limit}, reset at 00:00 UTC of the clock); an optional per-second limit; {@code
 * x-zm-trackingid} on every response; signed webhooks for host actions in the "web portal". API
 * calls do not send webhooks.
 *
 * <p><b>Time</b> is the injected {@link Clock}: token expiry, the daily budget, {@code created_at},
 * "upcoming" and webhook timestamps all follow it.
 *
 * <p><b>Threading.</b> Thread-safe; requests are served by a pool of daemon threads, so a benchmark
 * may call it concurrently. Nothing is logged (no tokens, e-mails, topics or join links anywhere).
 *
 * <p><b>Latency.</b> {@link #start} sets the JVM-wide {@code sun.net.httpserver.nodelay=true}
 * unless it is already set, so that responses are not held back ~40 ms by Nagle's algorithm. The
 * JDK reads it when the first {@code HttpServer} of the JVM is created: start the fake before any
 * other JDK HTTP server, or pass {@code -Dsun.net.httpserver.nodelay=true}.
 */
public final class ZoomFake implements AutoCloseable {

  private static final int THREADS = Math.max(32, 4 * Runtime.getRuntime().availableProcessors());
  private static final int MAX_BODY = 1 << 20;

  /**
   * The JDK server sends the headers and the body of a response as two TCP segments; with Nagle's
   * algorithm on, the body waits for the client's delayed ACK, about 40 ms per response (measured:
   * 100 ms per create + get, 6 ms with it off). The JDK reads this property once, when the JVM's
   * first {@link HttpServer} is created.
   */
  private static final String NO_DELAY = "sun.net.httpserver.nodelay";

  /**
   * A meeting as the fake holds it, including deleted ones. {@link #toString()} leaves out the
   * topic, the host's e-mail, the join URL and the passcode.
   *
   * @param joinUrl {@code {baseUrl}/j/{id}?pwd=…}
   * @param password the passcode, empty when the meeting has none
   * @param deleted deleted by the API or by the host; the API answers 404 code 3001 for it
   */
  public record Meeting(
      long id,
      String uuid,
      String hostId,
      String hostEmail,
      String topic,
      int type,
      Instant startTime,
      int durationMinutes,
      String timezone,
      Instant createdAt,
      String joinUrl,
      String password,
      boolean waitingRoom,
      boolean joinBeforeHost,
      int jbhTime,
      boolean meetingAuthentication,
      int approvalType,
      String encryptionType,
      boolean muteUponEntry,
      boolean deleted) {

    @Override
    public String toString() {
      return "Meeting[id="
          + id
          + ", uuid="
          + uuid
          + ", hostId="
          + hostId
          + ", type="
          + type
          + ", startTime="
          + startTime
          + ", durationMinutes="
          + durationMinutes
          + ", timezone="
          + timezone
          + ", waitingRoom="
          + waitingRoom
          + ", joinBeforeHost="
          + joinBeforeHost
          + ", deleted="
          + deleted
          + ", topic, hostEmail, joinUrl, password=<redacted>]";
    }
  }

  /**
   * What the fake has done so far. {@code creates} … {@code lists} count successful calls (a create
   * whose response was dropped counts: it is stored); {@code tokenGrants} counts tokens issued by
   * any grant; {@code apiRequests} counts every {@code /v2} request, {@code rateLimited} the 429s
   * the fake decided on, {@code injectedFaults} the answers armed with {@link #failNext}.
   */
  public record Counts(
      int creates,
      int updates,
      int deletes,
      int gets,
      int lists,
      int tokenGrants,
      int apiRequests,
      int rateLimited,
      int injectedFaults) {}

  /**
   * One webhook sent by the fake and how the receiver answered.
   *
   * @param event e.g. {@code meeting.updated}, {@code meeting.deleted}, {@code
   *     endpoint.url_validation}
   * @param meetingId the meeting concerned; 0 for {@code endpoint.url_validation}
   * @param status the receiver's HTTP status; 0 when it did not answer (refused, timed out)
   */
  public record WebhookDelivery(String event, long meetingId, int status) {
    /** Whether Zoom would count it as delivered: 200 or 204. */
    public boolean delivered() {
      return status == 200 || status == 204;
    }
  }

  private final HttpServer server;
  private final ExecutorService requestThreads;
  private final ExecutorService webhookThreads;
  private final String baseUrl;
  private final ZoomFakeRandom random = new ZoomFakeRandom();
  private final ZoomFakeCounters counters = new ZoomFakeCounters();
  private final ZoomFakeFaults faults = new ZoomFakeFaults();
  private final ZoomFakeDirectory directory;
  private final ZoomFakeOAuth oauth;
  private final ZoomFakeLimits limits;
  private final ZoomFakeMeetings meetings;
  private final ZoomFakeWebhooks webhooks;

  private ZoomFake(HttpServer server, Clock clock) {
    this.server = server;
    this.baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
    JsonMapper json = JsonMapper.builder().build();
    this.directory = new ZoomFakeDirectory(random);
    this.oauth = new ZoomFakeOAuth(directory, random, clock, json, baseUrl, counters);
    this.limits = new ZoomFakeLimits(clock, counters);
    this.meetings = new ZoomFakeMeetings(directory, limits, counters, random, clock, json, baseUrl);
    this.requestThreads = pool("zoom-fake-http-", THREADS);
    this.webhookThreads = pool("zoom-fake-webhook-", 4);
    this.webhooks = new ZoomFakeWebhooks(clock, json, random, webhookThreads);
    server.createContext("/", this::handle);
    server.setExecutor(requestThreads);
  }

  /** Starts a fake on the system UTC clock. */
  public static ZoomFake start(int port) {
    return start(port, Clock.systemUTC());
  }

  /**
   * Starts a fake on {@code 127.0.0.1}.
   *
   * @param port the port, 0 for an ephemeral one (see {@link #baseUrl()})
   * @param clock the time for token expiry, the daily budget, timestamps and "upcoming"
   */
  public static ZoomFake start(int port, Clock clock) {
    Objects.requireNonNull(clock, "clock");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("not a port: " + port);
    }
    if (System.getProperty(NO_DELAY) == null) {
      System.setProperty(NO_DELAY, "true"); // only if nobody chose otherwise
    }
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("the Zoom fake cannot listen on port " + port, e);
    }
    ZoomFake fake = new ZoomFake(server, clock);
    server.start();
    return fake;
  }

  /**
   * {@code http://127.0.0.1:{port}}, without a trailing slash: the OAuth base; add /v2 for the API.
   */
  public String baseUrl() {
    return baseUrl;
  }

  /** Stops serving; pending webhook deliveries are abandoned. */
  @Override
  public void close() {
    server.stop(0);
    requestThreads.shutdownNow();
    webhookThreads.shutdownNow();
  }

  // ------------------------------------------------------------ configuration

  /** An account with its Server-to-Server (or OAuth) app's credentials. */
  public ZoomFake addAccount(String accountId, String clientId, String clientSecret) {
    directory.addAccount(accountId, clientId, clientSecret);
    return this;
  }

  /**
   * A user (meeting host) of the account. Both the returned id and the e-mail work as {@code
   * {userId}} in the API; {@code me} is the token's user, or the account's first user for an
   * account-level token.
   *
   * @return the generated Zoom user id
   */
  public String addUser(String accountId, String email) {
    return directory.addUser(accountId, email).id();
  }

  /**
   * The app is deactivated: the account's client secret and every token issued for it (access,
   * refresh, unused authorization codes) stop working.
   */
  public void revokeAccount(String accountId) {
    directory.revoke(accountId);
    oauth.forget(accountId);
  }

  /**
   * The user removes the app from their Zoom account (or an admin revokes it): every user-level
   * access and refresh token issued for them stops working; a refresh answers {@code
   * invalid_grant}.
   */
  public void deauthorizeUser(String userEmail) {
    ZoomFakeDirectory.User user =
        directory
            .userByEmail(userEmail)
            .orElseThrow(
                () -> new IllegalArgumentException("the fake has no user with this e-mail"));
    oauth.forgetUser(user.id());
  }

  /**
   * The outcome of the user-level authorize step ({@code /oauth/authorize}, consent given): a code
   * for {@code grant_type=authorization_code}, single use and valid for 5 minutes.
   *
   * @param codeChallenge PKCE S256 challenge; {@code null} for a flow without PKCE
   * @param userEmail the consenting user, added with {@link #addUser}
   */
  public String issueAuthorizationCode(
      String clientId, String redirectUri, @Nullable String codeChallenge, String userEmail) {
    return oauth.issueCode(clientId, redirectUri, codeChallenge, userEmail);
  }

  /** The per-host budget of meeting creates plus updates per UTC day (Zoom: 100). */
  public ZoomFake dailyCreateUpdateLimit(int perHost) {
    limits.dailyLimit(perHost);
    return this;
  }

  /** API requests per account and clock second; 0 (the default) turns the limit off. */
  public ZoomFake perSecondLimit(int perAccount) {
    limits.perSecondLimit(perAccount);
    return this;
  }

  /** Where host actions send their signed events, and the app's webhook Secret Token. */
  public ZoomFake sendWebhooksTo(URI url, String secretToken) {
    webhooks.sendTo(url, secretToken);
    return this;
  }

  // ----------------------------------------------------------- observability

  public Counts counts() {
    return counters.snapshot();
  }

  /** Every meeting ever created, deleted ones included, oldest first. */
  public List<Meeting> meetings() {
    return meetings.snapshots();
  }

  public Optional<Meeting> meeting(long meetingId) {
    return meetings.snapshot(meetingId);
  }

  /** The webhooks sent so far (answered or failed), in the order their answers arrived. */
  public List<WebhookDelivery> webhookDeliveries() {
    return webhooks.deliveries();
  }

  /**
   * Waits until at least {@code count} webhook deliveries have been recorded or {@code timeout}
   * passed, and returns them.
   */
  public List<WebhookDelivery> awaitWebhookDeliveries(int count, Duration timeout)
      throws InterruptedException {
    return webhooks.awaitDeliveries(count, timeout);
  }

  // ------------------------------------------------------------- host actions

  /**
   * The host changes the meeting's settings in the Zoom web portal. Does not count against the API
   * budget. Zoom's rules still apply (a waiting room disables join-before-host; with no passcode
   * and no authentication the waiting room stays on). If anything changed and a webhook target is
   * set, a signed {@code meeting.updated} carrying only the changed settings is sent
   * asynchronously.
   *
   * @throws IllegalArgumentException when the meeting does not exist or is deleted
   */
  public void hostChangesSettings(long meetingId, boolean waitingRoom, boolean joinBeforeHost) {
    meetings
        .hostChangesSettings(meetingId, waitingRoom, joinBeforeHost)
        .ifPresent(payload -> webhooks.send("meeting.updated", meetingId, payload));
  }

  /**
   * The host deletes the meeting in the web portal; a signed {@code meeting.deleted} follows if a
   * webhook target is set.
   *
   * @throws IllegalArgumentException when the meeting does not exist or is deleted
   */
  public void hostDeletesMeeting(long meetingId) {
    ObjectNode payload = meetings.hostDeletesMeeting(meetingId);
    webhooks.send("meeting.deleted", meetingId, payload);
  }

  /**
   * Sends {@code endpoint.url_validation} (signed) to the webhook target and waits up to 3 s for
   * the answer.
   *
   * @return whether the answer was 200 with the right {@code plainToken} and {@code encryptedToken}
   * @throws IllegalStateException when no target is set
   */
  public boolean sendUrlValidation() {
    return webhooks.validateUrl();
  }

  // ---------------------------------------------------------- fault injection

  /**
   * The next {@code count} API calls ({@code /v2}, any operation) are answered with this status,
   * JSON body and headers, without being processed.
   */
  public void failNext(int count, int status, String body, Map<String, String> headers) {
    faults.failNext(count, status, body, headers);
  }

  /**
   * The next successful create is stored (and counted), but its connection is closed without any
   * response, as when Zoom's answer is lost: the client sees an I/O failure.
   */
  public void dropNextCreateResponse() {
    faults.dropNextCreateResponse();
  }

  /** The next API call ({@code /v2}) is held for this long before it is processed. */
  /**
   * Makes every {@code /v2} call take at least {@code each} before it is handled, like a real Zoom
   * across the internet (tens to hundreds of milliseconds); {@link Duration#ZERO} turns it off.
   */
  public ZoomFake latency(Duration each) {
    faults.latency(each);
    return this;
  }

  public void delayNext(Duration delay) {
    faults.delayNext(delay);
  }

  // -------------------------------------------------------------------- HTTP

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      ZoomFakeReply reply;
      try {
        reply = route(exchange);
      } catch (RuntimeException bug) {
        // Answer as a Zoom outage would; the cause stays out of the body (it may quote a request).
        reply = ZoomFakeReply.error(500, 500, "ZoomFake internal error");
      }
      if (reply.isDropped()) {
        // Closing before sendResponseHeaders makes the JDK server close the socket: the client
        // reads end-of-stream where the status line should be.
        return;
      }
      write(exchange, reply);
    }
  }

  private ZoomFakeReply route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    if (path.equals("/oauth/token")) {
      return token(exchange);
    }
    if (path.equals("/v2") || path.startsWith("/v2/")) {
      return api(exchange, path.substring(3));
    }
    if (path.startsWith("/j/") || path.startsWith("/s/")) {
      return ZoomFakeReply.text(200, "ZoomFake: not a real Zoom meeting.\n");
    }
    return ZoomFakeReply.error(404, 404, "Not Found");
  }

  private ZoomFakeReply token(HttpExchange exchange) throws IOException {
    byte[] body = readBody(exchange);
    if (!exchange.getRequestMethod().equals("POST")) {
      return ZoomFakeReply.oauthError(405, "invalid_request", "Method Not Allowed");
    }
    Map<String, String> params = new LinkedHashMap<>(form(exchange.getRequestURI().getRawQuery()));
    params.putAll(form(new String(body, StandardCharsets.UTF_8)));
    return oauth.token(exchange.getRequestHeaders().getFirst("Authorization"), params);
  }

  private ZoomFakeReply api(HttpExchange exchange, String path) throws IOException {
    counters.apiRequests.incrementAndGet();
    byte[] body = readBody(exchange);
    Duration delay = faults.takeDelay();
    if (delay != null) {
      pause(delay);
    }
    if (!faults.latency().isZero()) {
      pause(faults.latency());
    }
    ZoomFakeReply failure = faults.takeFailure();
    if (failure != null) {
      counters.injectedFaults.incrementAndGet();
      return failure;
    }
    Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
    if (query.containsKey("access_token")) {
      return ZoomFakeReply.error(
          401,
          124,
          "Invalid access token, this access token is not supported as query parameter string.");
    }
    ZoomFakeOAuth.Check check = oauth.check(exchange.getRequestHeaders().getFirst("Authorization"));
    if (check instanceof ZoomFakeOAuth.Refused refused) {
      return ZoomFakeReply.error(401, 124, refused.message());
    }
    ZoomFakeOAuth.Principal principal = ((ZoomFakeOAuth.Valid) check).principal();
    String method = exchange.getRequestMethod();
    List<String> segments = segments(path);
    // /users/{userId}
    if (segments.size() == 2 && segments.get(0).equals("users")) {
      if (!method.equals("GET")) {
        return methodNotAllowed(method);
      }
      return perSecond(principal, "Light")
          .orElseGet(() -> meetings.user(principal, segments.get(1)));
    }
    // /users/{userId}/meetings
    if (segments.size() == 3
        && segments.get(0).equals("users")
        && segments.get(2).equals("meetings")) {
      String user = segments.get(1);
      switch (method) {
        case "POST":
          return perSecond(principal, "Medium")
              .orElseGet(() -> created(meetings.create(principal, user, body)));
        case "GET":
          return perSecond(principal, "Medium")
              .orElseGet(() -> meetings.list(principal, user, query));
        default:
          return methodNotAllowed(method);
      }
    }
    // /meetings/{meetingId}
    if (segments.size() == 2 && segments.get(0).equals("meetings")) {
      String id = segments.get(1);
      Optional<ZoomFakeReply> limited = perSecond(principal, "Light");
      if (limited.isPresent()) {
        return limited.get();
      }
      switch (method) {
        case "GET":
          return meetings.get(principal, id);
        case "PATCH":
          return meetings.update(principal, id, body);
        case "DELETE":
          return meetings.delete(principal, id);
        default:
          return methodNotAllowed(method);
      }
    }
    return ZoomFakeReply.error(404, 404, "No handler found for " + method + " /v2" + path);
  }

  private ZoomFakeReply created(ZoomFakeReply reply) {
    return reply.status() == 201 && faults.takeDropCreate() ? ZoomFakeReply.dropped() : reply;
  }

  private Optional<ZoomFakeReply> perSecond(ZoomFakeOAuth.Principal principal, String category) {
    return Optional.ofNullable(limits.takePerSecond(principal.accountId(), category));
  }

  private static ZoomFakeReply methodNotAllowed(String method) {
    return ZoomFakeReply.error(405, 405, "Method " + method + " is not allowed here");
  }

  private void write(HttpExchange exchange, ZoomFakeReply reply) throws IOException {
    var headers = exchange.getResponseHeaders();
    headers.set("x-zm-trackingid", random.trackingId());
    reply.headers().forEach(headers::set);
    byte[] body = reply.body();
    if (body == null || body.length == 0) {
      exchange.sendResponseHeaders(reply.status(), -1); // e.g. PATCH/DELETE 204: no Content-Type
      return;
    }
    if (reply.contentType() != null) {
      headers.set("Content-Type", reply.contentType());
    }
    exchange.sendResponseHeaders(reply.status(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY + 1);
      if (body.length > MAX_BODY) {
        throw new IOException("request body over " + MAX_BODY + " bytes");
      }
      return body;
    }
  }

  /** Path segments, percent-decoded one by one (a '+' in an e-mail stays a '+'). */
  private static List<String> segments(String rawPath) {
    List<String> segments = new ArrayList<>();
    for (String raw : rawPath.split("/")) {
      if (!raw.isEmpty()) {
        segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return segments;
  }

  /** {@code application/x-www-form-urlencoded} (also a query string); the first value wins. */
  private static Map<String, String> form(@Nullable String encoded) {
    Map<String, String> values = new LinkedHashMap<>();
    if (encoded == null || encoded.isEmpty()) {
      return values;
    }
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      try {
        values.putIfAbsent(
            URLDecoder.decode(name, StandardCharsets.UTF_8),
            URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException badEscape) {
        // ignored, as a lenient server would
      }
    }
    return values;
  }

  private static void pause(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ExecutorService pool(String prefix, int threads) {
    AtomicInteger count = new AtomicInteger();
    ThreadFactory factory =
        runnable -> {
          Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        };
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  @Override
  public String toString() {
    return "ZoomFake[" + baseUrl + "]";
  }

  // -------------------------------------------------------------- standalone

  /**
   * Runs the fake until killed: {@code --port 8790 --account acc --client-id id --client-secret s
   * --user host@example.com [--user …] [--daily-limit 100] [--per-second-limit 0] [--webhook-url
   * http://… --webhook-secret …]}. Prints the base URL and the hub properties to use.
   */
  public static void main(String[] args) throws InterruptedException {
    PrintStream out = System.out;
    int port = 0;
    String account = "fake-account";
    String clientId = "fake-client-id";
    String clientSecret = "fake-client-secret";
    List<String> users = new ArrayList<>();
    @Nullable Integer dailyLimit = null;
    int perSecondLimit = 0;
    @Nullable String webhookUrl = null;
    @Nullable String webhookSecret = null;
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("--help") || name.equals("-h")) {
        usage(out);
        return;
      }
      if (i + 1 >= args.length) {
        usage(System.err);
        throw new IllegalArgumentException(name + " needs a value");
      }
      String value = args[++i];
      switch (name) {
        case "--port" -> port = Integer.parseInt(value);
        case "--account" -> account = value;
        case "--client-id" -> clientId = value;
        case "--client-secret" -> clientSecret = value;
        case "--user" -> users.add(value);
        case "--daily-limit" -> dailyLimit = Integer.parseInt(value);
        case "--per-second-limit" -> perSecondLimit = Integer.parseInt(value);
        case "--webhook-url" -> webhookUrl = value;
        case "--webhook-secret" -> webhookSecret = value;
        default -> {
          usage(System.err);
          throw new IllegalArgumentException("unknown option " + name);
        }
      }
    }
    if (users.isEmpty()) {
      users.add("host@example.com");
    }
    ZoomFake fake = start(port);
    fake.addAccount(account, clientId, clientSecret);
    for (String user : users) {
      fake.addUser(account, user);
    }
    if (dailyLimit != null) {
      fake.dailyCreateUpdateLimit(dailyLimit);
    }
    fake.perSecondLimit(perSecondLimit);
    if (webhookUrl != null) {
      if (webhookSecret == null) {
        throw new IllegalArgumentException("--webhook-url needs --webhook-secret");
      }
      fake.sendWebhooksTo(URI.create(webhookUrl), webhookSecret);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(fake::close, "zoom-fake-shutdown"));
    out.println("ZoomFake listening on " + fake.baseUrl());
    out.println("  sessionbridge.zoom.api-base-url=" + fake.baseUrl() + "/v2");
    out.println("  sessionbridge.zoom.oauth-base-url=" + fake.baseUrl());
    out.println("  sessionbridge.zoom.account-id=" + account);
    out.println("  sessionbridge.zoom.client-id=" + clientId);
    out.println("  (client secret as given; " + users.size() + " host user(s))");
    out.flush();
    new CountDownLatch(1).await(); // until the process is stopped
  }

  private static void usage(PrintStream to) {
    to.println(
        "usage: ZoomFake [--port N] [--account ID] [--client-id ID] [--client-secret S]"
            + " [--user EMAIL]... [--daily-limit N] [--per-second-limit N]"
            + " [--webhook-url URL --webhook-secret S]");
  }
}
