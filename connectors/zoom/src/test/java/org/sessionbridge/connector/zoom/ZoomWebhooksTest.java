package org.sessionbridge.connector.zoom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ZoomWebhooksTest {

  private static final String SECRET = "whsec-Test-0123456789";
  private static final Instant NOW = Instant.parse("2026-03-02T15:00:00Z");
  private static final String NOW_SECONDS = Long.toString(NOW.getEpochSecond());

  /** Shaped after API-NOTES §1.7 / rivet meetings.d.ts: the object holds only what changed. */
  private static final String WAITING_ROOM_TURNED_OFF =
      """
      {"event":"meeting.updated","event_ts":1772463600123,"payload":{\
      "account_id":"D8cJuqWVQ623CI4Q8yQK0Q","operator":"admin@example.com",\
      "operator_id":"z8yCxjabcdEFGHfp8uQ","scope":"single",\
      "object":{"id":85746065432,"uuid":"aDYlohsHRtCd4ii1uC2+hA==",\
      "settings":{"waiting_room":false}},\
      "old_object":{"id":85746065432,"uuid":"aDYlohsHRtCd4ii1uC2+hA==",\
      "settings":{"waiting_room":true}},\
      "time_stamp":1772463600100}}""";

  private static final String TOPIC_CHANGED =
      """
      {"event":"meeting.updated","event_ts":1772463600456,"payload":{\
      "account_id":"D8cJuqWVQ623CI4Q8yQK0Q","operator":"admin@example.com",\
      "operator_id":"z8yCxjabcdEFGHfp8uQ",\
      "object":{"id":85746065432,"uuid":"aDYlohsHRtCd4ii1uC2+hA==","topic":"Session B-7"},\
      "old_object":{"id":85746065432,"uuid":"aDYlohsHRtCd4ii1uC2+hA==","topic":"Session A-1"},\
      "time_stamp":1772463600400}}""";

  private static final String URL_VALIDATION =
      """
      {"event":"endpoint.url_validation","event_ts":1772463600789,\
      "payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"}}""";

  private final ZoomWebhooks webhooks = new ZoomWebhooks(SECRET, Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void aRequestSignedWithTheSecretTokenIsAccepted() {
    byte[] body = bytes(WAITING_ROOM_TURNED_OFF);

    ZoomWebhookCheck check = webhooks.verify(NOW_SECONDS, sign(SECRET, NOW_SECONDS, body), body);

    assertThat(check.isAccepted()).isTrue();
    assertThat(check.refusal()).isNull();
  }

  @Test
  void aMillisecondTimestampIsAcceptedAndSignedVerbatim() {
    String millis = Long.toString(NOW.toEpochMilli());
    byte[] body = bytes(URL_VALIDATION);

    assertThat(webhooks.verify(millis, sign(SECRET, millis, body), body).isAccepted()).isTrue();
  }

  @Test
  void theRawBytesAreSignedNotAReserialisation() {
    byte[] body = bytes("{ \"event\" : \"meeting.updated\",\n  \"event_ts\": 1 }");

    assertThat(webhooks.verify(NOW_SECONDS, sign(SECRET, NOW_SECONDS, body), body).isAccepted())
        .isTrue();
  }

  @Test
  void aTamperedBodyIsRefused() {
    byte[] signed = bytes(WAITING_ROOM_TURNED_OFF);
    String signature = sign(SECRET, NOW_SECONDS, signed);
    byte[] tampered = bytes(WAITING_ROOM_TURNED_OFF.replace("85746065432", "85746065433"));

    assertThat(webhooks.verify(NOW_SECONDS, signature, tampered).refusal())
        .isEqualTo(ZoomWebhookCheck.Refusal.BAD_SIGNATURE);
  }

  @Test
  void aSignatureWithAnotherSecretIsRefused() {
    byte[] body = bytes(WAITING_ROOM_TURNED_OFF);

    ZoomWebhookCheck check =
        webhooks.verify(NOW_SECONDS, sign("another-secret", NOW_SECONDS, body), body);

    assertThat(check.isAccepted()).isFalse();
    assertThat(check.refusal()).isEqualTo(ZoomWebhookCheck.Refusal.BAD_SIGNATURE);
  }

  @Test
  void aSignatureOverAnotherTimestampIsRefused() {
    byte[] body = bytes(WAITING_ROOM_TURNED_OFF);
    String otherSecond = Long.toString(NOW.getEpochSecond() - 1);

    assertThat(webhooks.verify(NOW_SECONDS, sign(SECRET, otherSecond, body), body).refusal())
        .isEqualTo(ZoomWebhookCheck.Refusal.BAD_SIGNATURE);
  }

  @Test
  void aSignatureWithoutTheV0PrefixIsRefused() {
    byte[] body = bytes(WAITING_ROOM_TURNED_OFF);
    String bareHex = sign(SECRET, NOW_SECONDS, body).substring("v0=".length());

    assertThat(webhooks.verify(NOW_SECONDS, bareHex, body).refusal())
        .isEqualTo(ZoomWebhookCheck.Refusal.BAD_SIGNATURE);
  }

  @Test
  void missingOrBlankHeadersAreRefused() {
    byte[] body = bytes(WAITING_ROOM_TURNED_OFF);
    String signature = sign(SECRET, NOW_SECONDS, body);

    assertThat(webhooks.verify(null, signature, body).refusal())
        .isEqualTo(ZoomWebhookCheck.Refusal.MISSING_HEADERS);
    assertThat(webhooks.verify(" ", signature, body).refusal())
        .isEqualTo(ZoomWebhookCheck.Refusal.MISSING_HEADERS);
    assertThat(webhooks.verify(NOW_SECONDS, null, body).refusal())
        .isEqualTo(ZoomWebhookCheck.Refusal.MISSING_HEADERS);
    assertThat(webhooks.verify(NOW_SECONDS, "", body).refusal())
        .isEqualTo(ZoomWebhookCheck.Refusal.MISSING_HEADERS);
  }

  @Test
  void aNonNumericTimestampIsMalformed() {
    byte[] body = bytes(WAITING_ROOM_TURNED_OFF);

    for (String timestamp : new String[] {"yesterday", "1772463600.5", "-1772463600", " 17"}) {
      assertThat(webhooks.verify(timestamp, sign(SECRET, timestamp, body), body).refusal())
          .as(timestamp)
          .isEqualTo(ZoomWebhookCheck.Refusal.MALFORMED_TIMESTAMP);
    }
  }

  @Test
  void exactlyFiveMinutesOldIsStillFresh() {
    String timestamp = Long.toString(NOW.minus(Duration.ofMinutes(5)).getEpochSecond());
    byte[] body = bytes(WAITING_ROOM_TURNED_OFF);

    assertThat(webhooks.verify(timestamp, sign(SECRET, timestamp, body), body).isAccepted())
        .isTrue();
  }

  @Test
  void fiveMinutesAndOneSecondOldIsStale() {
    String timestamp = Long.toString(NOW.minus(Duration.ofSeconds(301)).getEpochSecond());
    byte[] body = bytes(WAITING_ROOM_TURNED_OFF);

    assertThat(webhooks.verify(timestamp, sign(SECRET, timestamp, body), body).refusal())
        .isEqualTo(ZoomWebhookCheck.Refusal.STALE);
  }

  @Test
  void moreThanFiveMinutesInTheFutureIsStale() {
    String timestamp = Long.toString(NOW.plus(Duration.ofSeconds(301)).getEpochSecond());
    byte[] body = bytes(WAITING_ROOM_TURNED_OFF);

    assertThat(webhooks.verify(timestamp, sign(SECRET, timestamp, body), body).refusal())
        .isEqualTo(ZoomWebhookCheck.Refusal.STALE);
  }

  @Test
  void theUrlValidationAnswerIsTheHmacOfThePlainToken() throws Exception {
    ZoomEvent event = webhooks.parse(bytes(URL_VALIDATION));

    ZoomUrlValidationAnswer answer = webhooks.urlValidationAnswer(event.plainToken());

    String expected = HexFormat.of().formatHex(hmac(SECRET, bytes("qgg8vlvZRS6UYooatFL8Aw")));
    assertThat(event.isUrlValidation()).isTrue();
    assertThat(answer.plainToken()).isEqualTo("qgg8vlvZRS6UYooatFL8Aw");
    assertThat(answer.encryptedToken()).isEqualTo(expected);
    JsonNode json = JsonMapper.builder().build().readTree(answer.toJson());
    assertThat(json.size()).isEqualTo(2);
    assertThat(json.path("plainToken").asString()).isEqualTo("qgg8vlvZRS6UYooatFL8Aw");
    assertThat(json.path("encryptedToken").asString()).isEqualTo(expected);
  }

  @Test
  void aMeetingUpdateTurningTheWaitingRoomOffIsRead() {
    ZoomEvent event = webhooks.parse(bytes(WAITING_ROOM_TURNED_OFF));

    assertThat(event)
        .isEqualTo(
            new ZoomEvent("meeting.updated", 1772463600123L, "85746065432", false, null, null));
  }

  @Test
  void aMeetingUpdateOfTheTopicOnlyLeavesTheSettingsUnknown() {
    ZoomEvent event = webhooks.parse(bytes(TOPIC_CHANGED));

    assertThat(event.event()).isEqualTo(ZoomEvent.MEETING_UPDATED);
    assertThat(event.meetingId()).isEqualTo("85746065432");
    assertThat(event.waitingRoom()).isNull();
    assertThat(event.joinBeforeHost()).isNull();
    assertThat(event.plainToken()).isNull();
  }

  @Test
  void aStringMeetingIdIsReadToo() {
    ZoomEvent event =
        webhooks.parse(
            bytes(
                """
                {"event":"meeting.ended","event_ts":5,"payload":{"object":\
                {"id":"85746065432","settings":{"join_before_host":true}}}}"""));

    assertThat(event.meetingId()).isEqualTo("85746065432");
    assertThat(event.joinBeforeHost()).isTrue();
  }

  @Test
  void secretsInAnUnreadableBodyNeverReachTheException() {
    String[] bodies = {
      "{\"event\":\"meeting.updated\",\"client_secret\": TopS3cretValue }",
      "{\"event\":\"meeting.updated\",\"client_secret\":\"TopS3cretValue",
      "TopS3cretValue",
      "{\"client_secret\":\"TopS3cretValue\"}",
      "{\"event\":\"meeting.updated\",\"event_ts\":\"TopS3cretValue\"}",
      "[\"TopS3cretValue\"]"
    };
    for (String body : bodies) {
      assertThatThrownBy(() -> webhooks.parse(bytes(body)))
          .as(body)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("Zoom webhook body")
          .hasNoCause()
          .satisfies(e -> assertThat(e.toString()).doesNotContain("TopS3cret"));
    }
  }

  @Test
  void theSecretTokenIsNeitherBlankNorPrinted() {
    assertThatThrownBy(() -> new ZoomWebhooks(" ", Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the Zoom webhook secret token must not be blank");
    assertThat(webhooks.toString()).doesNotContain(SECRET);
  }

  private static String sign(String secret, String timestamp, byte[] body) {
    byte[] prefix = bytes("v0:" + timestamp + ":");
    byte[] message = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, message, 0, prefix.length);
    System.arraycopy(body, 0, message, prefix.length, body.length);
    return "v0=" + HexFormat.of().formatHex(hmac(secret, message));
  }

  private static byte[] hmac(String secret, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(bytes(secret), "HmacSHA256"));
      return mac.doFinal(message);
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
