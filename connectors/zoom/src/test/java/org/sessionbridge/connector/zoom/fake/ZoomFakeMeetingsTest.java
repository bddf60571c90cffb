package org.sessionbridge.connector.zoom.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sessionbridge.connector.zoom.fake.ZoomWire.ACCOUNT;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.connector.zoom.ZoomApi;
import org.sessionbridge.connector.zoom.ZoomMeeting;
import org.sessionbridge.connector.zoom.ZoomMeetingRequest;
import org.sessionbridge.connector.zoom.ZoomMeetingUpdate;
import org.sessionbridge.connector.zoom.ZoomNotFoundException;
import org.sessionbridge.connector.zoom.ZoomTransientException;
import tools.jackson.databind.JsonNode;

class ZoomFakeMeetingsTest {

  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
  private static final String HOST = "dr.house@example.com";

  private final SettableClock clock = new SettableClock(Instant.parse("2026-03-02T09:00:00Z"));
  private ZoomFake fake;
  private ZoomApi api;
  private ZoomWire wire;
  private String hostId;

  @BeforeEach
  void start() {
    fake = ZoomFake.start(0, clock);
    fake.addAccount(ACCOUNT, ZoomWire.CLIENT_ID, ZoomWire.CLIENT_SECRET);
    hostId = fake.addUser(ACCOUNT, HOST);
    api = ZoomWire.api(fake);
    wire = new ZoomWire(fake);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private static ZoomMeetingRequest session(String topic, String localStart) {
    return new ZoomMeetingRequest(topic, LocalDateTime.parse(localStart), PARIS, 30);
  }

  @Test
  void theRealClientCreatesGetsPatchesAndDeletesAMeeting() {
    ZoomMeeting created = api.createMeeting(HOST, session("Session A-1", "2026-03-02T15:00:00"));

    assertThat(created.id()).isGreaterThan(9_999_999_999L);
    assertThat(created.startTime()).contains(Instant.parse("2026-03-02T14:00:00Z"));
    assertThat(created.timezone()).isEqualTo("Europe/Paris");
    assertThat(created.status()).isEqualTo("waiting");
    assertThat(created.holdsParticipantsForHost()).isTrue();
    assertThat(created.joinUrl().toString())
        .startsWith(fake.baseUrl() + "/j/" + created.id() + "?pwd=");
    assertThat(api.getMeeting(created.id())).isEqualTo(created);

    api.updateMeeting(
        created.id(),
        ZoomMeetingUpdate.reschedule(LocalDateTime.parse("2026-03-03T10:30:00"), PARIS, 45));
    ZoomMeeting moved = api.getMeeting(created.id());
    assertThat(moved.startTime()).contains(Instant.parse("2026-03-03T09:30:00Z"));
    assertThat(moved.durationMinutes()).isEqualTo(45);
    assertThat(moved.topic()).isEqualTo("Session A-1");
    assertThat(moved.uuid()).isEqualTo(created.uuid());

    assertThat(api.deleteMeeting(created.id())).isTrue();
    assertThatThrownBy(() -> api.getMeeting(created.id()))
        .isInstanceOfSatisfying(
            ZoomNotFoundException.class, e -> assertThat(e.zoomCode()).hasValue(3001));
    assertThat(api.deleteMeeting(created.id())).isFalse();

    assertThat(fake.meeting(created.id()))
        .hasValueSatisfying(m -> assertThat(m.deleted()).isTrue());
    ZoomFake.Counts counts = fake.counts();
    assertThat(counts.creates()).isEqualTo(1);
    assertThat(counts.updates()).isEqualTo(1);
    assertThat(counts.gets()).isEqualTo(2);
    assertThat(counts.deletes()).isEqualTo(1);
    assertThat(counts.tokenGrants()).isEqualTo(1);
  }

  @Test
  void theCreateAnswerHasZoomsFullMeetingShape() {
    String token = wire.accessToken();

    HttpResponse<String> response =
        wire.call(
            "POST",
            "/users/" + hostId + "/meetings",
            token,
            """
            {"topic":"Consultation #A-123","type":2,"start_time":"2026-03-02T15:00:00Z",
             "duration":30,"settings":{"waiting_room":true,"mute_upon_entry":true}}""");

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.headers().firstValue("x-zm-trackingid")).isPresent();
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    JsonNode meeting = ZoomWire.json(response);
    assertThat(meeting.path("id").isIntegralNumber()).isTrue();
    assertThat(meeting.path("id").asLong()).isGreaterThan(9_999_999_999L);
    assertThat(meeting.path("uuid").asString()).hasSize(24).endsWith("==");
    assertThat(meeting.path("host_id").asString()).isEqualTo(hostId);
    assertThat(meeting.path("host_email").asString()).isEqualTo(HOST);
    assertThat(meeting.path("type").asInt()).isEqualTo(2);
    assertThat(meeting.path("status").asString()).isEqualTo("waiting");
    assertThat(meeting.path("start_time").asString()).isEqualTo("2026-03-02T15:00:00Z");
    assertThat(meeting.path("timezone").asString()).isEqualTo("UTC");
    assertThat(meeting.path("created_at").asString()).isEqualTo("2026-03-02T09:00:00Z");
    assertThat(meeting.path("password").asString()).hasSize(6);
    assertThat(meeting.path("start_url").asString())
        .startsWith(fake.baseUrl() + "/s/" + meeting.path("id").asLong() + "?zak=");
    JsonNode settings = meeting.path("settings");
    assertThat(settings.path("waiting_room").asBoolean()).isTrue();
    assertThat(settings.path("join_before_host").isBoolean()).isTrue();
    assertThat(settings.path("jbh_time").asInt()).isZero();
    assertThat(settings.path("meeting_authentication").isBoolean()).isTrue();
    assertThat(settings.path("approval_type").asInt()).isEqualTo(2);
    assertThat(settings.path("encryption_type").asString()).isEqualTo("enhanced_encryption");
    assertThat(settings.path("mute_upon_entry").asBoolean()).isTrue();
  }

  @Test
  void aRequestTurningOffEverySecurityOptionStillGetsAWaitingRoom() {
    String token = wire.accessToken();
    String unsecured =
        """
        {"topic":"Open door","start_time":"2026-03-02T15:00:00","timezone":"Europe/Paris",
         "default_password":false,"settings":{"waiting_room":false,"join_before_host":true,
         "meeting_authentication":false}}""";

    JsonNode meeting =
        ZoomWire.json(wire.call("POST", "/users/" + HOST + "/meetings", token, unsecured));

    assertThat(meeting.has("password")).isFalse();
    assertThat(meeting.path("join_url").asString()).doesNotContain("pwd=");
    assertThat(meeting.path("settings").path("waiting_room").asBoolean()).isTrue();
    assertThat(meeting.path("settings").path("join_before_host").asBoolean()).isFalse();

    // With a passcode the waiting room may be off, and then join-before-host stays as asked.
    String withPasscode =
        unsecured.replace("\"default_password\":false", "\"password\":\"x7Yz91\"");
    JsonNode secured =
        ZoomWire.json(wire.call("POST", "/users/" + HOST + "/meetings", token, withPasscode));
    assertThat(secured.path("settings").path("waiting_room").asBoolean()).isFalse();
    assertThat(secured.path("settings").path("join_before_host").asBoolean()).isTrue();

    // The same override applies to a PATCH that removes the passcode.
    long id = secured.path("id").asLong();
    HttpResponse<String> patch =
        wire.call("PATCH", "/meetings/" + id, token, "{\"password\":\"\"}");
    assertThat(patch.statusCode()).isEqualTo(204);
    assertThat(fake.meeting(id))
        .hasValueSatisfying(
            m -> {
              assertThat(m.password()).isEmpty();
              assertThat(m.waitingRoom()).isTrue();
              assertThat(m.joinBeforeHost()).isFalse();
            });
  }

  @Test
  void invalidFieldsAreRefusedWithCode300AndTheFieldsNamed() {
    String token = wire.accessToken();
    String body =
        "{\"topic\":\""
            + "x".repeat(201)
            + "\",\"duration\":1441,\"timezone\":\"Mars/Olympus\",\"settings\":{\"jbh_time\":7}}";

    HttpResponse<String> response =
        wire.call("POST", "/users/" + hostId + "/meetings", token, body);

    assertThat(response.statusCode()).isEqualTo(400);
    JsonNode error = ZoomWire.json(response);
    assertThat(error.path("code").asInt()).isEqualTo(300);
    assertThat(error.path("message").asString()).isEqualTo("Validation Failed.");
    List<String> fields = new ArrayList<>();
    error.path("errors").forEach(e -> fields.add(e.path("field").asString()));
    assertThat(fields)
        .containsExactlyInAnyOrder("topic", "duration", "timezone", "settings.jbh_time");
    assertThat(fake.meetings()).isEmpty();

    HttpResponse<String> notJson =
        wire.call("POST", "/users/" + hostId + "/meetings", token, "{\"topic\":");
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(ZoomWire.json(notJson).path("code").asInt()).isEqualTo(300);
  }

  @Test
  void anUnknownHostIsCode1001() {
    assertThatThrownBy(
            () -> api.createMeeting("nobody@example.com", session("x", "2026-03-02T15:00:00")))
        .isInstanceOfSatisfying(
            ZoomNotFoundException.class, e -> assertThat(e.zoomCode()).hasValue(1001));
  }

  @Test
  void aPatchAnswers204WithoutBodyOrContentTypeAndIgnoresAPastStart() {
    ZoomMeeting created = api.createMeeting(hostId, session("Session B-2", "2026-03-04T09:00:00"));
    String token = wire.accessToken();

    HttpResponse<String> response =
        wire.call(
            "PATCH",
            "/meetings/" + created.id(),
            token,
            "{\"start_time\":\"2026-03-01T09:00:00Z\",\"topic\":\"Session B-3\"}");

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.body()).isEmpty();
    assertThat(response.headers().firstValue("Content-Type")).isEmpty();
    assertThat(response.headers().firstValue("x-zm-trackingid")).isPresent();
    ZoomMeeting after = api.getMeeting(created.id());
    assertThat(after.topic()).isEqualTo("Session B-3");
    assertThat(after.startTime()).isEqualTo(created.startTime());
  }

  @Test
  void listsUpcomingMeetingsOldestCreatedFirstInPages() {
    ZoomMeeting past = api.createMeeting(hostId, session("past", "2026-03-01T09:00:00"));
    ZoomMeeting first = api.createMeeting(hostId, session("first", "2026-03-05T09:00:00"));
    ZoomMeeting gone = api.createMeeting(hostId, session("gone", "2026-03-05T10:00:00"));
    ZoomMeeting second = api.createMeeting(hostId, session("second", "2026-03-03T09:00:00"));
    ZoomMeeting third = api.createMeeting(HOST, session("third", "2026-03-04T09:00:00"));
    api.deleteMeeting(gone.id());
    String token = wire.accessToken();

    JsonNode page1 =
        ZoomWire.json(wire.call("GET", "/users/me/meetings?type=upcoming&page_size=2", token, ""));
    assertThat(page1.path("page_size").asInt()).isEqualTo(2);
    assertThat(page1.path("total_records").asInt()).isEqualTo(3);
    assertThat(ids(page1)).containsExactly(first.id(), second.id());
    String next = page1.path("next_page_token").asString();
    assertThat(next).isNotEmpty();

    JsonNode page2 =
        ZoomWire.json(
            wire.call(
                "GET",
                "/users/" + hostId + "/meetings?type=upcoming&page_size=2&next_page_token=" + next,
                token,
                ""));
    assertThat(ids(page2)).containsExactly(third.id());
    assertThat(page2.path("next_page_token").asString()).isEmpty();
    JsonNode item = page2.path("meetings").get(0);
    assertThat(item.path("join_url").asString()).startsWith(fake.baseUrl() + "/j/");
    assertThat(item.path("start_time").asString()).isEqualTo("2026-03-04T08:00:00Z");
    assertThat(item.has("settings")).isFalse();

    JsonNode scheduled =
        ZoomWire.json(wire.call("GET", "/users/" + HOST + "/meetings?type=scheduled", token, ""));
    assertThat(ids(scheduled)).containsExactly(past.id(), first.id(), second.id(), third.id());
    assertThat(fake.counts().lists()).isEqualTo(3);
  }

  @Test
  void theDailyCreateUpdateBudgetIsPerHostAndResetsAtMidnightUtc() {
    fake.dailyCreateUpdateLimit(3);
    String otherHost = fake.addUser(ACCOUNT, "dr.wilson@example.com");
    ZoomMeeting meeting = api.createMeeting(hostId, session("one", "2026-03-05T09:00:00"));
    fake.hostChangesSettings(meeting.id(), true, false); // the portal is not the API
    api.updateMeeting(meeting.id(), ZoomMeetingUpdate.securityOnly());
    api.createMeeting(hostId, session("two", "2026-03-05T10:00:00"));

    assertThatThrownBy(() -> api.createMeeting(hostId, session("three", "2026-03-05T11:00:00")))
        .isInstanceOfSatisfying(
            ZoomTransientException.class,
            e -> {
              assertThat(e.httpStatus()).hasValue(429);
              assertThat(e.zoomCode()).hasValue(429);
              assertThat(e.retryAfter()).isPresent();
            });
    assertThatThrownBy(() -> api.updateMeeting(meeting.id(), ZoomMeetingUpdate.securityOnly()))
        .isInstanceOf(ZoomTransientException.class);
    HttpResponse<String> limited =
        wire.call("POST", "/users/" + hostId + "/meetings", wire.accessToken(), "{}");
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("X-RateLimit-Type")).hasValue("Daily-limit");
    assertThat(limited.headers().firstValue("Retry-After")).hasValue("2026-03-03T00:00:00Z");
    assertThat(ZoomWire.json(limited).path("message").asString()).contains("daily rate limit (3)");

    api.createMeeting(otherHost, session("elsewhere", "2026-03-05T11:00:00"));

    clock.set(Instant.parse("2026-03-03T00:00:00Z")); // also expires the client's token
    api.createMeeting(hostId, session("three", "2026-03-05T11:00:00"));
    assertThat(fake.meetings()).hasSize(4);
    assertThat(fake.counts().rateLimited()).isEqualTo(3);
  }

  @Test
  void theOptionalPerSecondLimitAnswersQps429() {
    fake.perSecondLimit(2);
    String token = wire.accessToken();
    wire.call("GET", "/users/me/meetings", token, "");
    wire.call("GET", "/users/me/meetings", token, "");

    HttpResponse<String> third = wire.call("GET", "/users/me/meetings", token, "");

    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(third.headers().map())
        .containsEntry("x-ratelimit-type", List.of("QPS"))
        .containsEntry("x-ratelimit-limit", List.of("2"));
    clock.advance(Duration.ofSeconds(1));
    assertThat(wire.call("GET", "/users/me/meetings", token, "").statusCode()).isEqualTo(200);
  }

  @Test
  void theSnapshotRedactsWhatMayIdentifyAPatient() {
    ZoomMeeting created =
        api.createMeeting(hostId, session("Session for J. Doe", "2026-03-05T09:00:00"));

    ZoomFake.Meeting meeting = fake.meeting(created.id()).orElseThrow();

    assertThat(meeting.topic()).isEqualTo("Session for J. Doe");
    assertThat(meeting.toString())
        .doesNotContain("Doe", HOST, meeting.password(), meeting.joinUrl());
    assertThat(meeting.deleted()).isFalse();
  }

  private static List<Long> ids(JsonNode page) {
    List<Long> ids = new ArrayList<>();
    page.path("meetings").forEach(m -> ids.add(m.path("id").asLong()));
    return ids;
  }
}
