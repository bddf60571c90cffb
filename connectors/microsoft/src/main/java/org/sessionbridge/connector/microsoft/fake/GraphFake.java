package org.sessionbridge.connector.microsoft.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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

/**
 * An in-process, stateful fake of Microsoft Graph v1.0 and of the Microsoft identity platform's
 * token endpoint that behaves as API-NOTES §2 describes, so that the real {@link
 * org.sessionbridge.connector.microsoft.TeamsMeetingPlatform} and {@link
 * org.sessionbridge.connector.microsoft.OutlookCalendarProvider} run offline against it (demo
 * profile, tests, benchmark). One JDK {@link HttpServer} on the loopback interface serves both
 * hosts: configure {@code sessionbridge.microsoft.graph-base-url = graphBaseUrl()} ({@code
 * baseUrl() + "/v1.0"}) and {@code sessionbridge.microsoft.login-base-url = baseUrl()}.
 *
 * <p><b>What is modelled.</b> Tokens ({@code client_credentials} per tenant and app, {@code
 * authorization_code} with PKCE S256, rotating {@code refresh_token}, AADSTS errors); bearer checks
 * (401 {@code InvalidAuthenticationToken}); application access policies (403); Teams {@code
 * onlineMeetings} createOrGet (idempotent by organizer and {@code externalId}) / get / PATCH /
 * DELETE; Outlook events (create deduplicated on {@code transactionId}, PATCH, DELETE, {@code
 * $filter} on a single-value extended property); {@code calendarView/delta} with paging ({@code
 * Prefer: odata.maxpagesize}), absolute {@code @odata.nextLink}/{@code @odata.deltaLink}, {@code
 * @removed} items and expired tokens (410 with {@code Location}); subscriptions (create with the
 * validation handshake, renew, delete) and change and lifecycle notifications. Graph's error
 * envelope everywhere. Times follow the injected {@link Clock}.
 *
 * <p><b>For tests.</b> A journal of every request ({@link #journal()}); faults ({@link #failNext},
 * {@link #dropNextResponse}, {@link #delayNext}, {@link #latency}); host actions: {@link
 * #organizerOpensLobby} (drift), {@link #userAddsEvent} (the owner's busy time), {@link
 * #userDeletesEvent}, {@link #userMovesEvent}.
 *
 * <p><b>Threading.</b> Thread-safe; requests are served by a pool of daemon threads. Nothing is
 * logged (no tokens, addresses, subjects or join links).
 */
public final class GraphFake implements AutoCloseable {

  private static final int THREADS = Math.max(32, 4 * Runtime.getRuntime().availableProcessors());
  private static final int MAX_BODY = 1 << 20;
  private static final String NO_DELAY = "sun.net.httpserver.nodelay";

  /**
   * What the fake has done so far: successful calls per kind (a call whose answer was dropped
   * counts: it was carried out), tokens issued, every Graph request, and faults injected.
   */
  public record Counts(
      int meetingCreates,
      int meetingPatches,
      int meetingDeletes,
      int eventCreates,
      int eventPatches,
      int eventDeletes,
      int deltaPages,
      int subscriptions,
      int notificationsSent,
      int tokenGrants,
      int graphRequests,
      int injectedFaults) {}

  /**
   * One request the fake answered, in arrival order.
   *
   * @param path the path without the query, e.g. {@code /v1.0/users/…/onlineMeetings/createOrGet}
   * @param status what the fake answered; 0 for a dropped connection
   */
  public record Call(String method, String path, @Nullable String query, int status) {}

  /**
   * A Teams meeting as the fake holds it. {@link #toString()} leaves out the subject and the join
   * link.
   */
  public record Meeting(
      String id,
      String organizerId,
      String externalId,
      String subject,
      Instant start,
      Instant end,
      String lobbyScope,
      boolean dialInBypass,
      String allowedPresenters,
      String joinWebUrl,
      boolean deleted) {
    @Override
    public String toString() {
      return "Meeting[id="
          + id
          + ", externalId="
          + externalId
          + ", lobbyScope="
          + lobbyScope
          + ", dialInBypass="
          + dialInBypass
          + ", allowedPresenters="
          + allowedPresenters
          + ", deleted="
          + deleted
          + "]";
    }
  }

  private final HttpServer server;
  private final ExecutorService requestThreads;
  private final String baseUrl;
  private final Clock clock;
  private final GraphFakeCounters counters = new GraphFakeCounters();
  private final GraphFakeIdentity identity;
  private final GraphFakeMeetings meetings;
  private final GraphFakeCalendars calendars;
  private final Deque<GraphFakeReply> failures = new ArrayDeque<>();
  private final List<Call> journal = new ArrayList<>();
  private int dropNext;
  private @Nullable Duration delayNext;
  private volatile Duration latency = Duration.ZERO;

  private GraphFake(HttpServer server, Clock clock) {
    this.server = server;
    this.clock = clock;
    this.baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
    this.identity = new GraphFakeIdentity(clock, counters);
    this.meetings = new GraphFakeMeetings(clock, counters, baseUrl);
    this.calendars = new GraphFakeCalendars(clock, counters, graphBaseUrl());
    this.requestThreads = pool("graph-fake-http-", THREADS);
    server.createContext("/", this::handle);
    server.setExecutor(requestThreads);
  }

  /** Starts a fake on the system UTC clock. */
  public static GraphFake start(int port) {
    return start(port, Clock.systemUTC());
  }

  /**
   * Starts a fake on {@code 127.0.0.1}.
   *
   * @param port the port, 0 for an ephemeral one
   * @param clock the time for token expiry, subscriptions and timestamps
   */
  public static GraphFake start(int port, Clock clock) {
    Objects.requireNonNull(clock, "clock");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("not a port: " + port);
    }
    if (System.getProperty(NO_DELAY) == null) {
      System.setProperty(NO_DELAY, "true"); // only if nobody chose otherwise (see ZoomFake)
    }
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("the Graph fake cannot listen on port " + port, e);
    }
    GraphFake fake = new GraphFake(server, clock);
    server.start();
    return fake;
  }

  /** {@code http://127.0.0.1:{port}}: the login base URL. */
  public String baseUrl() {
    return baseUrl;
  }

  /** {@code baseUrl() + "/v1.0"}: the Graph base URL. */
  public String graphBaseUrl() {
    return baseUrl + "/v1.0";
  }

  @Override
  public void close() {
    server.stop(0);
    requestThreads.shutdownNow();
    calendars.close();
  }

  // ------------------------------------------------------------ configuration

  /** A practice's app registration in {@code tenantId} (client credentials). */
  public GraphFake addApp(String tenantId, String clientId, String clientSecret) {
    identity.addApp(tenantId, clientId, clientSecret);
    return this;
  }

  /** The hub's multi-tenant app for delegated consent (authorization code, refresh). */
  public GraphFake addDelegatedApp(String clientId, String clientSecret) {
    identity.addDelegatedApp(clientId, clientSecret);
    return this;
  }

  /**
   * A user of {@code tenantId} with a mailbox and a default calendar. The returned object id and
   * the user principal name both address the user ({@code /users/{id}}).
   */
  public String addUser(String tenantId, String userPrincipalName) {
    String id = identity.addUser(tenantId, userPrincipalName).id();
    calendars.addMailbox(id);
    return id;
  }

  /** The id of the user's default calendar ({@code /users/{id}/calendar}). */
  public String defaultCalendarId(String user) {
    return calendars.defaultCalendar(userId(user));
  }

  /** Another calendar in the user's mailbox; returns its id. */
  public String addCalendar(String user, String name) {
    return calendars.addCalendar(userId(user), name);
  }

  /** No application access policy covers this organizer: app-only meeting calls answer 403. */
  public void removeApplicationAccessPolicy(String user) {
    identity.removeAccessPolicy(userId(user));
  }

  /** The app's client secret is replaced: the old one is refused from now on. */
  public void rotateSecret(String tenantId, String clientId, String newSecret) {
    identity.rotateSecret(tenantId, clientId, newSecret);
  }

  /** Every access token issued so far stops working (Graph answers 401). */
  public void revokeAccessTokens() {
    identity.revokeAccessTokens();
  }

  /** The user withdraws consent: refresh answers {@code invalid_grant}, their tokens 401. */
  public void revokeConsent(String user) {
    identity.revokeConsent(userId(user));
  }

  /**
   * The consent step of the authorize endpoint: a code for {@code grant_type=authorization_code},
   * single use, 10 minutes.
   *
   * @param s256Challenge the PKCE S256 challenge, or null for a flow without PKCE
   */
  public String issueAuthorizationCode(
      String clientId, String redirectUri, @Nullable String s256Challenge, String user) {
    return identity.issueCode(clientId, redirectUri, s256Challenge, userId(user));
  }

  /**
   * A refresh token of the delegated app {@code clientId} for {@code user}, as a practice system
   * holds it after its own consent flow (the grant the code exchange would make, without it).
   */
  public String issueRefreshToken(String clientId, String user) {
    return identity.issueRefreshToken(clientId, userId(user));
  }

  /** A delegated access token for {@code user} of the hub's app, without the consent flow. */
  public String issueDelegatedToken(String clientId, String user) {
    GraphFakeIdentity.User u =
        identity.user(user).orElseThrow(() -> new IllegalArgumentException("no such user"));
    return identity.issueAccessToken(
        new GraphFakeIdentity.Principal(u.tenantId(), clientId, u.id()));
  }

  /**
   * Whether {@code createOrGet} applies a {@code lobbyBypassSettings} / {@code allowedPresenters}
   * sent in its body (default: no, new meetings get the tenant defaults, as Graph documents no such
   * field for it).
   */
  public GraphFake honourLobbyOnCreate(boolean honour) {
    meetings.honourLobbyOnCreate(honour);
    return this;
  }

  /** Whether subscription creation runs Graph's validation handshake (default: yes). */
  public GraphFake validateNotificationUrls(boolean validate) {
    calendars.validateNotificationUrls(validate);
    return this;
  }

  // ----------------------------------------------------------- observability

  public Counts counts() {
    return counters.snapshot();
  }

  /** Every request answered so far, oldest first. */
  public synchronized List<Call> journal() {
    return List.copyOf(journal);
  }

  /** Every meeting ever created, deleted ones included, oldest first. */
  public List<Meeting> meetings() {
    return meetings.snapshots().stream().map(GraphFake::meeting).toList();
  }

  public Optional<Meeting> meeting(String graphMeetingId) {
    return meetings.snapshot(graphMeetingId).map(GraphFake::meeting);
  }

  /** The events of a user's calendar (null: the default one), deleted ones included. */
  public List<GraphFakeEvent> events(String user, @Nullable String calendarId) {
    return calendars.events(userId(user), calendarId);
  }

  /** The subscriptions, deleted and expired ones included. */
  public List<GraphFakeSubscription> subscriptions() {
    return calendars.subscriptions();
  }

  /** Change and lifecycle notifications sent so far (answered or not). */
  public List<GraphFakeCalendars.Delivery> deliveries() {
    return calendars.deliveries();
  }

  /** Waits until {@code count} notifications were delivered or {@code timeout} passed. */
  public List<GraphFakeCalendars.Delivery> awaitDeliveries(int count, Duration timeout)
      throws InterruptedException {
    return calendars.awaitDeliveries(count, timeout);
  }

  private static Meeting meeting(GraphFakeMeetings.Meeting m) {
    return new Meeting(
        m.id(),
        m.organizerId(),
        m.externalId(),
        m.subject(),
        m.start(),
        m.end(),
        m.lobbyScope(),
        m.dialInBypass(),
        m.allowedPresenters(),
        m.joinWebUrl(),
        m.deleted());
  }

  // ------------------------------------------------------------- host actions

  /**
   * The organizer lets everyone bypass the lobby (and dial-in callers too) in Teams: the drift the
   * waiting-room guard must notice and correct.
   */
  public void organizerOpensLobby(String graphMeetingId) {
    meetings.organizerChangesLobby(graphMeetingId, "everyone", true, "everyone");
  }

  /**
   * The calendar's owner adds an event of their own in Outlook (not the hub's).
   *
   * @param showAs {@code busy}, {@code oof}, {@code tentative}, {@code workingElsewhere} or {@code
   *     free}
   * @return the event's id
   */
  public String userAddsEvent(
      String user,
      @Nullable String calendarId,
      String subject,
      Instant start,
      Instant end,
      String showAs) {
    return calendars.userAddsEvent(userId(user), calendarId, subject, start, end, showAs, false);
  }

  /** The owner adds an all-day event ({@code start}, {@code end}: midnights, UTC). */
  public String userAddsAllDayEvent(
      String user, @Nullable String calendarId, String subject, Instant start, Instant end) {
    return calendars.userAddsEvent(userId(user), calendarId, subject, start, end, "oof", true);
  }

  /** The owner deletes an event (ours or theirs) in Outlook. */
  public void userDeletesEvent(String user, String eventId) {
    calendars.userDeletesEvent(userId(user), eventId);
  }

  /** The owner moves an event (ours or theirs) in Outlook. */
  public void userMovesEvent(String user, String eventId, Instant start, Instant end) {
    calendars.userMovesEvent(userId(user), eventId, start, end);
  }

  /** Every delta token issued so far expires: the next round answers 410 with a fresh link. */
  public void expireDeltaTokens() {
    calendars.expireDeltaTokens();
  }

  /**
   * Graph sends a lifecycle notification ({@code reauthorizationRequired}, {@code
   * subscriptionRemoved} or {@code missed}) for the subscription to its lifecycle URL.
   */
  public void sendLifecycleNotification(String subscriptionId, String lifecycleEvent) {
    calendars.sendLifecycle(subscriptionId, lifecycleEvent);
  }

  // ---------------------------------------------------------- fault injection

  /**
   * The next {@code count} Graph requests ({@code /v1.0}) are answered with this status, Graph's
   * error envelope and these headers, without being processed.
   */
  public synchronized void failNext(
      int count, int status, String code, String message, Map<String, String> headers) {
    if (count < 1 || status < 100 || status > 599) {
      throw new IllegalArgumentException("count must be positive and status an HTTP status");
    }
    GraphFakeReply reply = GraphFakeReply.error(status, code, message).withHeaders(headers);
    for (int i = 0; i < count; i++) {
      failures.add(reply);
    }
  }

  /**
   * The next Graph request is carried out (a create is stored), but its connection is closed
   * without any answer, as when Graph's answer is lost: the client sees an I/O failure.
   */
  public synchronized void dropNextResponse() {
    dropNext++;
  }

  /** The next Graph request is held this long before it is processed. */
  public synchronized void delayNext(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("a delay cannot be negative: " + delay);
    }
    delayNext = delay;
  }

  /** Every Graph request takes at least this long; {@link Duration#ZERO} turns it off. */
  public GraphFake latency(Duration each) {
    if (each.isNegative()) {
      throw new IllegalArgumentException("a latency cannot be negative: " + each);
    }
    latency = each;
    return this;
  }

  // -------------------------------------------------------------------- HTTP

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      GraphFakeReply reply;
      try {
        reply = route(exchange);
      } catch (RuntimeException bug) {
        reply = GraphFakeReply.error(500, "InternalServerError", "GraphFake internal error");
      }
      synchronized (this) {
        journal.add(
            new Call(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(),
                reply.status()));
      }
      if (reply.isDropped()) {
        return; // closing before sendResponseHeaders closes the socket unanswered
      }
      write(exchange, reply);
    }
  }

  /**
   * The Microsoft consent screen, given at once: {@code GET /{tenant}/oauth2/v2.0/authorize?
   * client_id&response_type=code&redirect_uri&scope&state&code_challenge&code_challenge_method=S256
   * [&login_hint]} → 302 to {@code redirect_uri?code=…&state=…}. The user is {@code login_hint} (a
   * user principal name). What Microsoft shows on its own page (unknown app, unknown user, bad
   * parameters) is a 400 with a plain text line here; nothing is redirected then.
   */
  private GraphFakeReply consent(Map<String, String> query) {
    String clientId = query.getOrDefault("client_id", "");
    String redirectUri = query.getOrDefault("redirect_uri", "");
    if (!"code".equals(query.get("response_type")) || redirectUri.isEmpty()) {
      return GraphFakeReply.text(400, "AADSTS900144: response_type=code and redirect_uri needed");
    }
    if (!identity.hasDelegatedApp(clientId)) {
      return GraphFakeReply.text(400, "AADSTS700016: application not found in the directory");
    }
    String challenge = query.get("code_challenge");
    if (challenge != null && !"S256".equals(query.get("code_challenge_method"))) {
      return GraphFakeReply.text(400, "AADSTS5002730: only code_challenge_method=S256");
    }
    Optional<GraphFakeIdentity.User> user =
        Optional.ofNullable(query.get("login_hint")).flatMap(identity::user);
    if (user.isEmpty()) {
      return GraphFakeReply.text(400, "AADSTS50034: the user account does not exist");
    }
    String code = identity.issueCode(clientId, redirectUri, challenge, user.get().id());
    String location =
        redirectUri
            + (redirectUri.contains("?") ? "&" : "?")
            + "code="
            + URLEncoder.encode(code, StandardCharsets.UTF_8)
            + (query.containsKey("state")
                ? "&state=" + URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8)
                : "");
    return GraphFakeReply.redirect(location);
  }

  private GraphFakeReply route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    byte[] body = readBody(exchange);
    List<String> segments = segments(path);
    if (segments.size() == 4
        && segments.get(1).equals("oauth2")
        && segments.get(2).equals("v2.0")
        && segments.get(3).equals("token")) {
      if (!exchange.getRequestMethod().equals("POST")) {
        return GraphFakeReply.oauthError(
            405, "invalid_request", "AADSTS900561: POST only.", 900561);
      }
      return identity.token(segments.get(0), form(new String(body, StandardCharsets.UTF_8)));
    }
    if (segments.size() == 4
        && segments.get(1).equals("oauth2")
        && segments.get(2).equals("v2.0")
        && segments.get(3).equals("authorize")) {
      return consent(form(exchange.getRequestURI().getRawQuery()));
    }
    if (segments.isEmpty() || !segments.get(0).equals("v1.0")) {
      return GraphFakeReply.error(404, "NotFound", "Not a Graph path.");
    }
    counters.graphRequests.incrementAndGet();
    Duration delay;
    GraphFakeReply failure;
    boolean drop;
    synchronized (this) {
      delay = delayNext;
      delayNext = null;
      failure = failures.poll();
      drop = failure == null && dropNext > 0;
      if (drop) {
        dropNext--;
      }
    }
    if (delay != null) {
      pause(delay);
    }
    if (!latency.isZero()) {
      pause(latency);
    }
    if (failure != null) {
      counters.injectedFaults.incrementAndGet();
      return failure;
    }
    GraphFakeReply reply = graph(exchange, segments.subList(1, segments.size()), body);
    return drop ? GraphFakeReply.dropped() : reply;
  }

  private GraphFakeReply graph(HttpExchange exchange, List<String> s, byte[] body) {
    Object checked = identity.check(exchange.getRequestHeaders().getFirst("Authorization"));
    if (checked instanceof GraphFakeReply refused) {
      return refused;
    }
    GraphFakeIdentity.Principal principal = (GraphFakeIdentity.Principal) checked;
    String method = exchange.getRequestMethod();
    Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
    String prefer = String.join(",", headerValues(exchange, "Prefer"));
    if (!s.isEmpty() && s.get(0).equals("subscriptions")) {
      return calendars.subscriptionsApi(principal, method, s.subList(1, s.size()), body);
    }
    // /me/... or /users/{id}/...
    String userId;
    List<String> rest;
    if (!s.isEmpty() && s.get(0).equals("me")) {
      if (!principal.delegated()) {
        return GraphFakeReply.error(
            400, "BadRequest", "/me request is only valid with delegated authentication flow.");
      }
      userId = principal.userId();
      rest = s.subList(1, s.size());
    } else if (s.size() >= 2 && s.get(0).equals("users")) {
      Optional<GraphFakeIdentity.User> user = identity.user(s.get(1));
      if (user.isEmpty() || !user.get().tenantId().equals(principal.tenantId())) {
        return GraphFakeReply.error(
            404,
            "Request_ResourceNotFound",
            "Resource '"
                + s.get(1)
                + "' does not exist or one of its queried reference-property"
                + " objects are not present.");
      }
      userId = user.get().id();
      if (principal.delegated() && !userId.equals(principal.userId())) {
        return GraphFakeReply.error(403, "ErrorAccessDenied", "Access is denied.");
      }
      rest = s.subList(2, s.size());
    } else {
      return GraphFakeReply.error(400, "BadRequest", "Resource not found for the segment.");
    }
    if (!rest.isEmpty() && rest.get(0).equals("onlineMeetings")) {
      if (!principal.delegated() && !identity.hasAccessPolicy(userId)) {
        return GraphFakeReply.error(
            403, "Forbidden", "No application access policy found for this app.");
      }
      return onlineMeetings(method, userId, rest.subList(1, rest.size()), body);
    }
    return calendars.mailboxApi(userId, method, rest, query, prefer, body);
  }

  private GraphFakeReply onlineMeetings(
      String method, String userId, List<String> rest, byte[] body) {
    if (rest.size() == 1 && rest.get(0).equals("createOrGet")) {
      return method.equals("POST") ? meetings.createOrGet(userId, body) : methodNotAllowed(method);
    }
    if (rest.size() == 1) {
      String id = rest.get(0);
      return switch (method) {
        case "GET" -> meetings.get(userId, id);
        case "PATCH" -> meetings.patch(userId, id, body);
        case "DELETE" -> meetings.delete(userId, id);
        default -> methodNotAllowed(method);
      };
    }
    return GraphFakeReply.error(400, "BadRequest", "Unsupported onlineMeetings request.");
  }

  static GraphFakeReply methodNotAllowed(String method) {
    return GraphFakeReply.error(
        405, "Request_BadRequest", "Specified HTTP method is not allowed: " + method);
  }

  private static List<String> headerValues(HttpExchange exchange, String name) {
    List<String> values = exchange.getRequestHeaders().get(name);
    return values == null ? List.of() : values;
  }

  private void write(HttpExchange exchange, GraphFakeReply reply) throws IOException {
    var headers = exchange.getResponseHeaders();
    headers.set("request-id", java.util.UUID.randomUUID().toString());
    reply.headers().forEach(headers::set);
    byte[] body = reply.body();
    if (body == null || body.length == 0) {
      exchange.sendResponseHeaders(reply.status(), -1);
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

  private String userId(String user) {
    return identity
        .user(user)
        .orElseThrow(() -> new IllegalArgumentException("the fake has no such user"))
        .id();
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

  /** Path segments, percent-decoded one by one. */
  static List<String> segments(String rawPath) {
    List<String> segments = new ArrayList<>();
    for (String raw : rawPath.split("/")) {
      if (!raw.isEmpty()) {
        segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return segments;
  }

  /** {@code application/x-www-form-urlencoded} (also a query string); the first value wins. */
  static Map<String, String> form(@Nullable String encoded) {
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

  static void pause(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static ExecutorService pool(String prefix, int threads) {
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
    return "GraphFake[" + baseUrl + "]";
  }

  // -------------------------------------------------------------- standalone

  /**
   * Runs the fake until killed: {@code --port 8792 --tenant t --client-id id --client-secret s
   * --user dr@contoso.example [--user …]}. Prints the base URLs and the user ids (no secrets).
   */
  public static void main(String[] args) throws InterruptedException {
    PrintStream out = System.out;
    int port = 0;
    String tenant = "fake-tenant";
    String clientId = "fake-client-id";
    String clientSecret = "fake-client-secret";
    List<String> users = new ArrayList<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      String value = args[i + 1];
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(value);
        case "--tenant" -> tenant = value;
        case "--client-id" -> clientId = value;
        case "--client-secret" -> clientSecret = value;
        case "--user" -> users.add(value);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (users.isEmpty()) {
      users.add("dr@contoso.example");
    }
    GraphFake fake = start(port);
    fake.addApp(tenant, clientId, clientSecret).addDelegatedApp(clientId, clientSecret);
    out.println("GraphFake listening on " + fake.baseUrl());
    out.println("  sessionbridge.microsoft.graph-base-url=" + fake.graphBaseUrl());
    out.println("  sessionbridge.microsoft.login-base-url=" + fake.baseUrl());
    out.println("  tenant " + tenant + ", client id " + clientId + " (client secret as given)");
    for (String user : users) {
      out.println("  user object id " + fake.addUser(tenant, user));
    }
    out.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(fake::close, "graph-fake-shutdown"));
    new CountDownLatch(1).await();
  }
}
