package org.sessionbridge.connector.google.fake;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Push channels ({@code events.watch}, {@code channels.stop}) and the notifications Google sends on
 * them (API-NOTES §3.4): a POST without a body to the channel's address with {@code
 * X-Goog-Channel-ID}, {@code X-Goog-Channel-Token} (when set), {@code X-Goog-Channel-Expiration},
 * {@code X-Goog-Resource-ID}, {@code X-Goog-Resource-URI}, {@code X-Goog-Resource-State} ({@code
 * sync} first, then {@code exists}) and {@code X-Goog-Message-Number} (1 for the sync message, then
 * increasing). Notifications go out one at a time on one background thread, in order, each once
 * (Google's retries with backoff are not modelled); the receiver's status is recorded. An expired
 * or stopped channel sends nothing. Thread-safe.
 */
final class GoogleFakeChannels {

  /** Google's default {@code params.ttl}: 7 days. */
  static final Duration DEFAULT_TTL = Duration.ofDays(7);

  static final Duration ANSWER_WITHIN = Duration.ofSeconds(3);

  private static final DateTimeFormatter EXPIRATION_HEADER =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private static final class Channel {
    final String id;
    final String resourceId;
    final String calendarId;
    final String owner;
    final URI address;
    final @Nullable String token;
    final Instant expiration;
    long messages;

    Channel(
        String id,
        String resourceId,
        String calendarId,
        String owner,
        URI address,
        @Nullable String token,
        Instant expiration) {
      this.id = id;
      this.resourceId = resourceId;
      this.calendarId = calendarId;
      this.owner = owner;
      this.address = address;
      this.token = token;
      this.expiration = expiration;
    }
  }

  private final Clock clock;
  private final JsonMapper json;
  private final GoogleFakeCounters counters;
  private final String baseUrl;
  private final ExecutorService sender;
  private final HttpClient http;
  private final Map<String, Channel> channels = new LinkedHashMap<>();

  /** One opaque, stable resource id per watched calendar, as Google gives. */
  private final Map<String, String> resourceIds = new java.util.HashMap<>();

  private final java.security.SecureRandom random = new java.security.SecureRandom();
  private final List<GoogleFake.PushDelivery> deliveries = new ArrayList<>();

  GoogleFakeChannels(
      Clock clock,
      JsonMapper json,
      GoogleFakeCounters counters,
      String baseUrl,
      ExecutorService sender) {
    this.clock = clock;
    this.json = json;
    this.counters = counters;
    this.baseUrl = baseUrl;
    this.sender = sender;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(ANSWER_WITHIN)
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** {@code POST …/calendars/{calendarId}/events/watch}. */
  GoogleFakeReply watch(String calendarId, String owner, byte[] body) {
    JsonNode request;
    try {
      request = body.length == 0 ? json.createObjectNode() : json.readTree(body);
    } catch (JacksonException e) {
      return GoogleFakeReply.badRequest("parseError", "Parse Error");
    }
    String id = request.path("id").asString("");
    String type = request.path("type").asString("");
    String address = request.path("address").asString("");
    JsonNode tokenNode = request.get("token");
    String token = tokenNode == null || tokenNode.isNull() ? null : tokenNode.asString("");
    if (id.isEmpty() || id.length() > 64) {
      return GoogleFakeReply.badRequest("required", "Required parameter: id");
    }
    if (!(type.equals("web_hook") || type.equals("webhook"))) {
      return GoogleFakeReply.badRequest("invalid", "Invalid value for: type");
    }
    if (token != null && token.length() > 256) {
      return GoogleFakeReply.badRequest("invalid", "Invalid value for: token");
    }
    URI uri;
    try {
      uri = URI.create(address);
    } catch (IllegalArgumentException e) {
      return GoogleFakeReply.badRequest("invalid", "Invalid value for: address");
    }
    if (!uri.isAbsolute() || uri.getHost() == null) {
      return GoogleFakeReply.badRequest("invalid", "Invalid value for: address");
    }
    if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && loopback(uri))) {
      return GoogleFakeReply.badRequest(
          "push.webhookUrlNotHttps", "WebHook callback must be HTTPS: " + address);
    }
    Instant now = clock.instant();
    Duration ttl = DEFAULT_TTL;
    JsonNode ttlNode = request.path("params").path("ttl");
    if (!ttlNode.isMissingNode() && !ttlNode.isNull()) {
      try {
        ttl = Duration.ofSeconds(Long.parseLong(ttlNode.asString("")));
      } catch (NumberFormatException e) {
        return GoogleFakeReply.badRequest("invalid", "Invalid value for: params.ttl");
      }
      if (ttl.isNegative() || ttl.isZero()) {
        return GoogleFakeReply.badRequest("invalid", "Invalid value for: params.ttl");
      }
    }
    Instant expiration = now.plus(ttl);
    JsonNode asked = request.get("expiration");
    if (asked != null && !asked.isNull()) {
      try {
        Instant wanted = Instant.ofEpochMilli(Long.parseLong(asked.asString("")));
        if (wanted.isBefore(expiration)) {
          expiration = wanted;
        }
      } catch (NumberFormatException e) {
        return GoogleFakeReply.badRequest("invalid", "Invalid value for: expiration");
      }
    }
    Channel channel;
    synchronized (this) {
      dropExpired();
      if (channels.containsKey(id)) {
        return GoogleFakeReply.badRequest("channelIdNotUnique", "Channel id " + id + " not unique");
      }
      channel =
          new Channel(
              id,
              resourceIds.computeIfAbsent(calendarId, c -> resourceId()),
              calendarId,
              owner,
              uri,
              token,
              expiration.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
      channels.put(id, channel);
      send(channel, "sync");
    }
    counters.watches.incrementAndGet();
    ObjectNode answer = json.createObjectNode();
    answer.put("kind", "api#channel");
    answer.put("id", id);
    answer.put("resourceId", channel.resourceId);
    answer.put("resourceUri", resourceUri(calendarId));
    if (token != null) {
      answer.put("token", token);
    }
    answer.put("expiration", Long.toString(channel.expiration.toEpochMilli()));
    return GoogleFakeReply.json(200, answer);
  }

  /** {@code POST /channels/stop} with {@code {id, resourceId}}: 204, or 404 for no such channel. */
  GoogleFakeReply stop(String owner, byte[] body) {
    JsonNode request;
    try {
      request = body.length == 0 ? json.createObjectNode() : json.readTree(body);
    } catch (JacksonException e) {
      return GoogleFakeReply.badRequest("parseError", "Parse Error");
    }
    String id = request.path("id").asString("");
    String resourceId = request.path("resourceId").asString("");
    synchronized (this) {
      Channel channel = channels.get(id);
      if (channel == null
          || !channel.resourceId.equals(resourceId)
          || !channel.owner.equals(owner)) {
        return GoogleFakeReply.error(
            404, "global", "notFound", "Channel '" + id + "' not found for project");
      }
      channels.remove(id);
    }
    counters.channelStops.incrementAndGet();
    return GoogleFakeReply.noContent();
  }

  /** Something changed on the calendar: {@code exists} on each live channel watching it. */
  synchronized void changed(String calendarId) {
    dropExpired();
    for (Channel channel : channels.values()) {
      if (channel.calendarId.equals(calendarId)) {
        send(channel, "exists");
      }
    }
  }

  synchronized boolean live(String channelId) {
    dropExpired();
    return channels.containsKey(channelId);
  }

  synchronized int liveChannels() {
    dropExpired();
    return channels.size();
  }

  private void dropExpired() {
    Instant now = clock.instant();
    channels.values().removeIf(c -> !now.isBefore(c.expiration));
  }

  /** Queues one notification; called under the lock so that message numbers go out in order. */
  private void send(Channel channel, String state) {
    long number = ++channel.messages;
    HttpRequest.Builder request =
        HttpRequest.newBuilder(channel.address)
            .timeout(ANSWER_WITHIN)
            .header(
                "User-Agent",
                "APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html) GoogleFake")
            .header("X-Goog-Channel-ID", channel.id)
            .header("X-Goog-Channel-Expiration", EXPIRATION_HEADER.format(channel.expiration))
            .header("X-Goog-Resource-ID", channel.resourceId)
            .header("X-Goog-Resource-URI", resourceUri(channel.calendarId))
            .header("X-Goog-Resource-State", state)
            .header("X-Goog-Message-Number", Long.toString(number))
            .POST(HttpRequest.BodyPublishers.noBody());
    if (channel.token != null) {
      request.header("X-Goog-Channel-Token", channel.token);
    }
    HttpRequest built = request.build();
    String channelId = channel.id;
    try {
      sender.execute(() -> deliver(built, channelId, state, number));
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // the fake is closing
    }
  }

  private void deliver(HttpRequest request, String channelId, String state, long number) {
    int status = 0;
    try {
      status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.io.IOException notAnswered) {
      status = 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    counters.pushesSent.incrementAndGet();
    synchronized (deliveries) {
      deliveries.add(new GoogleFake.PushDelivery(channelId, state, number, status));
      deliveries.notifyAll();
    }
  }

  List<GoogleFake.PushDelivery> deliveries() {
    synchronized (deliveries) {
      return List.copyOf(deliveries);
    }
  }

  List<GoogleFake.PushDelivery> awaitDeliveries(int count, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (deliveries) {
      while (deliveries.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        TimeUnit.NANOSECONDS.timedWait(deliveries, left);
      }
      return List.copyOf(deliveries);
    }
  }

  private String resourceUri(String calendarId) {
    return baseUrl
        + "/calendar/v3/calendars/"
        + java.net.URLEncoder.encode(calendarId, java.nio.charset.StandardCharsets.UTF_8)
        + "/events?alt=json";
  }

  private String resourceId() {
    byte[] raw = new byte[20];
    random.nextBytes(raw);
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  private static boolean loopback(URI uri) {
    String host = uri.getHost();
    return host.equals("127.0.0.1")
        || host.equals("localhost")
        || host.equals("[::1]")
        || host.equals("::1");
  }
}
