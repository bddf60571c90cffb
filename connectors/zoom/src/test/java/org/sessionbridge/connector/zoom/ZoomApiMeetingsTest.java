package org.sessionbridge.connector.zoom;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sessionbridge.connector.zoom.ZoomStubs.CREDENTIALS;
import static org.sessionbridge.connector.zoom.ZoomStubs.HOST_ID;
import static org.sessionbridge.connector.zoom.ZoomStubs.MEETING_ID;
import static org.sessionbridge.connector.zoom.ZoomStubs.assertNoSecrets;
import static org.sessionbridge.connector.zoom.ZoomStubs.bearer;
import static org.sessionbridge.connector.zoom.ZoomStubs.meetingJson;
import static org.sessionbridge.connector.zoom.ZoomStubs.zoomError;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ZoomApiMeetingsTest {

  private static final String MEETING_PATH = "/v2/meetings/" + MEETING_ID;
  private static final String CREATE_PATH = "/v2/users/" + HOST_ID + "/meetings";
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  private final WireMockServer zoom = new WireMockServer(options().dynamicPort());
  private ZoomApi api;

  @BeforeEach
  void start() {
    zoom.start();
    ZoomStubs.stubToken(zoom);
    api = new ZoomApi(ZoomStubs.settings(zoom, Duration.ofSeconds(5)), CREDENTIALS);
  }

  @AfterEach
  void stop() {
    zoom.stop();
  }

  @Test
  void createsAScheduledMeetingWithAWaitingRoomAndNoJoinBeforeHost() {
    zoom.stubFor(
        bearer(post(CREATE_PATH))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json;charset=UTF-8")
                    .withBody(meetingJson(true, false))));

    ZoomMeeting meeting =
        api.createMeeting(
            HOST_ID,
            new ZoomMeetingRequest(
                "Consultation #A-123", LocalDateTime.of(2026, 3, 2, 15, 0, 0, 1_000), PARIS, 30));

    zoom.verify(
        postRequestedFor(urlPathEqualTo(CREATE_PATH))
            .withHeader("Authorization", equalTo("Bearer " + ZoomStubs.TOKEN))
            .withHeader("Content-Type", containing("application/json"))
            .withRequestBody(
                equalToJson(
                    """
                    { "topic": "Consultation #A-123", "type": 2, "start_time": "2026-03-02T15:00:00",
                      "timezone": "Europe/Paris", "duration": 30, "default_password": true,
                      "settings": { "waiting_room": true, "join_before_host": false,
                                    "meeting_authentication": false, "approval_type": 2,
                                    "encryption_type": "enhanced_encryption", "mute_upon_entry": true,
                                    "auto_recording": "none" } }
                    """)));
    assertThat(meeting.id()).isEqualTo(MEETING_ID);
    assertThat(meeting.uuid()).isEqualTo("aDYlohsHRtCd4ii1uC2+hA==");
    assertThat(meeting.joinUrl()).isEqualTo(URI.create(ZoomStubs.JOIN_URL));
    assertThat(meeting.topic()).isEqualTo("Consultation #A-123");
    assertThat(meeting.startTime()).hasValue(Instant.parse("2026-03-02T14:00:00Z"));
    assertThat(meeting.durationMinutes()).isEqualTo(30);
    assertThat(meeting.timezone()).isEqualTo("Europe/Paris");
    assertThat(meeting.status()).isEqualTo("waiting");
    assertThat(meeting.waitingRoom()).isTrue();
    assertThat(meeting.joinBeforeHost()).isFalse();
    assertThat(meeting.holdsParticipantsForHost()).isTrue();
    assertThat(meeting.toString())
        .contains(Long.toString(MEETING_ID))
        .doesNotContain("JoinPwdS3cret")
        .doesNotContain("ZakS3cretHostKey")
        .doesNotContain("Consultation");
  }

  @Test
  void createsForAHostGivenByEmail() {
    zoom.stubFor(
        bearer(post(urlPathEqualTo("/v2/users/dr@example.com/meetings")))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json")
                    .withBody(meetingJson(true, false))));

    ZoomMeeting meeting =
        api.createMeeting(
            "dr@example.com",
            new ZoomMeetingRequest("A-123", LocalDateTime.of(2026, 3, 2, 15, 0), PARIS, 30));

    assertThat(meeting.id()).isEqualTo(MEETING_ID);
  }

  @Test
  void getsTheMeetingAsZoomHasItNow() {
    zoom.stubFor(
        bearer(get(MEETING_PATH))
            .willReturn(ZoomStubs.okJsonWithTracking(meetingJson(true, false))));

    ZoomMeeting meeting = api.getMeeting(MEETING_ID);

    assertThat(meeting.id()).isEqualTo(MEETING_ID);
    assertThat(meeting.holdsParticipantsForHost()).isTrue();
  }

  @Test
  void reportsAWaitingRoomTheHostSwitchedOff() {
    zoom.stubFor(
        bearer(get(MEETING_PATH))
            .willReturn(ZoomStubs.okJsonWithTracking(meetingJson(false, true))));

    ZoomMeeting meeting = api.getMeeting(MEETING_ID);

    assertThat(meeting.waitingRoom()).isFalse();
    assertThat(meeting.joinBeforeHost()).isTrue();
    assertThat(meeting.holdsParticipantsForHost()).isFalse();
  }

  @Test
  void readsAMeetingIdSentAsAString() {
    zoom.stubFor(
        bearer(get(MEETING_PATH))
            .willReturn(
                ZoomStubs.okJsonWithTracking(
                    meetingJson(true, false).replace("92674392836,", "\"92674392836\","))));

    assertThat(api.getMeeting(MEETING_ID).id()).isEqualTo(MEETING_ID);
  }

  @Test
  void patchesOnlyTheChangedFieldsAndReassertsTheWaitingRoom() {
    zoom.stubFor(
        bearer(patch(urlPathEqualTo(MEETING_PATH))).willReturn(aResponse().withStatus(204)));

    api.updateMeeting(
        MEETING_ID, ZoomMeetingUpdate.reschedule(LocalDateTime.of(2026, 3, 9, 16, 30), PARIS, 45));

    zoom.verify(
        patchRequestedFor(urlPathEqualTo(MEETING_PATH))
            .withHeader("Authorization", equalTo("Bearer " + ZoomStubs.TOKEN))
            .withHeader("Content-Type", containing("application/json"))
            .withRequestBody(
                equalToJson(
                    """
                    { "start_time": "2026-03-09T16:30:00", "timezone": "Europe/Paris", "duration": 45,
                      "settings": { "waiting_room": true, "join_before_host": false } }
                    """)));
  }

  @Test
  void aSecurityOnlyPatchSendsJustTheSettings() {
    zoom.stubFor(
        bearer(patch(urlPathEqualTo(MEETING_PATH))).willReturn(aResponse().withStatus(204)));

    api.updateMeeting(MEETING_ID, ZoomMeetingUpdate.securityOnly());

    zoom.verify(
        patchRequestedFor(urlPathEqualTo(MEETING_PATH))
            .withRequestBody(
                equalToJson("{\"settings\":{\"waiting_room\":true,\"join_before_host\":false}}")));
  }

  @Test
  void deletesAMeeting() {
    zoom.stubFor(bearer(delete(MEETING_PATH)).willReturn(aResponse().withStatus(204)));

    assertThat(api.deleteMeeting(MEETING_ID)).isTrue();

    zoom.verify(
        deleteRequestedFor(urlPathEqualTo(MEETING_PATH))
            .withHeader("Authorization", equalTo("Bearer " + ZoomStubs.TOKEN)));
  }

  @Test
  void deletingAMeetingThatIsAlreadyGoneSucceeds() {
    zoom.stubFor(
        bearer(delete(MEETING_PATH))
            .willReturn(zoomError(404, 3001, "Meeting does not exist: " + MEETING_ID + ".")));

    assertThat(api.deleteMeeting(MEETING_ID)).isFalse();
  }

  @Test
  void gettingAMissingMeetingIsNotFoundWithZoomsCode() {
    zoom.stubFor(
        bearer(get(MEETING_PATH))
            .willReturn(zoomError(404, 3001, "Meeting does not exist: " + MEETING_ID + ".")));

    assertThatThrownBy(() -> api.getMeeting(MEETING_ID))
        .isInstanceOfSatisfying(
            ZoomNotFoundException.class,
            e -> {
              assertThat(e.httpStatus()).hasValue(404);
              assertThat(e.zoomCode()).hasValue(3001);
              assertThat(e.trackingId()).hasValue("v=2.0;clid=us06;rid=WEB_err");
              assertThat(e.getMessage())
                  .contains("get meeting " + MEETING_ID)
                  .contains("HTTP 404")
                  .contains("Zoom code 3001");
              assertNoSecrets(e);
            });
  }

  @Test
  void updatingAMissingMeetingIsNotFound() {
    zoom.stubFor(
        bearer(patch(urlPathEqualTo(MEETING_PATH)))
            .willReturn(zoomError(404, 3001, "Meeting does not exist: " + MEETING_ID + ".")));

    assertThatThrownBy(() -> api.updateMeeting(MEETING_ID, ZoomMeetingUpdate.securityOnly()))
        .isInstanceOf(ZoomNotFoundException.class);
  }

  @Test
  void creatingForAnUnknownUserIsNotFound() {
    zoom.stubFor(
        bearer(post(CREATE_PATH))
            .willReturn(zoomError(404, 1001, "User does not exist: " + HOST_ID)));

    assertThatThrownBy(
            () ->
                api.createMeeting(
                    HOST_ID,
                    new ZoomMeetingRequest(
                        "A-123", LocalDateTime.of(2026, 3, 2, 15, 0), PARIS, 30)))
        .isInstanceOfSatisfying(
            ZoomNotFoundException.class, e -> assertThat(e.zoomCode()).hasValue(1001));
  }

  @Test
  void aValidationFailureIsRejectedWithZoomsCodeAndTheInvalidField() {
    zoom.stubFor(
        bearer(post(CREATE_PATH))
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        """
                        { "code": 300, "message": "Validation Failed.",
                          "errors": [ { "field": "settings.jbh_time", "message": "Invalid field." } ] }
                        """)));

    assertThatThrownBy(
            () ->
                api.createMeeting(
                    HOST_ID,
                    new ZoomMeetingRequest(
                        "A-123", LocalDateTime.of(2026, 3, 2, 15, 0), PARIS, 30)))
        .isInstanceOfSatisfying(
            ZoomRejectedException.class,
            e -> {
              assertThat(e.httpStatus()).hasValue(400);
              assertThat(e.zoomCode()).hasValue(300);
              assertThat(e.zoomMessage()).isEqualTo("Validation Failed.");
              assertThat(e.invalidFields()).containsExactly("settings.jbh_time");
              assertThat(e.isRetriable()).isFalse();
              assertThat(e.getMessage()).contains("create meeting").contains("Zoom code 300");
            });
  }

  @Test
  void aUrlInZoomsErrorMessageIsNotRepeated() {
    zoom.stubFor(
        bearer(delete(MEETING_PATH))
            .willReturn(zoomError(400, 3000, "Cannot delete " + ZoomStubs.JOIN_URL + " now")));

    assertThatThrownBy(() -> api.deleteMeeting(MEETING_ID))
        .isInstanceOfSatisfying(
            ZoomRejectedException.class,
            e -> {
              assertThat(e.getMessage()).contains("Cannot delete <url> now");
              assertNoSecrets(e);
            });
  }

  @Test
  void listsUpcomingMeetingsAcrossPages() {
    String path = "/v2/users/" + HOST_ID + "/meetings";
    zoom.stubFor(
        bearer(get(urlPathEqualTo(path)))
            .withQueryParam("type", equalTo("upcoming"))
            .withQueryParam("page_size", equalTo("300"))
            .withQueryParam("next_page_token", absent())
            .willReturn(
                ZoomStubs.okJsonWithTracking(
                    """
                    {"page_size":300,"total_records":2,"next_page_token":"Tva2CuIdTgsv8wAnhyAdU3m06Y2HuLQtlh3",
                     "meetings":[{"uuid":"aDYlohsHRtCd4ii1uC2+hA==","id":92674392836,"host_id":"x",
                       "topic":"Session sb-0a1b2c3d4e5f","type":2,"start_time":"2026-03-02T14:00:00Z",
                       "duration":50,"timezone":"Europe/Paris","created_at":"2026-02-20T09:00:00Z",
                       "join_url":"https://us06web.zoom.us/j/92674392836?pwd=JoinPwdS3cret"}]}
                    """)));
    zoom.stubFor(
        bearer(get(urlPathEqualTo(path)))
            .withQueryParam("next_page_token", equalTo("Tva2CuIdTgsv8wAnhyAdU3m06Y2HuLQtlh3"))
            .willReturn(
                ZoomStubs.okJsonWithTracking(
                    """
                    {"page_size":300,"total_records":2,"next_page_token":"",
                     "meetings":[{"uuid":"bDYlohsHRtCd4ii1uC2+hA==","id":"81234567890","host_id":"x",
                       "topic":"Weekly","type":8,"duration":30,
                       "join_url":"https://us06web.zoom.us/j/81234567890"}]}
                    """)));

    List<ZoomMeetingSummary> upcoming = api.listUpcomingMeetings(HOST_ID);

    assertThat(upcoming)
        .extracting(ZoomMeetingSummary::id)
        .containsExactly(MEETING_ID, 81234567890L);
    ZoomMeetingSummary first = upcoming.get(0);
    assertThat(first.topic()).isEqualTo("Session sb-0a1b2c3d4e5f");
    assertThat(first.startTime()).contains(Instant.parse("2026-03-02T14:00:00Z"));
    assertThat(first.durationMinutes()).isEqualTo(50);
    assertThat(first.createdAt()).contains(Instant.parse("2026-02-20T09:00:00Z"));
    assertThat(first.toString()).doesNotContain("JoinPwdS3cret").doesNotContain("Session");
    assertThat(upcoming.get(1).startTime()).isEmpty();
    assertThat(upcoming.get(1).createdAt()).isEmpty();
  }

  @Test
  void listingStopsAfterTwentyPages() {
    zoom.stubFor(
        bearer(get(urlPathEqualTo("/v2/users/" + HOST_ID + "/meetings")))
            .willReturn(
                ZoomStubs.okJsonWithTracking("{\"next_page_token\":\"again\",\"meetings\":[]}")));

    assertThat(api.listUpcomingMeetings(HOST_ID)).isEmpty();
    zoom.verify(20, getRequestedFor(urlPathEqualTo("/v2/users/" + HOST_ID + "/meetings")));
  }

  @Test
  void listingForAnUnknownUserIsNotFound() {
    zoom.stubFor(
        bearer(get(urlPathEqualTo("/v2/users/" + HOST_ID + "/meetings")))
            .willReturn(zoomError(404, 1001, "User does not exist: " + HOST_ID + ".")));

    assertThatThrownBy(() -> api.listUpcomingMeetings(HOST_ID))
        .isInstanceOfSatisfying(
            ZoomNotFoundException.class,
            e -> {
              assertThat(e.zoomCode()).hasValue(1001);
              assertThat(e.getMessage()).contains("list upcoming meetings");
            });
  }

  @Test
  void aForbiddenCallIsAnAuthorizationErrorWithoutATokenRefresh() {
    zoom.stubFor(
        bearer(get(MEETING_PATH))
            .willReturn(zoomError(403, 4700, "Invalid access token, does not contain scopes.")));

    assertThatThrownBy(() -> api.getMeeting(MEETING_ID))
        .isInstanceOf(ZoomAuthorizationException.class);
    zoom.verify(1, postRequestedFor(urlPathEqualTo("/oauth/token")));
  }
}
