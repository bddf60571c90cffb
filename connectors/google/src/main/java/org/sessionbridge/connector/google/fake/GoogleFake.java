package org.sessionbridge.connector.google.fake;

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
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An in-process, stateful fake of Google Calendar API v3 and Google's OAuth endpoints that behaves
 * like Google as described in API-NOTES §3, so that the real {@link
 * org.sessionbridge.connector.google.GoogleCalendarProvider} runs offline against it (demo profile,
 * tests, benchmark). One JDK {@link HttpServer} on the loopback interface serves both hosts:
 *
 * <ul>
 *   <li>the Calendar API under {@code /calendar/v3/…} (Google: {@code https://www.googleapis.com/
 *       calendar/v3/}): set {@code sessionbridge.google.calendar-root-url = baseUrl() + "/"};
 *   <li>{@code POST /token} and {@code POST /revoke} (Google: {@code https://oauth2.googleapis.com/
 *       token} and {@code /revoke}): point the hub's Google token endpoint (token server URI) at
 *       {@code baseUrl() + "/token"} and its revocation endpoint at {@code baseUrl() + "/revoke"}.
 *       The consent screen of {@code accounts.google.com/o/oauth2/v2/auth} is served at {@code
 *       baseUrl() + "/o/oauth2/v2/auth"} and consents at once (302 back with a code), as {@code
 *       login_hint} or the first user; in Java, {@link #issueAuthorizationCode} does the same.
 * </ul>
 *
 * <p><b>What is modelled.</b>
 *
 * <ul>
 *   <li><b>Users and calendars</b>: {@link #addUser} with a primary calendar whose id is the e-mail
 *       ({@code primary} in a path means the token's user); {@link #addCalendar}. A token may only
 *       use its user's calendars: others answer 404 {@code notFound} as Google does for calendars
 *       one cannot see. Reading needs a calendar scope, writing a read-write one (else 403 {@code
 *       insufficientPermissions}); no or a bad, expired or revoked token → 401 ({@code required} /
 *       {@code authError}).
 *   <li><b>Events</b>: insert (200; a client-chosen id must be base32hex {@code [a-v0-9]}, 5–1024
 *       characters, else 400 {@code invalid}; an id that exists, <i>also when deleted or
 *       cancelled</i>, → 409 {@code duplicate}), get (a deleted event is still readable with {@code
 *       status: cancelled}), update ({@code PUT}, full replace; also revives a deleted event),
 *       patch ({@code PATCH}, or {@code POST} with {@code X-HTTP-Method-Override: PATCH}: fields
 *       merged, arrays replaced, {@code null} removes), delete (204; again → 410 {@code deleted};
 *       never existed → 404), {@code If-Match} (412 {@code conditionNotMet}). Etags change on every
 *       modification; {@code start}/{@code end} need {@code date} or {@code dateTime} (with an
 *       offset or a {@code timeZone}), end before start → 400 {@code timeRangeEmpty}.
 *   <li><b>List and sync</b>: {@code timeMin} (end after it), {@code timeMax}, {@code updatedMin},
 *       {@code showDeleted}, {@code privateExtendedProperty} (AND), {@code q}, {@code iCalUID},
 *       {@code orderBy}, {@code maxResults} (default 250, at most 2500) and {@code pageToken};
 *       {@code nextSyncToken} only on the last page. With {@code syncToken}: every event changed
 *       since, cancelled ones included in Google's short form; the forbidden parameters (and {@code
 *       showDeleted=false}) → 400 {@code syncTokenWithRequestRestrictions}; an unknown or {@link
 *       #expireSyncTokens expired} token → 410 {@code fullSyncRequired}. Unchanged calendars give
 *       back the same token.
 *   <li><b>Push channels</b>: {@code events.watch} and {@code channels.stop}; notifications for
 *       every change of the calendar (API calls and host actions alike, as Google does), see {@link
 *       #pushDeliveries()}.
 *   <li><b>Host actions</b> ({@link #userMovesEvent}, {@link #userDeletesEvent}, {@link
 *       #userAddsEvent}, {@link #userDeclines}, …): what the calendar's owner does in Google
 *       Calendar's UI; they bump the change log and notify channels like API changes.
 *   <li><b>Quotas and faults</b>: an optional per-user request rate ({@link #perUserRateLimit}),
 *       {@link #failNext}, {@link #dropNextResponse}, {@link #delayNext}, {@link #latency}.
 * </ul>
 *
 * <p><b>Not modelled</b>: recurring events are stored but never expanded ({@code singleEvents} is
 * accepted and ignored), attendee e-mails ({@code sendUpdates}), {@code conferenceData} creation
 * (kept as sent with {@code conferenceDataVersion=1}, dropped otherwise), {@code fields} partial
 * responses, {@code freeBusy}, {@code calendarList} beyond the user's own calendars, batch.
 *
 * <p><b>Time</b> is the injected {@link Clock}: token and code expiry, channel expiry, {@code
 * created}/{@code updated} and the rate-limit window all follow it.
 *
 * <p><b>Threading.</b> Thread-safe; requests are served by a pool of daemon threads. Nothing is
 * logged (no tokens, e-mails, titles or descriptions anywhere); snapshots redact titles in {@code
 * toString()}.
 *
 * <p><b>Latency.</b> {@link #start} sets the JVM-wide {@code sun.net.httpserver.nodelay=true}
 * unless it is already set, so that responses are not held back ~40 ms by Nagle's algorithm. The
 * JDK reads it when the first {@code HttpServer} of the JVM is created: start the fake before any
 * other JDK HTTP server, or pass {@code -Dsun.net.httpserver.nodelay=true}.
 */
public final class GoogleFake implements AutoCloseable {

  private static final int THREADS = Math.max(32, 4 * Runtime.getRuntime().availableProcessors());
  private static final int MAX_BODY = 1 << 20;
  private static final String NO_DELAY = "sun.net.httpserver.nodelay";
  private static final String API = "/calendar/v3";
  private static final String CONSENT = "/o/oauth2/v2/auth";

  /** Google's read-write Calendar scope, used by {@link #issueAccessToken(String)}. */
  public static final String CALENDAR_SCOPE = "https://www.googleapis.com/auth/calendar";

  /** How the per-user rate limit answers. */
  public enum RateLimitAnswer {
    /** 403 {@code usageLimits}/{@code rateLimitExceeded}, no {@code Retry-After}. */
    FORBIDDEN_403,
    /** 429 {@code usageLimits}/{@code rateLimitExceeded} with {@code Retry-After: 1}. */
    TOO_MANY_429
  }

  /**
   * An event as the fake holds it, deleted and cancelled ones included. {@link #toString()} leaves
   * out the summary.
   *
   * @param status {@code confirmed}, {@code tentative} or {@code cancelled}
   * @param deleted removed by {@code DELETE} or {@link #userDeletesEvent} (status {@code
   *     cancelled}); a {@code PATCH} to {@code cancelled} is cancelled but not deleted
   * @param start all-day events start at midnight in the event's or calendar's zone
   * @param end exclusive
   * @param ownerResponse the calendar owner's {@code attendees[].responseStatus}, empty when the
   *     owner is not among the attendees
   * @param etag as Google sends it, quotes included
   * @param sequence iCalendar sequence, bumped when the times change
   * @param privateProperties {@code extendedProperties.private}
   */
  public record StoredEvent(
      String calendarId,
      String id,
      String status,
      boolean deleted,
      Instant start,
      Instant end,
      boolean allDay,
      boolean transparent,
      String ownerResponse,
      String etag,
      Instant created,
      Instant updated,
      int sequence,
      Map<String, String> privateProperties,
      String summary) {

    public StoredEvent {
      privateProperties = Map.copyOf(privateProperties);
    }

    public boolean cancelled() {
      return status.equals("cancelled");
    }

    @Override
    public String toString() {
      return "StoredEvent[id="
          + id
          + ", status="
          + status
          + ", deleted="
          + deleted
          + ", start="
          + start
          + ", end="
          + end
          + ", allDay="
          + allDay
          + ", transparent="
          + transparent
          + ", etag="
          + etag
          + ", calendarId, summary, properties=<redacted>]";
    }
  }

  /**
   * What the fake has done so far. {@code inserts} … {@code channelStops} count successful calls (a
   * call whose response was dropped counts: it was applied); {@code tokenGrants} counts access
   * tokens issued; {@code pushesSent} notifications sent (answered or not); {@code apiRequests}
   * every {@code /calendar/v3} request, {@code rateLimited} the refusals of {@link
   * #perUserRateLimit}, {@code injectedFaults} the answers armed with {@link #failNext}.
   */
  public record Counts(
      int inserts,
      int updates,
      int patches,
      int deletes,
      int gets,
      int lists,
      int watches,
      int channelStops,
      int tokenGrants,
      int pushesSent,
      int apiRequests,
      int rateLimited,
      int injectedFaults) {}

  /**
   * One push notification and how the receiver answered.
   *
   * @param state {@code sync} or {@code exists}
   * @param messageNumber {@code X-Goog-Message-Number}
   * @param status the receiver's HTTP status; 0 when it did not answer (refused, timed out)
   */
  public record PushDelivery(String channelId, String state, long messageNumber, int status) {
    /** Whether Google would count it as delivered: any 2xx. */
    public boolean delivered() {
      return status >= 200 && status < 300;
    }
  }

  private final HttpServer server;
  private final ExecutorService requestThreads;
  private final ExecutorService pushThread;
  private final String baseUrl;
  private final Clock clock;
  private final GoogleFakeCounters counters = new GoogleFakeCounters();
  private final GoogleFakeFaults faults;
  private final GoogleFakeOAuth oauth;
  private final GoogleFakeCalendars calendars;
  private final GoogleFakeChannels channels;

  private GoogleFake(HttpServer server, Clock clock) {
    this.server = server;
    this.clock = clock;
    this.baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
    JsonMapper json = JsonMapper.builder().build();
    this.requestThreads = pool("google-fake-http-", THREADS);
    this.pushThread =
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "google-fake-push");
              thread.setDaemon(true);
              return thread;
            });
    this.faults = new GoogleFakeFaults(clock);
    this.channels = new GoogleFakeChannels(clock, json, counters, baseUrl, pushThread);
    this.calendars = new GoogleFakeCalendars(clock, json, counters, baseUrl, channels::changed);
    this.oauth = new GoogleFakeOAuth(clock, json, counters, calendars::hasUser);
    server.createContext("/", this::handle);
    server.setExecutor(requestThreads);
  }

  /** Starts a fake on the system UTC clock. */
  public static GoogleFake start(int port) {
    return start(port, Clock.systemUTC());
  }

  /**
   * Starts a fake on {@code 127.0.0.1}.
   *
   * @param port the port, 0 for an ephemeral one (see {@link #baseUrl()})
   * @param clock the time for token, code and channel expiry, timestamps and the rate limit
   */
  public static GoogleFake start(int port, Clock clock) {
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
      throw new UncheckedIOException("the Google fake cannot listen on port " + port, e);
    }
    GoogleFake fake = new GoogleFake(server, clock);
    server.start();
    return fake;
  }

  /**
   * {@code http://127.0.0.1:{port}}, without a trailing slash: the calendar root URL is this plus
   * {@code /}, the token endpoint this plus {@code /token}.
   */
  public String baseUrl() {
    return baseUrl;
  }

  /** Stops serving; pending push notifications are abandoned. */
  @Override
  public void close() {
    server.stop(0);
    requestThreads.shutdownNow();
    pushThread.shutdownNow();
  }

  // ------------------------------------------------------------ configuration

  /** A Google account with its primary calendar (id = e-mail) in UTC. */
  public GoogleFake addUser(String email) {
    return addUser(email, ZoneOffset.UTC);
  }

  /** A Google account with its primary calendar (id = e-mail) in this time zone. */
  public GoogleFake addUser(String email, ZoneId timeZone) {
    calendars.addUser(email, timeZone);
    return this;
  }

  /**
   * A secondary calendar owned by the user, in UTC.
   *
   * @return its id ({@code …@group.calendar.google.com})
   */
  public String addCalendar(String email, String name) {
    return calendars.addCalendar(email, name, ZoneOffset.UTC);
  }

  /** A secondary calendar owned by the user, in this time zone. */
  public String addCalendar(String email, String name, ZoneId timeZone) {
    return calendars.addCalendar(email, name, timeZone);
  }

  /** An OAuth client of the project (web application: id and secret). */
  public GoogleFake addClient(String clientId, String clientSecret) {
    oauth.addClient(clientId, clientSecret);
    return this;
  }

  /**
   * The outcome of the consent screen: the user granted these scopes to the client, with offline
   * access. The code is single use and valid for 10 minutes of the clock.
   *
   * @param codeChallenge PKCE S256 challenge ({@code base64url(sha256(verifier))}); {@code null}
   *     for a flow without PKCE
   */
  public String issueAuthorizationCode(
      String clientId,
      String redirectUri,
      @Nullable String codeChallenge,
      String email,
      Collection<String> scopes) {
    return oauth.issueCode(clientId, redirectUri, codeChallenge, email, scopes);
  }

  /**
   * A refresh token of {@code clientId} for the user with {@link #CALENDAR_SCOPE}, as a practice
   * system holds it after its own consent flow (the grant the code exchange would make, without
   * it).
   */
  public String issueRefreshToken(String clientId, String email) {
    return oauth.issueRefreshToken(clientId, email, List.of(CALENDAR_SCOPE));
  }

  /**
   * An access token for the user with {@link #CALENDAR_SCOPE}, valid for an hour of the clock,
   * without going through the token endpoint (demo, benchmark, connector tests).
   */
  public String issueAccessToken(String email) {
    return oauth.issueAccessToken(email, List.of(CALENDAR_SCOPE));
  }

  /** An access token for the user with these scopes, valid for an hour of the clock. */
  public String issueAccessToken(String email, Collection<String> scopes) {
    return oauth.issueAccessToken(email, scopes);
  }

  /**
   * The user removes the app's access (myaccount.google.com → security) or changes their password:
   * every grant and token of the user stops working; a refresh answers {@code invalid_grant}.
   */
  public void revokeUser(String email) {
    oauth.revokeUser(email);
  }

  /** Invalidates every sync token handed out for the calendar: their next use answers 410. */
  public void expireSyncTokens(String calendarId) {
    calendars.expireSyncTokens(calendarId);
  }

  /**
   * Calendar API requests per user and clock second; 0 (the default) turns the limit off. Google's
   * real quota is 600 a minute per user, on a sliding window.
   */
  public GoogleFake perUserRateLimit(int perSecond, RateLimitAnswer answer) {
    faults.perUserLimit(perSecond, answer);
    return this;
  }

  // ----------------------------------------------------------- observability

  public Counts counts() {
    return counters.snapshot();
  }

  /** Every event of the calendar, deleted and cancelled ones included, oldest first. */
  public List<StoredEvent> events(String calendarId) {
    return calendars.snapshots(calendarId);
  }

  public Optional<StoredEvent> event(String calendarId, String eventId) {
    return calendars.snapshot(calendarId, eventId);
  }

  /** Whether the channel was opened and is neither stopped nor expired. */
  public boolean channelLive(String channelId) {
    return channels.live(channelId);
  }

  /** Push channels neither stopped nor expired. */
  public int liveChannels() {
    return channels.liveChannels();
  }

  /** The notifications sent so far (answered or failed), in the order they were sent. */
  public List<PushDelivery> pushDeliveries() {
    return channels.deliveries();
  }

  /** Waits until at least {@code count} notifications have been recorded or the timeout passed. */
  public List<PushDelivery> awaitPushDeliveries(int count, Duration timeout)
      throws InterruptedException {
    return channels.awaitDeliveries(count, timeout);
  }

  // ------------------------------------------------------------- host actions

  /**
   * The owner drags the event to another time (it becomes a timed event in its zone).
   *
   * @throws IllegalArgumentException for an unknown calendar or event, or a cancelled event
   */
  public void userMovesEvent(String calendarId, String eventId, Instant newStart, Instant newEnd) {
    calendars.hostMoves(calendarId, eventId, newStart, newEnd);
  }

  /** The owner deletes the event (status {@code cancelled}, still readable). */
  public void userDeletesEvent(String calendarId, String eventId) {
    calendars.hostDeletes(calendarId, eventId);
  }

  /**
   * The owner adds an event of their own in the calendar's time zone: a busy block, or free time
   * when {@code transparent} ("Show as: Available").
   *
   * @return the event's id, chosen by Google
   */
  public String userAddsEvent(
      String calendarId, String summary, Instant start, Instant end, boolean transparent) {
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("the end must be after the start");
    }
    ZoneId zone = calendarZone(calendarId);
    return calendars.hostAdds(
        calendarId,
        summary,
        GoogleFakeTimes.timed(start, zone),
        GoogleFakeTimes.timed(end, zone),
        transparent,
        null);
  }

  /** The owner adds an all-day event from {@code first} to {@code last}, both included. */
  public String userAddsAllDayEvent(
      String calendarId, String summary, LocalDate first, LocalDate last, boolean transparent) {
    if (last.isBefore(first)) {
      throw new IllegalArgumentException("the last day is before the first");
    }
    ObjectNode start = JsonNodeFactory.instance.objectNode().put("date", first.toString());
    ObjectNode end = JsonNodeFactory.instance.objectNode().put("date", last.plusDays(1).toString());
    return calendars.hostAdds(calendarId, summary, start, end, transparent, null);
  }

  /**
   * Someone else invites the owner: the event lands in the calendar with the owner as an attendee
   * whose {@code responseStatus} is {@code needsAction}.
   */
  public String userIsInvited(
      String calendarId, String summary, Instant start, Instant end, String organizerEmail) {
    ZoneId zone = calendarZone(calendarId);
    return calendars.hostAdds(
        calendarId,
        summary,
        GoogleFakeTimes.timed(start, zone),
        GoogleFakeTimes.timed(end, zone),
        false,
        organizerEmail);
  }

  /** The owner declines the event ({@code attendees[self].responseStatus = declined}). */
  public void userDeclines(String calendarId, String eventId) {
    calendars.hostDeclines(calendarId, eventId);
  }

  private ZoneId calendarZone(String calendarId) {
    // Host actions write times in the calendar's zone; the fake keeps it with the calendar.
    return calendars.zone(calendarId);
  }

  // ---------------------------------------------------------- fault injection

  /**
   * The next {@code count} Calendar API calls (any operation) are answered with this status and
   * Google's error envelope for {@code reason} (domain and message as in API-NOTES §3.5), plus
   * these headers, without being processed.
   */
  public void failNext(int count, int status, String reason, Map<String, String> headers) {
    faults.failNext(count, status, reason, headers);
  }

  /**
   * The next Calendar API call is processed (and counted) as usual, but its connection is closed
   * without any response, as when Google's answer is lost: the client sees an I/O failure.
   */
  public void dropNextResponse() {
    faults.dropNextResponse();
  }

  /** The next Calendar API call is held for this long before it is processed. */
  public void delayNext(Duration delay) {
    faults.delayNext(delay);
  }

  /**
   * Makes every Calendar API call take at least {@code each} before it is handled, like Google
   * across the internet; {@link Duration#ZERO} turns it off.
   */
  public GoogleFake latency(Duration each) {
    faults.latency(each);
    return this;
  }

  // -------------------------------------------------------------------- HTTP

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      GoogleFakeReply reply;
      try {
        reply = route(exchange);
      } catch (GoogleFakeCalendars.Rejection rejection) {
        reply = rejection.reply;
      } catch (RuntimeException bug) {
        // Answer as a Google outage would; the cause stays out (it may quote a request).
        reply = GoogleFakeReply.error(500, "global", "backendError", "Backend Error");
      }
      if (reply.isDropped()) {
        // Closing before sendResponseHeaders makes the JDK server close the socket.
        return;
      }
      write(exchange, reply);
    }
  }

  private GoogleFakeReply route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    byte[] body = readBody(exchange);
    String method = exchange.getRequestMethod();
    if (path.equals("/token") || path.equals("/revoke")) {
      if (!method.equals("POST")) {
        return GoogleFakeReply.oauthError(405, "invalid_request", "Method Not Allowed");
      }
      Map<String, List<String>> form = form(exchange.getRequestURI().getRawQuery());
      form(new String(body, StandardCharsets.UTF_8)).forEach(form::putIfAbsent);
      Map<String, String> first = new LinkedHashMap<>();
      form.forEach((name, values) -> first.put(name, values.get(0)));
      if (path.equals("/revoke")) {
        return oauth.revoke(first.getOrDefault("token", ""));
      }
      return oauth.token(exchange.getRequestHeaders().getFirst("Authorization"), first);
    }
    if (path.equals(API) || path.startsWith(API + "/")) {
      return api(exchange, method, path.substring(API.length()), body);
    }
    if (path.equals(CONSENT) && method.equals("GET")) {
      return consent(form(exchange.getRequestURI().getRawQuery()));
    }
    return GoogleFakeReply.notFound();
  }

  /**
   * Google's consent screen, given at once: {@code GET /o/oauth2/v2/auth?client_id&redirect_uri
   * &response_type=code&scope&state&code_challenge&code_challenge_method=S256[&login_hint]} → 302
   * to {@code redirect_uri?code=…&state=…}. The user is {@code login_hint}, or the first user
   * added. Problems Google shows on its own page (unknown client, unknown user, bad parameters) are
   * a 400 with a plain text line here; nothing is redirected then.
   */
  private GoogleFakeReply consent(Map<String, List<String>> query) {
    Map<String, String> first = new LinkedHashMap<>();
    query.forEach((name, values) -> first.put(name, values.get(0)));
    String clientId = first.getOrDefault("client_id", "");
    String redirectUri = first.getOrDefault("redirect_uri", "");
    String scope = first.getOrDefault("scope", "").trim();
    String challenge = first.get("code_challenge");
    String challengeMethod = first.getOrDefault("code_challenge_method", "plain");
    if (!"code".equals(first.get("response_type")) || redirectUri.isEmpty() || scope.isEmpty()) {
      return GoogleFakeReply.text(400, "invalid_request");
    }
    if (challenge != null && !challengeMethod.equals("S256")) {
      return GoogleFakeReply.text(400, "invalid_request: only code_challenge_method=S256");
    }
    Optional<String> user = Optional.ofNullable(first.get("login_hint")).or(calendars::firstUser);
    if (user.isEmpty() || !calendars.hasUser(user.get())) {
      return GoogleFakeReply.text(400, "no such Google account");
    }
    String code;
    try {
      code =
          oauth.issueCode(
              clientId, redirectUri, challenge, user.get(), GoogleFakeOAuth.scopes(scope));
    } catch (IllegalArgumentException unknownClient) {
      return GoogleFakeReply.text(400, "invalid_client");
    }
    StringBuilder location = new StringBuilder(redirectUri);
    location.append(redirectUri.contains("?") ? '&' : '?').append("code=").append(encode(code));
    String state = first.get("state");
    if (state != null) {
      location.append("&state=").append(encode(state));
    }
    location.append("&scope=").append(encode(scope));
    return new GoogleFakeReply(302, null, Map.of("Location", location.toString()));
  }

  private static String encode(String value) {
    return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private GoogleFakeReply api(HttpExchange exchange, String method, String path, byte[] body) {
    counters.apiRequests.incrementAndGet();
    Duration delay = faults.takeDelay();
    if (delay != null) {
      pause(delay);
    }
    if (!faults.latency().isZero()) {
      pause(faults.latency());
    }
    GoogleFakeReply failure = faults.takeFailure();
    if (failure != null) {
      counters.injectedFaults.incrementAndGet();
      return failure;
    }
    GoogleFakeOAuth.Check check =
        oauth.check(exchange.getRequestHeaders().getFirst("Authorization"));
    if (check instanceof GoogleFakeOAuth.Refused refused) {
      return refused.reply();
    }
    GoogleFakeOAuth.Principal principal = ((GoogleFakeOAuth.Valid) check).principal();
    GoogleFakeReply limited = faults.takeRateLimit(principal.email());
    if (limited != null) {
      counters.rateLimited.incrementAndGet();
      return limited;
    }
    String override = exchange.getRequestHeaders().getFirst("X-HTTP-Method-Override");
    if (method.equals("POST") && override != null && !override.isBlank()) {
      method = override.trim().toUpperCase(java.util.Locale.ROOT); // Google honours it
    }
    Map<String, List<String>> query = form(exchange.getRequestURI().getRawQuery());
    String ifMatch = exchange.getRequestHeaders().getFirst("If-Match");
    GoogleFakeReply reply = dispatch(principal, method, segments(path), query, body, ifMatch);
    if (reply.isSuccess() && faults.takeDrop()) {
      return GoogleFakeReply.dropped();
    }
    return reply;
  }

  private GoogleFakeReply dispatch(
      GoogleFakeOAuth.Principal principal,
      String method,
      List<String> segments,
      Map<String, List<String>> query,
      byte[] body,
      @Nullable String ifMatch) {
    int size = segments.size();
    // /channels/stop
    if (size == 2 && segments.get(0).equals("channels") && segments.get(1).equals("stop")) {
      return method.equals("POST") ? channels.stop(principal.email(), body) : methodNotAllowed();
    }
    // /users/me/calendarList
    if (size == 3
        && segments.get(0).equals("users")
        && segments.get(1).equals("me")
        && segments.get(2).equals("calendarList")) {
      if (!principal.canRead()) {
        return insufficientScopes();
      }
      return method.equals("GET") ? calendars.calendarList(principal.email()) : methodNotAllowed();
    }
    if (size < 3 || !segments.get(0).equals("calendars") || !segments.get(2).equals("events")) {
      return GoogleFakeReply.notFound();
    }
    Optional<String> resolved = calendars.resolve(principal.email(), segments.get(1));
    if (resolved.isEmpty()) {
      return GoogleFakeReply.notFound();
    }
    String calendarId = resolved.get();
    boolean write = !method.equals("GET");
    if (size == 4 && segments.get(3).equals("watch") && method.equals("POST")) {
      write = false; // watching only reads
    }
    if (!principal.canRead() || (write && !principal.canWrite())) {
      return insufficientScopes();
    }
    if (size == 3) {
      return switch (method) {
        case "GET" -> calendars.list(calendarId, query);
        case "POST" -> calendars.insert(calendarId, query, body);
        default -> methodNotAllowed();
      };
    }
    if (size == 4) {
      String eventId = segments.get(3);
      if (eventId.equals("watch") && method.equals("POST")) {
        return channels.watch(calendarId, principal.email(), body);
      }
      return switch (method) {
        case "GET" -> calendars.get(calendarId, eventId);
        case "PUT" -> calendars.update(calendarId, eventId, query, body, ifMatch);
        case "PATCH" -> calendars.patch(calendarId, eventId, query, body, ifMatch);
        case "DELETE" -> calendars.delete(calendarId, eventId, ifMatch);
        default -> methodNotAllowed();
      };
    }
    return GoogleFakeReply.notFound();
  }

  private static GoogleFakeReply insufficientScopes() {
    return GoogleFakeReply.error(
        403,
        "global",
        "insufficientPermissions",
        "Request had insufficient authentication scopes.");
  }

  private static GoogleFakeReply methodNotAllowed() {
    return GoogleFakeReply.error(405, "global", "httpMethodNotAllowed", "Method Not Allowed");
  }

  private static void write(HttpExchange exchange, GoogleFakeReply reply) throws IOException {
    var headers = exchange.getResponseHeaders();
    headers.set("Vary", "Origin, X-Origin, Referer");
    headers.set("Server", "ESF");
    reply.headers().forEach(headers::set);
    byte[] body = reply.body();
    if (body == null || body.length == 0) {
      exchange.sendResponseHeaders(reply.status(), -1); // 204: no body, no Content-Type
      return;
    }
    if (!reply.headers().containsKey("Content-Type")) {
      headers.set("Content-Type", GoogleFakeReply.JSON);
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

  /** {@code application/x-www-form-urlencoded} (also a query string), every value kept. */
  private static Map<String, List<String>> form(@Nullable String encoded) {
    Map<String, List<String>> values = new LinkedHashMap<>();
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
        values
            .computeIfAbsent(
                URLDecoder.decode(name, StandardCharsets.UTF_8), n -> new ArrayList<>())
            .add(URLDecoder.decode(value, StandardCharsets.UTF_8));
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
    return "GoogleFake[" + baseUrl + "]";
  }

  // -------------------------------------------------------------- standalone

  /**
   * Runs the fake until killed: {@code --port 8791 --user dr@example.com [--user …] [--client-id id
   * --client-secret s] [--rate-limit 0]}. Prints the base URL and the hub properties to use (no
   * tokens).
   */
  public static void main(String[] args) throws InterruptedException {
    PrintStream out = System.out;
    int port = 0;
    String clientId = "fake-client-id.apps.googleusercontent.com";
    String clientSecret = "fake-client-secret";
    List<String> users = new ArrayList<>();
    int rateLimit = 0;
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
        case "--user" -> users.add(value);
        case "--client-id" -> clientId = value;
        case "--client-secret" -> clientSecret = value;
        case "--rate-limit" -> rateLimit = Integer.parseInt(value);
        default -> {
          usage(System.err);
          throw new IllegalArgumentException("unknown option " + name);
        }
      }
    }
    if (users.isEmpty()) {
      users.add("provider@example.com");
    }
    GoogleFake fake = start(port);
    fake.addClient(clientId, clientSecret);
    for (String user : users) {
      fake.addUser(user);
    }
    fake.perUserRateLimit(rateLimit, RateLimitAnswer.FORBIDDEN_403);
    Runtime.getRuntime().addShutdownHook(new Thread(fake::close, "google-fake-shutdown"));
    out.println("GoogleFake listening on " + fake.baseUrl());
    out.println("  sessionbridge.google.calendar-root-url=" + fake.baseUrl() + "/");
    out.println(
        "  Google token endpoint (oauth2.googleapis.com/token): " + fake.baseUrl() + "/token");
    out.println(
        "  Google revoke endpoint (oauth2.googleapis.com/revoke): " + fake.baseUrl() + "/revoke");
    out.println(
        "  Google authorization endpoint (accounts.google.com/o/oauth2/v2/auth): "
            + fake.baseUrl()
            + CONSENT
            + " (consents at once as login_hint or the first user)");
    out.println("  OAuth client id: " + clientId + " (client secret as given)");
    out.println("  " + users.size() + " user(s), each with a primary calendar (id = the e-mail)");
    out.flush();
    new CountDownLatch(1).await(); // until the process is stopped
  }

  private static void usage(PrintStream to) {
    to.println(
        "usage: GoogleFake [--port N] [--user EMAIL]... [--client-id ID] [--client-secret S]"
            + " [--rate-limit PER_USER_PER_SECOND]");
  }
}
