package org.sessionbridge.connector.google.fake;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code events.watch}, the notifications, {@code channels.stop} and channel expiry. */
class GoogleFakePushTest {

  private static final String USER = "dr.jones@example.com";

  /** One notification as the hub's endpoint saw it. */
  private record Received(Map<String, String> headers, int bodyLength) {
    String header(String name) {
      return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), "");
    }
  }

  private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T08:00:00Z"));
  private final GoogleFake google = GoogleFake.start(0, clock).addUser(USER);
  private final GoogleWire wire = new GoogleWire(google.baseUrl());
  private final String token = google.issueAccessToken(USER);
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final HttpServer hub = receiver();

  @AfterEach
  void stop() {
    google.close();
    hub.stop(0);
  }

  @Test
  void watchAnswersTheChannelThenSyncsAndNotifiesEachChange() throws Exception {
    GoogleWire.Answer watched = watch("channel-1", "tenant=42&sig=abc", 3600);

    assertThat(watched.status()).isEqualTo(200);
    JsonNode channel = watched.json();
    assertThat(channel.path("kind").asString()).isEqualTo("api#channel");
    assertThat(channel.path("id").asString()).isEqualTo("channel-1");
    assertThat(channel.path("expiration").isString()).isTrue();
    assertThat(channel.path("expiration").asString())
        .isEqualTo(Long.toString(clock.instant().plusSeconds(3600).toEpochMilli()));
    String resourceId = channel.path("resourceId").asString();
    assertThat(resourceId).isNotBlank();

    Received sync = next();
    assertThat(sync.header("X-Goog-Resource-State")).isEqualTo("sync");
    assertThat(sync.header("X-Goog-Message-Number")).isEqualTo("1");
    assertThat(sync.header("X-Goog-Channel-ID")).isEqualTo("channel-1");
    assertThat(sync.header("X-Goog-Channel-Token")).isEqualTo("tenant=42&sig=abc");
    assertThat(sync.header("X-Goog-Resource-ID")).isEqualTo(resourceId);
    assertThat(sync.header("X-Goog-Resource-URI")).contains("/calendar/v3/calendars/");
    assertThat(sync.header("X-Goog-Channel-Expiration")).endsWith("GMT");
    assertThat(sync.bodyLength()).isZero();

    google.userAddsEvent(
        USER,
        "Dentist",
        Instant.parse("2026-03-02T09:00:00Z"),
        Instant.parse("2026-03-02T10:00:00Z"),
        false);
    Received exists = next();
    assertThat(exists.header("X-Goog-Resource-State")).isEqualTo("exists");
    assertThat(exists.header("X-Goog-Message-Number")).isEqualTo("2");

    wire.call(
        "POST",
        "/calendars/primary/events",
        token,
        "{\"start\":{\"date\":\"2026-03-04\"},\"end\":{\"date\":\"2026-03-05\"}}");
    assertThat(next().header("X-Goog-Message-Number")).isEqualTo("3"); // API changes too

    assertThat(google.awaitPushDeliveries(3, Duration.ofSeconds(5)))
        .extracting(GoogleFake.PushDelivery::state, GoogleFake.PushDelivery::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("sync", 200),
            org.assertj.core.groups.Tuple.tuple("exists", 200),
            org.assertj.core.groups.Tuple.tuple("exists", 200));
    assertThat(google.counts().pushesSent()).isEqualTo(3);
  }

  @Test
  void aStoppedChannelSendsNothingMore() throws Exception {
    String resourceId = watch("channel-1", "t", 3600).json().path("resourceId").asString();
    next();

    GoogleWire.Answer wrong =
        wire.call(
            "POST",
            "/channels/stop",
            token,
            "{\"id\":\"channel-1\",\"resourceId\":\"someone-elses\"}");
    GoogleWire.Answer stopped =
        wire.call(
            "POST",
            "/channels/stop",
            token,
            "{\"id\":\"channel-1\",\"resourceId\":\"" + resourceId + "\"}");
    google.userAddsEvent(
        USER,
        "Lunch",
        Instant.parse("2026-03-02T12:00:00Z"),
        Instant.parse("2026-03-02T13:00:00Z"),
        false);
    watch("channel-2", "t", 3600);

    assertThat(wrong.status()).isEqualTo(404);
    assertThat(stopped.status()).isEqualTo(204);
    // Notifications leave in order on one thread: had channel-1 been told, it would come first.
    assertThat(next().header("X-Goog-Channel-ID")).isEqualTo("channel-2");
    assertThat(google.liveChannels()).isEqualTo(1);
    assertThat(google.counts().channelStops()).isEqualTo(1);
  }

  @Test
  void anExpiredChannelSendsNothing() throws Exception {
    watch("short", "t", 60);
    next();
    clock.advance(Duration.ofSeconds(61));

    google.userAddsEvent(
        USER,
        "Lunch",
        Instant.parse("2026-03-02T12:00:00Z"),
        Instant.parse("2026-03-02T13:00:00Z"),
        false);
    watch("later", "t", 3600);

    assertThat(next().header("X-Goog-Channel-ID")).isEqualTo("later");
    assertThat(google.liveChannels()).isEqualTo(1);
  }

  @Test
  void refusesPlainHttpAddressesExceptLoopbackAndDuplicateChannelIds() {
    GoogleWire.Answer plain =
        wire.call(
            "POST",
            "/calendars/primary/events/watch",
            token,
            "{\"id\":\"c\",\"type\":\"web_hook\",\"address\":\"http://hub.example.com/notify\"}");
    watch("same", "t", 3600);
    GoogleWire.Answer again = watch("same", "t", 3600);

    assertThat(plain.status()).isEqualTo(400);
    assertThat(plain.reason()).isEqualTo("push.webhookUrlNotHttps");
    assertThat(again.status()).isEqualTo(400);
    assertThat(again.reason()).isEqualTo("channelIdNotUnique");
  }

  private GoogleWire.Answer watch(String id, String channelToken, long ttlSeconds) {
    String address = "http://127.0.0.1:" + hub.getAddress().getPort() + "/webhooks/google";
    return wire.call(
        "POST",
        "/calendars/primary/events/watch",
        token,
        """
        {"id":"%s","type":"web_hook","address":"%s","token":"%s","params":{"ttl":"%d"}}
        """
            .formatted(id, address, channelToken, ttlSeconds));
  }

  private Received next() throws InterruptedException {
    Received notification = received.poll(5, TimeUnit.SECONDS);
    assertThat(notification).as("a push notification within 5 s").isNotNull();
    return notification;
  }

  private HttpServer receiver() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/webhooks/google",
          exchange -> {
            try (exchange;
                InputStream in = exchange.getRequestBody()) {
              int length = in.readAllBytes().length;
              Map<String, String> headers = new java.util.HashMap<>();
              exchange
                  .getRequestHeaders()
                  .forEach(
                      (name, values) ->
                          headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
              received.add(new Received(headers, length));
              exchange.sendResponseHeaders(200, -1);
            }
          });
      server.start();
      return server;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
