package org.sessionbridge.connector.google;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.core.calendar.BusyBlock;
import org.sessionbridge.core.calendar.CalendarChanges;
import org.sessionbridge.core.calendar.CalendarEvent;
import org.sessionbridge.core.calendar.ExternalEvent;
import org.sessionbridge.core.calendar.OwnEvent;
import org.sessionbridge.core.calendar.Removal;
import org.sessionbridge.core.port.CalendarProvider;
import org.sessionbridge.core.port.CalendarProviderException;
import org.sessionbridge.core.port.CalendarProviderException.CursorExpired;
import org.sessionbridge.core.port.CalendarProviderException.Gone;
import org.sessionbridge.core.port.CalendarProviderException.NotAuthorized;
import org.sessionbridge.core.port.CalendarProviderException.Rejected;
import org.sessionbridge.core.port.CalendarProviderException.Retryable;

class GoogleCalendarProviderTest {

  /** The owner's e-mail is a usual calendar id: it must never show up in a message. */
  private static final String CALENDAR = "dr.jones@example.com";

  private static final String EVENTS = "/calendar/v3/calendars/dr.jones@example.com/events";
  private static final UUID APPOINTMENT = UUID.fromString("3f2a7c1e-9b4d-4e8a-a1c2-5d6e7f809a1b");
  private static final String EVENT_ID = GoogleEventIds.forAppointment(APPOINTMENT);
  private static final String EVENT = EVENTS + "/" + EVENT_ID;
  private static final String JOIN = "https://us06web.zoom.us/j/92612345678?pwd=JoinPwdS3cret";
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

  /** 14:00 UTC is 15:00 in Paris on 2 March (CET). */
  private static final CalendarEvent TELEHEALTH =
      new CalendarEvent(
          APPOINTMENT,
          3,
          "Video session – J.D.",
          "Booked through the practice.",
          Instant.parse("2026-03-02T14:00:00Z"),
          Instant.parse("2026-03-02T14:50:00Z"),
          PARIS,
          Optional.empty(),
          Optional.of(
              new CalendarEvent.Join(
                  URI.create(JOIN), "Meeting ID 926 1234 5678, waiting room on")),
          CalendarEvent.Status.CONFIRMED);

  /** The exact body of TELEHEALTH: insert and update send the same. */
  private static final String TELEHEALTH_BODY =
      """
      { "id": "%s",
        "summary": "Video session – J.D.",
        "description": "Booked through the practice.\\n\\nJoin: %s\\nMeeting ID 926 1234 5678, waiting room on",
        "location": "%s",
        "start": { "dateTime": "2026-03-02T15:00:00.000+01:00", "timeZone": "Europe/Paris" },
        "end":   { "dateTime": "2026-03-02T15:50:00.000+01:00", "timeZone": "Europe/Paris" },
        "status": "confirmed", "transparency": "opaque", "visibility": "private",
        "extendedProperties": { "private": {
          "sessionbridgeAppointment": "3f2a7c1e-9b4d-4e8a-a1c2-5d6e7f809a1b",
          "sessionbridgeVersion": "3" } } }
      """
          .formatted(EVENT_ID, JOIN, JOIN);

  private final WireMockServer google = new WireMockServer(options().dynamicPort());
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));
  private final TestAccount account = new TestAccount("google:provider-1");
  private GoogleCalendarProvider provider;

  @BeforeEach
  void start() {
    google.start();
    provider = provider(new Knobs());
  }

  @AfterEach
  void stop() {
    google.stop();
  }

  // --- push ---------------------------------------------------------------------------------

  @Test
  void createsTheEventUnderItsDeterministicIdWithOurReferenceAndTheJoinLink() {
    google.stubFor(post(urlPathEqualTo(EVENTS)).willReturn(okJson(storedEvent("\"3181\""))));

    ExternalEvent stored = provider.upsert(account, CALENDAR, TELEHEALTH);

    assertThat(stored).isEqualTo(new ExternalEvent(EVENT_ID, "\"3181\"", 3, true));
    google.verify(
        1,
        postRequestedFor(urlPathEqualTo(EVENTS))
            .withQueryParam("sendUpdates", equalTo("none"))
            .withQueryParam("conferenceDataVersion", absent())
            .withHeader("Authorization", equalTo("Bearer token-1"))
            .withRequestBody(equalToJson(TELEHEALTH_BODY)));
    google.verify(0, putRequestedFor(anyUrl()));
  }

  @Test
  void anInPersonSessionCarriesItsPlaceAndNoJoinBlock() {
    google.stubFor(post(urlPathEqualTo(EVENTS)).willReturn(okJson(storedEvent("\"1\""))));
    CalendarEvent inPerson =
        new CalendarEvent(
            APPOINTMENT,
            1,
            "Session",
            "",
            TELEHEALTH.start(),
            TELEHEALTH.end(),
            PARIS,
            Optional.of("Room 2"),
            Optional.empty(),
            CalendarEvent.Status.TENTATIVE);

    provider.upsert(account, CALENDAR, inPerson);

    google.verify(
        postRequestedFor(urlPathEqualTo(EVENTS))
            .withRequestBody(
                equalToJson(
                    """
                    { "id": "%s", "summary": "Session", "location": "Room 2",
                      "start": { "dateTime": "2026-03-02T15:00:00.000+01:00", "timeZone": "Europe/Paris" },
                      "end":   { "dateTime": "2026-03-02T15:50:00.000+01:00", "timeZone": "Europe/Paris" },
                      "status": "tentative", "transparency": "opaque", "visibility": "private",
                      "extendedProperties": { "private": {
                        "sessionbridgeAppointment": "%s", "sessionbridgeVersion": "1" } } }
                    """
                        .formatted(EVENT_ID, APPOINTMENT))));
  }

  @Test
  void anEventThatExistsIsReplacedWithPutAfterGooglesDuplicateAnswer() {
    google.stubFor(post(urlPathEqualTo(EVENTS)).willReturn(duplicate()));
    google.stubFor(put(urlPathEqualTo(EVENT)).willReturn(okJson(storedEvent("\"3182\""))));

    ExternalEvent stored = provider.upsert(account, CALENDAR, TELEHEALTH);

    assertThat(stored).isEqualTo(new ExternalEvent(EVENT_ID, "\"3182\"", 3, false));
    google.verify(1, postRequestedFor(urlPathEqualTo(EVENTS)));
    google.verify(
        1,
        putRequestedFor(urlPathEqualTo(EVENT))
            .withQueryParam("sendUpdates", equalTo("none"))
            .withRequestBody(equalToJson(TELEHEALTH_BODY)));
    google.verify(0, patchRequestedFor(anyUrl()));
  }

  @Test
  void aLostInsertAnswerIsRetriedAndLeavesExactlyOneEvent() {
    // Google stores the event, then the connection dies before the answer arrives.
    google.stubFor(
        post(urlPathEqualTo(EVENTS))
            .inScenario("lost answer")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
            .willSetStateTo("stored"));
    google.stubFor(
        post(urlPathEqualTo(EVENTS))
            .inScenario("lost answer")
            .whenScenarioStateIs("stored")
            .willReturn(duplicate()));
    google.stubFor(put(urlPathEqualTo(EVENT)).willReturn(okJson(storedEvent("\"3182\""))));

    ExternalEvent stored = provider.upsert(account, CALENDAR, TELEHEALTH);

    assertThat(stored.externalId()).isEqualTo(EVENT_ID);
    List<LoggedRequest> inserts = google.findAll(postRequestedFor(urlPathEqualTo(EVENTS)));
    assertThat(inserts).hasSize(2);
    assertThat(inserts)
        .allSatisfy(r -> assertThat(r.getBodyAsString()).contains("\"id\":\"" + EVENT_ID + "\""));
    google.verify(1, putRequestedFor(urlPathEqualTo(EVENT)));
    // one id ever used: whatever Google holds is the one event of this appointment
    assertThat(google.getAllServeEvents())
        .hasSize(3)
        .extracting(e -> e.getRequest().getUrl().replaceAll("\\?.*", ""))
        .containsOnly(EVENTS, EVENT);
  }

  @Test
  void deletingRemovesTheEventAndAnEventAlreadyGoneCountsAsRemoved() {
    google.stubFor(delete(urlPathEqualTo(EVENT)).willReturn(aResponse().withStatus(204)));
    assertThat(provider.remove(account, CALENDAR, APPOINTMENT, Removal.DELETE)).isTrue();
    google.verify(
        deleteRequestedFor(urlPathEqualTo(EVENT)).withQueryParam("sendUpdates", equalTo("none")));

    google.stubFor(delete(urlPathEqualTo(EVENT)).willReturn(error(410, "calendar", "deleted")));
    assertThat(provider.remove(account, CALENDAR, APPOINTMENT, Removal.DELETE)).isFalse();

    google.stubFor(delete(urlPathEqualTo(EVENT)).willReturn(error(404, "global", "notFound")));
    assertThat(provider.remove(account, CALENDAR, APPOINTMENT, Removal.DELETE)).isFalse();
    google.verify(3, deleteRequestedFor(urlPathEqualTo(EVENT)));
  }

  @Test
  void aDeleteWhoseAnswerWasLostIsRepeatedAndGoneIsStillRemoved() {
    google.stubFor(
        delete(urlPathEqualTo(EVENT))
            .inScenario("lost delete")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
            .willSetStateTo("deleted"));
    google.stubFor(
        delete(urlPathEqualTo(EVENT))
            .inScenario("lost delete")
            .whenScenarioStateIs("deleted")
            .willReturn(error(410, "calendar", "deleted")));

    assertThat(provider.remove(account, CALENDAR, APPOINTMENT, Removal.DELETE)).isFalse();
    google.verify(2, deleteRequestedFor(urlPathEqualTo(EVENT)));
  }

  @Test
  void markingCancelledPatchesOnlyTheStatusAndDeletesNothing() {
    // The JDK's HttpURLConnection cannot send PATCH: Google's client sends POST with
    // X-HTTP-Method-Override, which Google honours.
    google.stubFor(
        post(urlPathEqualTo(EVENT))
            .withHeader("X-HTTP-Method-Override", equalTo("PATCH"))
            .willReturn(okJson("{\"id\":\"" + EVENT_ID + "\",\"status\":\"cancelled\"}")));

    assertThat(provider.remove(account, CALENDAR, APPOINTMENT, Removal.MARK_CANCELLED)).isTrue();

    google.verify(
        1,
        postRequestedFor(urlPathEqualTo(EVENT))
            .withHeader("X-HTTP-Method-Override", equalTo("PATCH"))
            .withQueryParam("sendUpdates", equalTo("none"))
            .withRequestBody(equalToJson("{\"status\":\"cancelled\"}")));
    google.verify(0, deleteRequestedFor(anyUrl()));
    google.verify(0, putRequestedFor(anyUrl()));

    google.stubFor(
        post(urlPathEqualTo(EVENT))
            .withHeader("X-HTTP-Method-Override", equalTo("PATCH"))
            .willReturn(error(404, "global", "notFound")));
    assertThat(provider.remove(account, CALENDAR, APPOINTMENT, Removal.MARK_CANCELLED)).isFalse();
  }

  @Test
  void aCalendarGoogleDoesNotKnowIsGone() {
    google.stubFor(post(urlPathEqualTo(EVENTS)).willReturn(error(404, "global", "notFound")));

    assertThatThrownBy(() -> provider.upsert(account, CALENDAR, TELEHEALTH))
        .isInstanceOf(Gone.class)
        .hasMessageContaining("HTTP 404 notFound");
    google.verify(1, postRequestedFor(urlPathEqualTo(EVENTS)));
  }

  @Test
  void aBadRequestIsRejectedAndNotRepeated() {
    google.stubFor(post(urlPathEqualTo(EVENTS)).willReturn(error(400, "global", "badRequest")));

    assertThatThrownBy(() -> provider.upsert(account, CALENDAR, TELEHEALTH))
        .isInstanceOf(Rejected.class)
        .hasMessageContaining("HTTP 400 badRequest");
    google.verify(1, postRequestedFor(urlPathEqualTo(EVENTS)));
  }

  // --- channels -----------------------------------------------------------------------------

  @Test
  void watchOpensAWebHookChannelAndReadsItsResourceIdAndExpiry() {
    google.stubFor(
        post(urlPathEqualTo(EVENTS + "/watch"))
            .willReturn(
                okJson(
                    """
                    {"kind":"api#channel","id":"ch-1","resourceId":"res-9",
                     "resourceUri":"https://www.googleapis.com/calendar/v3/calendars/primary/events",
                     "token":"secret-token","expiration":"1772956800000"}
                    """)));

    CalendarProvider.Watch watch =
        provider.watch(
            account,
            CALENDAR,
            "ch-1",
            "secret-token",
            URI.create("https://hub.example.org/webhooks/google"),
            java.time.Duration.ofDays(7));

    assertThat(watch)
        .isEqualTo(new CalendarProvider.Watch("res-9", Instant.ofEpochMilli(1772956800000L)));
    google.verify(
        1,
        postRequestedFor(urlPathEqualTo(EVENTS + "/watch"))
            .withHeader("Authorization", equalTo("Bearer token-1"))
            .withRequestBody(
                equalToJson(
                    """
                    {"id":"ch-1","type":"web_hook","token":"secret-token",
                     "address":"https://hub.example.org/webhooks/google",
                     "params":{"ttl":"604800"}}
                    """)));
  }

  @Test
  void stopSendsTheChannelAndResourceAndAGoneChannelCountsAsStopped() {
    google.stubFor(
        post(urlPathEqualTo("/calendar/v3/channels/stop")).willReturn(aResponse().withStatus(204)));
    provider.stopWatch(account, "ch-1", "res-9");
    google.verify(
        1,
        postRequestedFor(urlPathEqualTo("/calendar/v3/channels/stop"))
            .withRequestBody(equalToJson("{\"id\":\"ch-1\",\"resourceId\":\"res-9\"}")));

    google.stubFor(
        post(urlPathEqualTo("/calendar/v3/channels/stop"))
            .willReturn(error(404, "global", "notFound")));
    provider.stopWatch(account, "ch-1", "res-9");
  }

  // --- pull ---------------------------------------------------------------------------------

  @Test
  void aFullSyncFollowsEveryPageAndKeepsOnlyOpaqueForeignEventsAsBusy() {
    google.stubFor(
        get(urlPathEqualTo(EVENTS))
            .withQueryParam("pageToken", absent())
            .willReturn(
                okJson(
                    page(
                        "\"nextPageToken\": \"page-2\"",
                        """
                        { "id": "busy1", "status": "confirmed",
                          "start": { "dateTime": "2026-03-02T09:00:00+01:00" },
                          "end":   { "dateTime": "2026-03-02T10:00:00+01:00" } }""",
                        """
                        { "id": "free1", "status": "confirmed", "transparency": "transparent",
                          "start": { "dateTime": "2026-03-02T11:00:00+01:00" },
                          "end":   { "dateTime": "2026-03-02T12:00:00+01:00" } }""",
                        """
                        { "id": "vacation", "status": "confirmed", "transparency": "opaque",
                          "start": { "date": "2026-03-03" }, "end": { "date": "2026-03-05" } }"""))));
    google.stubFor(
        get(urlPathEqualTo(EVENTS))
            .withQueryParam("pageToken", equalTo("page-2"))
            .willReturn(
                okJson(
                    page(
                        "\"nextSyncToken\": \"sync-1\"",
                        ownEvent("2026-03-02T16:00:00+01:00", "2026-03-02T16:50:00+01:00"),
                        """
                        { "id": "declined1", "status": "confirmed",
                          "attendees": [ { "email": "dr.jones@example.com", "self": true,
                                           "responseStatus": "declined" } ],
                          "start": { "dateTime": "2026-03-02T13:00:00+01:00" },
                          "end":   { "dateTime": "2026-03-02T14:00:00+01:00" } }""",
                        """
                        { "id": "tentative1", "status": "tentative",
                          "start": { "dateTime": "2026-03-04T08:00:00Z" },
                          "end":   { "dateTime": "2026-03-04T08:30:00Z" } }"""))));

    CalendarChanges changes = provider.changes(account, CALENDAR, null);

    assertThat(changes.fullSync()).isTrue();
    assertThat(changes.nextCursor()).isEqualTo("sync-1");
    assertThat(changes.busy())
        .containsExactly(
            new BusyBlock(
                "busy1",
                Instant.parse("2026-03-02T08:00:00Z"),
                Instant.parse("2026-03-02T09:00:00Z"),
                false),
            // midnight to midnight in the calendar's zone, end exclusive
            new BusyBlock(
                "vacation",
                Instant.parse("2026-03-02T23:00:00Z"),
                Instant.parse("2026-03-04T23:00:00Z"),
                true),
            new BusyBlock(
                "tentative1",
                Instant.parse("2026-03-04T08:00:00Z"),
                Instant.parse("2026-03-04T08:30:00Z"),
                false));
    assertThat(changes.ownEvents())
        .containsExactly(
            new OwnEvent(
                APPOINTMENT,
                EVENT_ID,
                OptionalLong.of(3),
                false,
                Optional.of(Instant.parse("2026-03-02T15:00:00Z")),
                Optional.of(Instant.parse("2026-03-02T15:50:00Z"))));
    google.verify(
        2,
        getRequestedFor(urlPathEqualTo(EVENTS))
            .withQueryParam("singleEvents", equalTo("true"))
            .withQueryParam("maxResults", equalTo("250"))
            .withQueryParam("syncToken", absent())
            // one day back from the clock
            .withQueryParam("timeMin", matching("2026-02-28T08:00:00(\\.000)?Z")));
  }

  @Test
  void anIncrementalSyncSendsOnlyTheTokenAndReportsCancellationsAndOurMovedOrDeletedEvents() {
    UUID deletedAppointment = UUID.fromString("00000000-0000-4000-8000-000000000042");
    String deletedId = GoogleEventIds.forAppointment(deletedAppointment);
    google.stubFor(
        get(urlPathEqualTo(EVENTS))
            .withQueryParam("syncToken", equalTo("sync-1"))
            .withQueryParam("pageToken", absent())
            .willReturn(
                okJson(
                    page(
                        "\"nextPageToken\": \"page-2\"",
                        "{ \"id\": \"busy1\", \"status\": \"cancelled\" }",
                        """
                        { "id": "lunch", "status": "confirmed", "transparency": "transparent",
                          "start": { "dateTime": "2026-03-02T12:00:00+01:00" },
                          "end":   { "dateTime": "2026-03-02T13:00:00+01:00" } }"""))));
    google.stubFor(
        get(urlPathEqualTo(EVENTS))
            .withQueryParam("syncToken", equalTo("sync-1"))
            .withQueryParam("pageToken", equalTo("page-2"))
            .willReturn(
                okJson(
                    page(
                        "\"nextSyncToken\": \"sync-2\"",
                        // the owner moved our session by an hour
                        ownEvent("2026-03-02T17:00:00+01:00", "2026-03-02T17:50:00+01:00"),
                        // and deleted another: Google sends little more than the id
                        "{ \"id\": \"" + deletedId + "\", \"status\": \"cancelled\" }"))));

    CalendarChanges changes = provider.changes(account, CALENDAR, "sync-1");

    assertThat(changes.fullSync()).isFalse();
    assertThat(changes.nextCursor()).isEqualTo("sync-2");
    assertThat(changes.busy()).isEmpty();
    assertThat(changes.freed()).containsExactlyInAnyOrder("busy1", "lunch");
    assertThat(changes.ownEvents())
        .containsExactly(
            new OwnEvent(
                APPOINTMENT,
                EVENT_ID,
                OptionalLong.of(3),
                false,
                Optional.of(Instant.parse("2026-03-02T16:00:00Z")),
                Optional.of(Instant.parse("2026-03-02T16:50:00Z"))),
            new OwnEvent(
                deletedAppointment,
                deletedId,
                OptionalLong.empty(),
                true,
                Optional.empty(),
                Optional.empty()));
    // Google answers 400 to these with a sync token (API-NOTES §3.3)
    google.verify(
        2,
        getRequestedFor(urlPathEqualTo(EVENTS))
            .withQueryParam("syncToken", equalTo("sync-1"))
            .withQueryParam("singleEvents", equalTo("true"))
            .withQueryParam("timeMin", absent())
            .withQueryParam("timeMax", absent())
            .withQueryParam("updatedMin", absent())
            .withQueryParam("orderBy", absent())
            .withQueryParam("q", absent())
            .withQueryParam("iCalUID", absent())
            .withQueryParam("privateExtendedProperty", absent())
            .withQueryParam("showDeleted", absent()));
  }

  @Test
  void anExpiredSyncTokenAsksForOneFullSyncAtOnce() {
    google.stubFor(
        get(urlPathEqualTo(EVENTS))
            .withQueryParam("syncToken", equalTo("expired"))
            .willReturn(
                googleError(
                    410,
                    "calendar",
                    "fullSyncRequired",
                    "Sync token is no longer valid, a full sync is required.")));

    assertThatThrownBy(() -> provider.changes(account, CALENDAR, "expired"))
        .isInstanceOf(CursorExpired.class)
        .hasMessageContaining("HTTP 410 fullSyncRequired");
    google.verify(1, getRequestedFor(urlPathEqualTo(EVENTS)));
  }

  @Test
  void aLastPageWithoutSyncTokenIsNotTakenAsTheEnd() {
    google.stubFor(get(urlPathEqualTo(EVENTS)).willReturn(okJson(page("\"etag\": \"x\""))));

    assertThatThrownBy(() -> provider.changes(account, CALENDAR, null))
        .isInstanceOf(Retryable.class)
        .hasMessageContaining("no nextSyncToken");
  }

  // --- authorisation ------------------------------------------------------------------------

  @Test
  void aRefusedTokenIsDroppedAndTheRequestRepeatedOnceWithAFreshOne() {
    google.stubFor(
        post(urlPathEqualTo(EVENTS))
            .withHeader("Authorization", equalTo("Bearer token-1"))
            .willReturn(authError()));
    google.stubFor(
        post(urlPathEqualTo(EVENTS))
            .withHeader("Authorization", equalTo("Bearer token-2"))
            .willReturn(okJson(storedEvent("\"1\""))));

    assertThat(provider.upsert(account, CALENDAR, TELEHEALTH).created()).isTrue();
    assertThat(account.invalidated).containsExactly("token-1");
    google.verify(2, postRequestedFor(urlPathEqualTo(EVENTS)));
  }

  @Test
  void aFreshTokenRefusedTooIsNotAuthorized() {
    google.stubFor(post(urlPathEqualTo(EVENTS)).willReturn(authError()));

    assertThatThrownBy(() -> provider.upsert(account, CALENDAR, TELEHEALTH))
        .isInstanceOf(NotAuthorized.class)
        .hasMessageContaining("HTTP 401")
        .hasMessageContaining("re-authorisation");
    assertThat(account.invalidated).containsExactly("token-1");
    google.verify(2, postRequestedFor(urlPathEqualTo(EVENTS)));
  }

  @Test
  void aRevokedGrantIsNotAuthorizedWithoutCallingGoogle() {
    TestAccount revoked =
        new TestAccount("google:provider-2") {
          @Override
          public String accessToken() {
            throw new NotAuthorized("Google refused the refresh token: invalid_grant", null);
          }
        };

    assertThatThrownBy(() -> provider.upsert(revoked, CALENDAR, TELEHEALTH))
        .isInstanceOf(NotAuthorized.class)
        .hasMessageContaining("invalid_grant");
    google.verify(0, anyRequestedFor(anyUrl()));
  }

  // --- limits and outages -------------------------------------------------------------------

  @Test
  void aRateLimitIsWaitedOutWithBackoffAndTheCallSucceeds() {
    google.stubFor(
        post(urlPathEqualTo(EVENTS))
            .inScenario("rate")
            .whenScenarioStateIs(STARTED)
            .willReturn(googleError(403, "usageLimits", "rateLimitExceeded", "Rate Limit Exceeded"))
            .willSetStateTo("user"));
    google.stubFor(
        post(urlPathEqualTo(EVENTS))
            .inScenario("rate")
            .whenScenarioStateIs("user")
            .willReturn(
                googleError(
                    403, "usageLimits", "userRateLimitExceeded", "User Rate Limit Exceeded"))
            .willSetStateTo("ok"));
    google.stubFor(
        post(urlPathEqualTo(EVENTS))
            .inScenario("rate")
            .whenScenarioStateIs("ok")
            .willReturn(okJson(storedEvent("\"1\""))));

    assertThat(provider.upsert(account, CALENDAR, TELEHEALTH).created()).isTrue();
    google.verify(3, postRequestedFor(urlPathEqualTo(EVENTS)));
  }

  @Test
  void aShortRetryAfterIsWaitedInline() {
    google.stubFor(
        get(urlPathEqualTo(EVENTS))
            .inScenario("429")
            .whenScenarioStateIs(STARTED)
            .willReturn(tooManyRequests("1"))
            .willSetStateTo("ok"));
    google.stubFor(
        get(urlPathEqualTo(EVENTS))
            .inScenario("429")
            .whenScenarioStateIs("ok")
            .willReturn(okJson(page("\"nextSyncToken\": \"sync-1\""))));

    long started = System.nanoTime();
    assertThat(provider.changes(account, CALENDAR, null).nextCursor()).isEqualTo("sync-1");
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(950));
    google.verify(2, getRequestedFor(urlPathEqualTo(EVENTS)));
  }

  @Test
  void aLongRetryAfterIsHandedBackInsteadOfSlept() {
    google.stubFor(get(urlPathEqualTo(EVENTS)).willReturn(tooManyRequests("120")));

    assertThatThrownBy(() -> provider.changes(account, CALENDAR, "sync-1"))
        .isInstanceOfSatisfying(
            Retryable.class,
            e -> {
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(120));
              assertThat(e.getMessage()).contains("HTTP 429 rateLimitExceeded");
            });
    google.verify(1, getRequestedFor(urlPathEqualTo(EVENTS)));
  }

  @Test
  void googlesUsageLimitsAskForALongWaitWithoutRetryingInline() {
    google.stubFor(
        post(urlPathEqualTo(EVENTS))
            .willReturn(
                googleError(
                    403, "usageLimits", "quotaExceeded", "Calendar usage limits exceeded.")));

    assertThatThrownBy(() -> provider.upsert(account, CALENDAR, TELEHEALTH))
        .isInstanceOfSatisfying(
            Retryable.class, e -> assertThat(e.retryAfter()).contains(Duration.ofMinutes(5)));
    google.verify(1, postRequestedFor(urlPathEqualTo(EVENTS)));
  }

  @Test
  void aServerErrorIsRetriedAndThenSucceeds() {
    google.stubFor(
        get(urlPathEqualTo(EVENTS))
            .inScenario("503")
            .whenScenarioStateIs(STARTED)
            .willReturn(googleError(503, "global", "backendError", "Backend Error"))
            .willSetStateTo("ok"));
    google.stubFor(
        get(urlPathEqualTo(EVENTS))
            .inScenario("503")
            .whenScenarioStateIs("ok")
            .willReturn(okJson(page("\"nextSyncToken\": \"sync-1\""))));

    assertThat(provider.changes(account, CALENDAR, null).nextCursor()).isEqualTo("sync-1");
    google.verify(2, getRequestedFor(urlPathEqualTo(EVENTS)));
  }

  @Test
  void anAnswerThatComesTooLateIsRetriedThenRetryable() {
    Knobs knobs = new Knobs();
    knobs.readTimeout = Duration.ofMillis(300);
    knobs.attempts = 2;
    GoogleCalendarProvider impatient = provider(knobs);
    google.stubFor(
        post(urlPathEqualTo(EVENTS))
            .willReturn(okJson(storedEvent("\"1\"")).withFixedDelay(1_500)));

    assertThatThrownBy(() -> impatient.upsert(account, CALENDAR, TELEHEALTH))
        .isInstanceOf(Retryable.class)
        .hasMessageContaining("no answer (SocketTimeoutException)");
    google.verify(2, postRequestedFor(urlPathEqualTo(EVENTS)));
  }

  @Test
  void aStormOfServerErrorsOpensTheBreakerSoLaterCallsFailFastUntilItsWaitIsOver() {
    Knobs knobs = new Knobs();
    knobs.attempts = 1;
    GoogleCalendarProvider guarded = provider(knobs);
    google.stubFor(
        get(urlPathEqualTo(EVENTS))
            .willReturn(googleError(500, "global", "backendError", "Backend Error")));

    for (int i = 0; i < 4; i++) {
      assertThatThrownBy(() -> guarded.changes(account, CALENDAR, "sync-1"))
          .isInstanceOf(Retryable.class)
          .hasMessageContaining("HTTP 500 backendError");
    }
    clock.advance(Duration.ofSeconds(10));
    assertThatThrownBy(() -> guarded.changes(account, CALENDAR, "sync-1"))
        .isInstanceOfSatisfying(
            Retryable.class,
            e -> {
              assertThat(e.getMessage()).contains("circuit breaker open");
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(20));
            });
    assertThatThrownBy(() -> guarded.upsert(account, CALENDAR, TELEHEALTH))
        .isInstanceOf(Retryable.class)
        .hasMessageContaining("not sent");
    google.verify(4, getRequestedFor(urlPathEqualTo(EVENTS)));
    google.verify(0, postRequestedFor(anyUrl()));

    google.stubFor(
        get(urlPathEqualTo(EVENTS)).willReturn(okJson(page("\"nextSyncToken\": \"sync-2\""))));
    clock.advance(Duration.ofSeconds(21));
    assertThat(guarded.changes(account, CALENDAR, "sync-1").nextCursor()).isEqualTo("sync-2");
    assertThat(guarded.changes(account, CALENDAR, "sync-1").nextCursor()).isEqualTo("sync-2");
    assertThat(guarded.changes(account, CALENDAR, "sync-1").nextCursor()).isEqualTo("sync-2");
    google.verify(7, getRequestedFor(urlPathEqualTo(EVENTS)));
  }

  @Test
  void answersThatAreNotOutagesLeaveTheBreakerClosed() {
    Knobs knobs = new Knobs();
    knobs.attempts = 1;
    GoogleCalendarProvider guarded = provider(knobs);
    google.stubFor(delete(urlPathEqualTo(EVENT)).willReturn(error(404, "global", "notFound")));
    google.stubFor(
        post(urlPathEqualTo(EVENTS))
            .willReturn(googleError(429, "usageLimits", "rateLimitExceeded", "Rate Limit")));

    for (int i = 0; i < 6; i++) {
      assertThat(guarded.remove(account, CALENDAR, APPOINTMENT, Removal.DELETE)).isFalse();
      assertThatThrownBy(() -> guarded.upsert(account, CALENDAR, TELEHEALTH))
          .isInstanceOf(Retryable.class)
          .hasMessageNotContaining("circuit breaker");
    }
    google.verify(6, deleteRequestedFor(urlPathEqualTo(EVENT)));
    google.verify(6, postRequestedFor(urlPathEqualTo(EVENTS)));
  }

  @Test
  void theRateLimiterKeepsOneAccountBelowItsQuotaWithoutHoldingBackOthers() {
    Knobs knobs = new Knobs();
    knobs.perPeriod = 1;
    knobs.refreshPeriod = Duration.ofHours(1);
    knobs.permitWait = Duration.ZERO;
    GoogleCalendarProvider limited = provider(knobs);
    google.stubFor(delete(urlPathEqualTo(EVENT)).willReturn(aResponse().withStatus(204)));

    assertThat(limited.remove(account, CALENDAR, APPOINTMENT, Removal.DELETE)).isTrue();
    assertThatThrownBy(() -> limited.remove(account, CALENDAR, APPOINTMENT, Removal.DELETE))
        .isInstanceOf(Retryable.class)
        .hasMessageContaining("no rate-limit permit");
    assertThat(
            limited.remove(new TestAccount("google:other"), CALENDAR, APPOINTMENT, Removal.DELETE))
        .isTrue();
    google.verify(2, deleteRequestedFor(urlPathEqualTo(EVENT)));
  }

  @Test
  void noFailureMessageCarriesTheCalendarIdTokensTitlesOrTheJoinLink() {
    google.stubFor(
        post(urlPathEqualTo(EVENTS))
            .willReturn(
                googleError(
                    400, "global", "badRequest", "Bad " + CALENDAR + " Video session " + JOIN)));
    google.stubFor(get(urlPathEqualTo(EVENTS)).willReturn(authError()));
    google.stubFor(
        delete(urlPathEqualTo(EVENT))
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

    List<Throwable> failures =
        List.of(
            catchFailure(() -> provider.upsert(account, CALENDAR, TELEHEALTH)),
            catchFailure(() -> provider.changes(account, CALENDAR, "sync-1")),
            catchFailure(() -> provider.remove(account, CALENDAR, APPOINTMENT, Removal.DELETE)));

    assertThat(failures)
        .allSatisfy(f -> assertThat(f).isInstanceOf(CalendarProviderException.class));
    for (Throwable failure : failures) {
      for (Throwable t = failure; t != null; t = t.getCause()) {
        assertThat(String.valueOf(t.getMessage()))
            .doesNotContain("dr.jones", "token-", "Video session", "zoom.us", "JoinPwd");
      }
    }
  }

  // --- helpers ------------------------------------------------------------------------------

  private GoogleCalendarProvider provider(Knobs knobs) {
    return new GoogleCalendarProvider(
        new GoogleSettings(
            google.baseUrl(), Duration.ofSeconds(2), knobs.readTimeout, 250, Duration.ofDays(1)),
        knobs.build(),
        clock);
  }

  private static Throwable catchFailure(Runnable call) {
    try {
      call.run();
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("expected a failure");
  }

  /** Google's answer to an insert: our fields echoed plus Google's own. */
  private static String storedEvent(String etag) {
    return """
        { "kind": "calendar#event", "etag": %s, "id": "%s", "status": "confirmed",
          "htmlLink": "https://www.google.com/calendar/event?eid=x", "iCalUID": "%s@google.com",
          "created": "2026-03-01T08:00:00.000Z", "updated": "2026-03-01T08:00:00.000Z",
          "summary": "Video session – J.D.",
          "start": { "dateTime": "2026-03-02T15:00:00+01:00", "timeZone": "Europe/Paris" },
          "end":   { "dateTime": "2026-03-02T15:50:00+01:00", "timeZone": "Europe/Paris" },
          "extendedProperties": { "private": {
            "sessionbridgeAppointment": "%s", "sessionbridgeVersion": "3" } } }
        """
        .formatted(quoted(etag), EVENT_ID, EVENT_ID, APPOINTMENT);
  }

  private static String quoted(String etag) {
    return "\"" + etag.replace("\"", "\\\"") + "\"";
  }

  private static String ownEvent(String start, String end) {
    return """
        { "id": "%s", "status": "confirmed", "summary": "Video session – J.D.",
          "start": { "dateTime": "%s", "timeZone": "Europe/Paris" },
          "end":   { "dateTime": "%s", "timeZone": "Europe/Paris" },
          "extendedProperties": { "private": {
            "sessionbridgeAppointment": "%s", "sessionbridgeVersion": "3" } } }"""
        .formatted(EVENT_ID, start, end, APPOINTMENT);
  }

  /** An {@code events.list} page: its last member is nextPageToken or nextSyncToken. */
  private static String page(String token, String... items) {
    return """
        { "kind": "calendar#events", "etag": "\\"p1\\"", "summary": "dr.jones@example.com",
          "timeZone": "Europe/Paris", "updated": "2026-03-01T08:00:00.000Z",
          "accessRole": "owner", "items": [ %s ], %s }
        """
        .formatted(String.join(",", items), token);
  }

  private static ResponseDefinitionBuilder duplicate() {
    return googleError(409, "global", "duplicate", "The requested identifier already exists.");
  }

  private static ResponseDefinitionBuilder authError() {
    return googleError(401, "global", "authError", "Invalid Credentials");
  }

  private static ResponseDefinitionBuilder tooManyRequests(String retryAfter) {
    return googleError(429, "usageLimits", "rateLimitExceeded", "Rate Limit Exceeded")
        .withHeader("Retry-After", retryAfter);
  }

  private static ResponseDefinitionBuilder error(int status, String domain, String reason) {
    return googleError(status, domain, reason, reason);
  }

  /** Google's error envelope (API-NOTES §3.5). */
  private static ResponseDefinitionBuilder googleError(
      int status, String domain, String reason, String message) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json; charset=UTF-8")
        .withBody(
            """
            { "error": { "errors": [ { "domain": "%s", "reason": "%s", "message": "%s" } ],
                         "code": %d, "message": "%s" } }
            """
                .formatted(domain, reason, message, status, message));
  }

  /** Test knobs: fast backoff, limits high enough not to interfere unless a test lowers them. */
  private static final class Knobs {
    int attempts = 3;
    int perPeriod = 1_000;
    Duration refreshPeriod = Duration.ofSeconds(1);
    Duration permitWait = Duration.ofSeconds(1);
    Duration readTimeout = Duration.ofSeconds(5);

    GoogleResilience build() {
      return new GoogleResilience(
          4,
          4,
          50,
          Duration.ofSeconds(30),
          3,
          perPeriod,
          refreshPeriod,
          permitWait,
          attempts,
          Duration.ofMillis(10),
          Duration.ofSeconds(2),
          Duration.ofMinutes(5));
    }
  }
}
