package org.sessionbridge.connector.zoom.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sessionbridge.connector.zoom.fake.ZoomWire.ACCOUNT;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.connector.zoom.ZoomApi;
import org.sessionbridge.connector.zoom.ZoomEvent;
import org.sessionbridge.connector.zoom.ZoomMeeting;
import org.sessionbridge.connector.zoom.ZoomMeetingRequest;
import org.sessionbridge.connector.zoom.ZoomNotFoundException;
import org.sessionbridge.connector.zoom.ZoomWebhookCheck;
import org.sessionbridge.connector.zoom.ZoomWebhooks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The fake signs its webhooks; the module's own {@link ZoomWebhooks} checks them. */
class ZoomFakeWebhooksTest {

  private static final String HOST = "dr.house@example.com";
  private static final String SECRET = "whsec-Fake-0123456789";
  private static final Duration WAIT = Duration.ofSeconds(5);

  /** What the receiver saw: the verification outcome, the headers and the raw body. */
  private record Received(ZoomWebhookCheck check, String timestamp, String body) {}

  private final SettableClock clock = new SettableClock(Instant.parse("2026-03-02T09:00:00Z"));
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private ZoomFake fake;
  private HttpServer receiver;
  private ZoomApi api;

  @BeforeEach
  void start() throws IOException {
    fake = ZoomFake.start(0, clock);
    fake.addAccount(ACCOUNT, ZoomWire.CLIENT_ID, ZoomWire.CLIENT_SECRET);
    fake.addUser(ACCOUNT, HOST);
    api = ZoomWire.api(fake);
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/webhooks/zoom", this::receive);
    receiver.start();
    fake.sendWebhooksTo(receiverUrl(), SECRET);
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
    fake.close();
  }

  /** A hub endpoint as the module README describes it, with the test's clock. */
  private void receive(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String timestamp = exchange.getRequestHeaders().getFirst("x-zm-request-timestamp");
      ZoomWebhooks webhooks = new ZoomWebhooks(SECRET, clock);
      ZoomWebhookCheck check =
          webhooks.verify(timestamp, exchange.getRequestHeaders().getFirst("x-zm-signature"), body);
      received.add(
          new Received(
              check, timestamp == null ? "" : timestamp, new String(body, StandardCharsets.UTF_8)));
      if (!check.isAccepted()) {
        exchange.sendResponseHeaders(401, -1);
        return;
      }
      ZoomEvent event = webhooks.parse(body);
      if (event.isUrlValidation() && event.plainToken() != null) {
        byte[] answer =
            webhooks
                .urlValidationAnswer(event.plainToken())
                .toJson()
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
        return;
      }
      exchange.sendResponseHeaders(204, -1);
    }
  }

  @Test
  void theHostTurningOffTheWaitingRoomSendsASignedMeetingUpdatedWithOnlyTheChange()
      throws Exception {
    ZoomMeeting meeting = api.createMeeting(HOST, request());

    fake.hostChangesSettings(meeting.id(), false, true);

    Received delivery = next();
    assertThat(delivery.check().isAccepted()).isTrue();
    assertThat(delivery.timestamp())
        .hasSize(10)
        .isEqualTo(Long.toString(clock.instant().getEpochSecond()));
    ZoomEvent event = new ZoomWebhooks(SECRET, clock).parse(bytes(delivery.body()));
    assertThat(event.event()).isEqualTo(ZoomEvent.MEETING_UPDATED);
    assertThat(event.eventTs()).isEqualTo(clock.millis());
    assertThat(event.meetingId()).isEqualTo(Long.toString(meeting.id()));
    assertThat(event.waitingRoom()).isFalse();
    assertThat(event.joinBeforeHost()).isTrue();
    JsonNode payload = JsonMapper.builder().build().readTree(delivery.body()).path("payload");
    assertThat(payload.path("account_id").asString()).isEqualTo(ACCOUNT);
    assertThat(payload.path("object").has("topic")).isFalse();
    assertThat(payload.path("object").path("uuid").asString()).isEqualTo(meeting.uuid());
    assertThat(payload.path("old_object").path("settings").path("waiting_room").asBoolean())
        .isTrue();

    List<ZoomFake.WebhookDelivery> deliveries = fake.awaitWebhookDeliveries(1, WAIT);
    assertThat(deliveries)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.event()).isEqualTo("meeting.updated");
              assertThat(d.meetingId()).isEqualTo(meeting.id());
              assertThat(d.status()).isEqualTo(204);
              assertThat(d.delivered()).isTrue();
            });
    assertThat(api.getMeeting(meeting.id()).holdsParticipantsForHost()).isFalse();
  }

  @Test
  void aSettingsChangeThatChangesNothingSendsNoEvent() throws Exception {
    ZoomMeeting meeting = api.createMeeting(HOST, request());

    fake.hostChangesSettings(meeting.id(), true, false); // already so
    fake.hostChangesSettings(meeting.id(), false, false);

    Received only = next();
    assertThat(new ZoomWebhooks(SECRET, clock).parse(bytes(only.body())).waitingRoom()).isFalse();
    assertThat(fake.awaitWebhookDeliveries(1, WAIT)).hasSize(1);
    assertThat(received).isEmpty();
  }

  @Test
  void theHostDeletingTheMeetingSendsMeetingDeletedAndTheApiForgetsIt() throws Exception {
    ZoomMeeting meeting = api.createMeeting(HOST, request());

    fake.hostDeletesMeeting(meeting.id());

    Received delivery = next();
    assertThat(delivery.check().isAccepted()).isTrue();
    JsonNode root = JsonMapper.builder().build().readTree(delivery.body());
    assertThat(root.path("event").asString()).isEqualTo("meeting.deleted");
    assertThat(root.path("payload").path("object").path("id").asLong()).isEqualTo(meeting.id());
    assertThat(root.path("payload").path("object").path("start_time").asString())
        .isEqualTo("2026-03-05T08:00:00Z");
    assertThatThrownBy(() -> api.getMeeting(meeting.id()))
        .isInstanceOf(ZoomNotFoundException.class);
    assertThat(fake.meeting(meeting.id()))
        .hasValueSatisfying(m -> assertThat(m.deleted()).isTrue());
    assertThatThrownBy(() -> fake.hostDeletesMeeting(meeting.id()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aReceiverWithAnotherSecretRefusesTheEventAndTheFakeRecordsIt() throws Exception {
    ZoomMeeting meeting = api.createMeeting(HOST, request());
    fake.sendWebhooksTo(receiverUrl(), "another-secret");

    fake.hostChangesSettings(meeting.id(), false, false);

    assertThat(next().check().refusal()).isEqualTo(ZoomWebhookCheck.Refusal.BAD_SIGNATURE);
    assertThat(fake.awaitWebhookDeliveries(1, WAIT))
        .singleElement()
        .satisfies(d -> assertThat(d.delivered()).isFalse());
  }

  @Test
  void urlValidationChecksTheReceiversEncryptedToken() throws Exception {
    assertThat(fake.sendUrlValidation()).isTrue();
    assertThat(next().body()).contains("\"event\":\"endpoint.url_validation\"", "plainToken");

    fake.sendWebhooksTo(receiverUrl(), "another-secret");
    assertThat(fake.sendUrlValidation()).isFalse();
    assertThat(fake.webhookDeliveries())
        .extracting(ZoomFake.WebhookDelivery::status)
        .containsExactly(200, 401);
  }

  private Received next() throws InterruptedException {
    Received delivery = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(delivery).as("a webhook within " + WAIT).isNotNull();
    return delivery;
  }

  private URI receiverUrl() {
    return URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhooks/zoom");
  }

  private static byte[] bytes(String body) {
    return body.getBytes(StandardCharsets.UTF_8);
  }

  private static ZoomMeetingRequest request() {
    return new ZoomMeetingRequest(
        "Session A-1", LocalDateTime.parse("2026-03-05T09:00:00"), ZoneId.of("Europe/Paris"), 30);
  }
}
