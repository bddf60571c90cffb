package org.sessionbridge.connector.zoom;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Zoom REST API v2 calls SessionBridge needs, authenticated with Server-to-Server OAuth or, for
 * a provider's personal account, with that provider's user-level token ({@link ZoomAccessTokens}).
 *
 * <p><b>Threading.</b> One instance per Zoom account, shared by all threads; calls are blocking.
 *
 * <p><b>Authentication.</b> The access token is fetched on first use and cached until shortly
 * before it expires (see {@code ZoomTokens}; user-level tokens: {@link ZoomUserAccounts}). If Zoom
 * answers 401 the token is dropped, a new one fetched and the call sent once more; a second 401 is
 * a {@link ZoomAuthorizationException}.
 *
 * <p><b>Failures.</b> Every method throws only {@link ZoomException} subtypes (besides {@link
 * IllegalArgumentException} for bad arguments): {@link ZoomTransientException} for 429 (with {@code
 * Retry-After} when Zoom sends one), 5xx, timeouts and lost connections; {@link
 * ZoomAuthorizationException}; {@link ZoomNotFoundException}; {@link ZoomRejectedException} for
 * validation errors; {@link ZoomProtocolException} for unreadable answers. This client never
 * retries on its own apart from the single 401 retry, and OkHttp's silent retry on connection
 * failure is off, so that a create is sent at most once per call.
 *
 * <p><b>Security.</b> Every create and update asks for {@code settings.waiting_room=true} and
 * {@code join_before_host=false}. Zoom may still change settings on its own, so read the effective
 * values from the returned or re-fetched {@link ZoomMeeting}.
 */
public final class ZoomApi {

  private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

  /** Zoom's maximum {@code page_size} for meeting lists. */
  static final int LIST_PAGE_SIZE = 300;

  /** How many pages {@link #listUpcomingMeetings(String)} follows at most. */
  static final int MAX_LIST_PAGES = 20;

  private final OkHttpClient http;
  private final HttpUrl apiBase;
  private final ZoomAccessTokens tokens;
  private final ZoomErrors errors;
  private final JsonMapper json;
  private final ZoomMeetingJson meetings;

  public ZoomApi(ZoomSettings settings, ZoomCredentials credentials) {
    this(settings, credentials, Clock.systemUTC());
  }

  ZoomApi(ZoomSettings settings, ZoomCredentials credentials, Clock clock) {
    this(httpClient(settings), settings, credentials, clock);
  }

  /**
   * Shares {@code http} (its connection pool and threads) with other instances, as one per practice
   * would otherwise open a pool each; {@code http} must come from {@link
   * #httpClient(ZoomSettings)}.
   */
  ZoomApi(OkHttpClient http, ZoomSettings settings, ZoomCredentials credentials, Clock clock) {
    this(http, settings, serverToServer(http, settings, credentials, clock), clock);
  }

  /**
   * A client that calls with the tokens {@code tokens} hands out, e.g. a provider's user-level
   * token (call the API with user id {@code me} then).
   */
  public ZoomApi(ZoomSettings settings, ZoomAccessTokens tokens) {
    this(httpClient(settings), settings, tokens, Clock.systemUTC());
  }

  /** As {@link #ZoomApi(ZoomSettings, ZoomAccessTokens)}, sharing {@code http}. */
  ZoomApi(OkHttpClient http, ZoomSettings settings, ZoomAccessTokens tokens, Clock clock) {
    this.http = http;
    this.apiBase = HttpUrl.get(settings.apiBaseUrl());
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.json = JsonMapper.builder().build();
    this.errors = new ZoomErrors(clock, json);
    this.meetings = new ZoomMeetingJson(json);
  }

  private static ZoomTokens serverToServer(
      OkHttpClient http, ZoomSettings settings, ZoomCredentials credentials, Clock clock) {
    JsonMapper json = JsonMapper.builder().build();
    return new ZoomTokens(
        http, settings.oauthBaseUrl(), credentials, clock, json, new ZoomErrors(clock, json));
  }

  /** The OkHttp client every Zoom call goes through: timeouts from settings, no hidden retries. */
  static OkHttpClient httpClient(ZoomSettings settings) {
    return new OkHttpClient.Builder()
        .connectTimeout(settings.connectTimeout())
        .readTimeout(settings.readTimeout())
        .writeTimeout(settings.readTimeout())
        // A silently repeated POST could create a second meeting: callers decide on retries.
        .retryOnConnectionFailure(false)
        // With no silent retry, a pooled connection the server closed fails the call: drop idle
        // connections (20 s) before servers and load balancers do.
        .connectionPool(new okhttp3.ConnectionPool(8, 20, java.util.concurrent.TimeUnit.SECONDS))
        .followRedirects(false)
        .build();
  }

  /**
   * Checks the credentials by obtaining an access token, the one thing a Server-to-Server app can
   * prove without side effects. Throws {@link ZoomAuthorizationException} when Zoom refuses them
   * and {@link ZoomTransientException} when Zoom could not be asked.
   */
  public void verifyCredentials() {
    tokens.accessToken();
  }

  /**
   * Schedules a meeting ({@code POST /users/{userId}/meetings}, expects 201) with a waiting room,
   * no join-before-host and the telehealth defaults of API-NOTES §1.2. Not idempotent: after a
   * {@link ZoomTransientException} from a timeout or lost connection the meeting may exist.
   *
   * @param userId the host's Zoom user id or e-mail ({@code me} for user-level apps)
   * @return the meeting as Zoom stored it
   */
  public ZoomMeeting createMeeting(String userId, ZoomMeetingRequest request) {
    Objects.requireNonNull(request, "request");
    if (userId == null || userId.isBlank()) {
      throw new IllegalArgumentException("a Zoom userId must not be blank");
    }
    String operation = "create meeting";
    HttpUrl url =
        apiBase
            .newBuilder()
            .addPathSegment("users")
            .addPathSegment(userId)
            .addPathSegment("meetings")
            .build();
    String body = meetings.createBody(request);
    Answer answer =
        exchange(operation, token -> authorized(url, token).post(RequestBody.create(body, JSON)));
    return readMeeting(operation, answer);
  }

  /**
   * The user the token speaks for ({@code GET /users/me}): with a user-level token, the Zoom user
   * who authorised. Idempotent.
   */
  public ZoomUser currentUser() {
    String operation = "get current user";
    HttpUrl url = apiBase.newBuilder().addPathSegment("users").addPathSegment("me").build();
    Answer answer = exchange(operation, token -> authorized(url, token).get());
    return read(
        operation,
        answer,
        node -> {
          JsonNode id = node.path("id");
          if (!id.isString() || id.asString().isBlank()) {
            throw new IllegalArgumentException("no user id");
          }
          JsonNode email = node.path("email");
          JsonNode account = node.path("account_id");
          return new ZoomUser(
              id.asString(),
              email.isString() ? email.asString() : "",
              account.isString() ? account.asString() : "");
        });
  }

  /** The meeting as Zoom has it now ({@code GET /meetings/{id}}). */
  public ZoomMeeting getMeeting(long meetingId) {
    String operation = "get meeting " + meetingId;
    HttpUrl url = meetingUrl(meetingId);
    Answer answer = exchange(operation, token -> authorized(url, token).get());
    return readMeeting(operation, answer);
  }

  /**
   * The host's scheduled meetings that have not happened yet ({@code GET
   * /users/{userId}/meetings?type=upcoming}, 300 per page), following {@code next_page_token} for
   * at most {@link #MAX_LIST_PAGES} pages (6 000 meetings, far beyond any host's calendar; the rest
   * is left out rather than failing the whole list). Items carry no settings: {@link
   * #getMeeting(long)} a meeting for its waiting room. Rate-limit label LIGHT; not counted against
   * the daily create/update budget. Idempotent.
   *
   * @param userId the host's Zoom user id or e-mail
   * @throws ZoomNotFoundException when the user does not exist (code 1001)
   */
  public List<ZoomMeetingSummary> listUpcomingMeetings(String userId) {
    if (userId == null || userId.isBlank()) {
      throw new IllegalArgumentException("a Zoom userId must not be blank");
    }
    List<ZoomMeetingSummary> all = new ArrayList<>();
    String pageToken = "";
    for (int page = 1; page <= MAX_LIST_PAGES; page++) {
      String operation = "list upcoming meetings (page " + page + ")";
      HttpUrl.Builder builder =
          apiBase
              .newBuilder()
              .addPathSegment("users")
              .addPathSegment(userId)
              .addPathSegment("meetings")
              .addQueryParameter("type", "upcoming")
              .addQueryParameter("page_size", Integer.toString(LIST_PAGE_SIZE));
      if (!pageToken.isEmpty()) {
        builder.addQueryParameter("next_page_token", pageToken);
      }
      HttpUrl url = builder.build();
      Answer answer = exchange(operation, token -> authorized(url, token).get());
      ZoomMeetingJson.Page read = read(operation, answer, meetings::page);
      all.addAll(read.meetings());
      pageToken = read.nextPageToken();
      if (pageToken.isEmpty()) {
        break;
      }
    }
    return List.copyOf(all);
  }

  /**
   * Changes a meeting ({@code PATCH /meetings/{id}}, expects 204 without body), re-asserting the
   * waiting room. Zoom does not return the result: call {@link #getMeeting(long)} to see it. Counts
   * against Zoom's 100 creates/updates per host and day.
   *
   * @throws ZoomNotFoundException when the meeting does not exist (code 3001)
   */
  public void updateMeeting(long meetingId, ZoomMeetingUpdate update) {
    Objects.requireNonNull(update, "update");
    String operation = "update meeting " + meetingId;
    HttpUrl url = meetingUrl(meetingId);
    String body = meetings.updateBody(update);
    Answer answer =
        exchange(operation, token -> authorized(url, token).patch(RequestBody.create(body, JSON)));
    if (!answer.successful()) {
      throw errors.forApiResponse(operation, answer.status, answer.headers, answer.body);
    }
  }

  /**
   * Deletes a meeting ({@code DELETE /meetings/{id}}, expects 204). Idempotent: a 404 means the
   * meeting is already gone (deleted before, by us or by the host, or expired) and is treated as
   * success, not as a {@link ZoomNotFoundException}.
   *
   * @return {@code true} if this call deleted it, {@code false} if Zoom answered 404
   */
  public boolean deleteMeeting(long meetingId) {
    String operation = "delete meeting " + meetingId;
    HttpUrl url = meetingUrl(meetingId);
    Answer answer = exchange(operation, token -> authorized(url, token).delete());
    if (answer.status == 404) {
      return false;
    }
    if (!answer.successful()) {
      throw errors.forApiResponse(operation, answer.status, answer.headers, answer.body);
    }
    return true;
  }

  /**
   * Turns the waiting room on for the whole account and locks it, so that no host can turn it off
   * (API-NOTES §1.6): {@code PATCH /accounts/me/settings?option=meeting_security} then {@code PATCH
   * /accounts/me/lock_settings}, both {@code {"meeting_security":{"waiting_room":true}}}, each
   * answering 204. Needs an account-admin scope; without it Zoom answers 400/4700, thrown as {@link
   * ZoomRejectedException} or {@link ZoomAuthorizationException}.
   */
  public void lockWaitingRoom() {
    String body = "{\"meeting_security\":{\"waiting_room\":true}}";
    HttpUrl settings =
        apiBase
            .newBuilder()
            .addPathSegment("accounts")
            .addPathSegment("me")
            .addPathSegment("settings")
            .addQueryParameter("option", "meeting_security")
            .build();
    HttpUrl locks =
        apiBase
            .newBuilder()
            .addPathSegment("accounts")
            .addPathSegment("me")
            .addPathSegment("lock_settings")
            .build();
    for (var step :
        List.of(
            java.util.Map.entry("turn on the account's waiting room", settings),
            java.util.Map.entry("lock the account's waiting room", locks))) {
      Answer answer =
          exchange(
              step.getKey(),
              token -> authorized(step.getValue(), token).patch(RequestBody.create(body, JSON)));
      if (!answer.successful()) {
        throw errors.forApiResponse(step.getKey(), answer.status, answer.headers, answer.body);
      }
    }
  }

  private HttpUrl meetingUrl(long meetingId) {
    if (meetingId <= 0) {
      throw new IllegalArgumentException("a Zoom meeting id is positive, not " + meetingId);
    }
    return apiBase
        .newBuilder()
        .addPathSegment("meetings")
        .addPathSegment(Long.toString(meetingId))
        .build();
  }

  private static Request.Builder authorized(HttpUrl url, String token) {
    return new Request.Builder()
        .url(url)
        .header("Authorization", "Bearer " + token)
        .header("Accept", "application/json");
  }

  private ZoomMeeting readMeeting(String operation, Answer answer) {
    return read(operation, answer, meetings::meeting);
  }

  private <T> T read(String operation, Answer answer, Function<JsonNode, T> reader) {
    if (!answer.successful()) {
      throw errors.forApiResponse(operation, answer.status, answer.headers, answer.body);
    }
    JsonNode node;
    try {
      node = json.readTree(answer.body);
    } catch (JacksonException e) {
      throw errors.malformed(operation, answer.status, answer.headers, "not JSON");
    }
    try {
      return reader.apply(node);
    } catch (IllegalArgumentException e) {
      throw errors.malformed(operation, answer.status, answer.headers, e.getMessage());
    }
  }

  /** Sends the call; on 401 drops the token and sends it once more with a fresh one. */
  private Answer exchange(String operation, Function<String, Request.Builder> request) {
    String token = tokens.accessToken();
    Answer answer = send(operation, request.apply(token).build());
    if (answer.status == 401) {
      tokens.invalidate(token);
      answer = send(operation, request.apply(tokens.accessToken()).build());
    }
    return answer;
  }

  private Answer send(String operation, Request request) {
    try (Response response = http.newCall(request).execute()) {
      return new Answer(response.code(), response.headers(), response.body().string());
    } catch (IOException e) {
      throw errors.forIoFailure(operation, e);
    }
  }

  @Override
  public String toString() {
    return "ZoomApi[" + apiBase + ", " + tokens + "]";
  }

  private record Answer(int status, Headers headers, String body) {
    boolean successful() {
      return status >= 200 && status < 300;
    }

    @Override
    public String toString() {
      return "Answer[" + status + "]"; // the body may hold join/start URLs
    }
  }
}
