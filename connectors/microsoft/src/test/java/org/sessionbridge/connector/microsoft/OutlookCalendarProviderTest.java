package org.sessionbridge.connector.microsoft;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sessionbridge.connector.microsoft.GraphStubs.graphError;
import static org.sessionbridge.connector.microsoft.GraphStubs.json;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.core.calendar.BusyBlock;
import org.sessionbridge.core.calendar.CalendarChanges;
import org.sessionbridge.core.calendar.CalendarEvent;
import org.sessionbridge.core.calendar.ExternalEvent;
import org.sessionbridge.core.calendar.Removal;
import org.sessionbridge.core.port.CalendarProvider;
import org.sessionbridge.core.port.CalendarProviderException;

/** The Outlook adapter against WireMock at the socket (API-NOTES §2.2 to §2.6). */
class OutlookCalendarProviderTest {

  private static final UUID APPOINTMENT = UUID.fromString("0f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19");
  private static final String EVENTS = "/v1.0/me/calendar/events";
  private static final String EVENT_ID = "AAMkAGI2TG93AAA";
  private static final String EVENT_PATH = "/v1.0/me/events/" + EVENT_ID;
  private static final String DELTA = "/v1.0/me/calendarView/delta()";

  private WireMockServer wm;
  private MutableClock clock;
  private OutlookCalendarProvider outlook;
  private TestAccount account;

  @BeforeEach
  void start() {
    wm = new WireMockServer(options().dynamicPort());
    wm.start();
    clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    outlook =
        new OutlookCalendarProvider(
            GraphStubs.settings(wm, Duration.ofSeconds(5)).withDeltaPageSize(2),
            new MicrosoftResilience(
                10,
                5,
                50,
                Duration.ofSeconds(30),
                2,
                4,
                Duration.ofSeconds(2),
                3,
                Duration.ofMillis(10),
                Duration.ofSeconds(2)),
            clock);
    account = TestAccount.fixed("delegated-at");
  }

  @AfterEach
  void stop() {
    wm.stop();
  }

  private static CalendarEvent event(long version) {
    return new CalendarEvent(
        APPOINTMENT,
        version,
        "Session",
        "Private session.",
        Instant.parse("2026-03-02T14:00:00Z"),
        Instant.parse("2026-03-02T14:50:00Z"),
        ZoneId.of("Europe/Paris"),
        Optional.empty(),
        Optional.of(
            new CalendarEvent.Join(
                URI.create("https://teams.microsoft.com/l/meetup-join/secret"), "Dial in: +1 555")),
        CalendarEvent.Status.CONFIRMED);
  }

  private static String eventJson(String id, String extra) {
    return "{\"@odata.etag\":\"W/\\\"ck1\\\"\",\"id\":\""
        + id
        + "\",\"changeKey\":\"ck1\",\"subject\":\"Session\""
        + extra
        + "}";
  }

  private void noEventYet() {
    wm.stubFor(get(urlPathEqualTo(EVENTS)).willReturn(json(200, "{\"value\":[]}")));
  }

  @Test
  void upsertLooksForOurEventThenCreatesItWithTransactionIdAndOurProperty() {
    noEventYet();
    wm.stubFor(post(urlPathEqualTo(EVENTS)).willReturn(json(201, eventJson(EVENT_ID, ""))));

    ExternalEvent stored = outlook.upsert(account, "primary", event(3));

    assertThat(stored).isEqualTo(new ExternalEvent(EVENT_ID, "ck1", 3, true));
    wm.verify(
        getRequestedFor(urlPathEqualTo(EVENTS))
            .withQueryParam("$filter", containing("ep/value eq '" + APPOINTMENT + "'"))
            .withQueryParam("$filter", containing(OutlookEvents.APPOINTMENT_PROPERTY))
            .withHeader("Authorization", equalTo("Bearer delegated-at")));
    wm.verify(
        postRequestedFor(urlPathEqualTo(EVENTS))
            .withHeader("Prefer", containing("outlook.timezone=\"UTC\""))
            .withRequestBody(
                matchingJsonPath("$.transactionId", equalTo("sb-" + APPOINTMENT + "-v3")))
            .withRequestBody(matchingJsonPath("$.subject", equalTo("Session")))
            .withRequestBody(matchingJsonPath("$.start.dateTime", equalTo("2026-03-02T15:00:00")))
            .withRequestBody(matchingJsonPath("$.start.timeZone", equalTo("Europe/Paris")))
            .withRequestBody(matchingJsonPath("$.showAs", equalTo("busy")))
            .withRequestBody(matchingJsonPath("$.sensitivity", equalTo("private")))
            .withRequestBody(matchingJsonPath("$.location.displayName", containing("meetup-join")))
            .withRequestBody(matchingJsonPath("$.body.content", containing("Join: https://teams")))
            .withRequestBody(
                matchingJsonPath(
                    "$.singleValueExtendedProperties[?(@.id == '"
                        + OutlookEvents.APPOINTMENT_PROPERTY
                        + "')].value",
                    containing(APPOINTMENT.toString())))
            .withRequestBody(notContaining("isOnlineMeeting")));
  }

  @Test
  void upsertPatchesOurEventWhenItExists() {
    wm.stubFor(
        get(urlPathEqualTo(EVENTS))
            .willReturn(json(200, "{\"value\":[" + eventJson(EVENT_ID, "") + "]}")));
    wm.stubFor(patch(urlPathEqualTo(EVENT_PATH)).willReturn(json(200, eventJson(EVENT_ID, ""))));

    ExternalEvent stored = outlook.upsert(account, "primary", event(4));

    assertThat(stored.created()).isFalse();
    wm.verify(
        patchRequestedFor(urlPathEqualTo(EVENT_PATH))
            .withRequestBody(notContaining("transactionId"))
            .withRequestBody(
                matchingJsonPath(
                    "$.singleValueExtendedProperties[?(@.id == '"
                        + OutlookEvents.VERSION_PROPERTY
                        + "')].value",
                    containing("4"))));
    wm.verify(0, postRequestedFor(urlPathEqualTo(EVENTS)));
  }

  @Test
  void aCreateWhoseAnswerWasLostIsRepeatedWithTheSameTransactionId() {
    noEventYet();
    wm.stubFor(
        post(urlPathEqualTo(EVENTS))
            .inScenario("lost")
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
            .willSetStateTo("stored"));
    wm.stubFor(
        post(urlPathEqualTo(EVENTS))
            .inScenario("lost")
            .whenScenarioStateIs("stored")
            .willReturn(
                json(
                    201, eventJson(EVENT_ID, ",\"transactionId\":\"sb-" + APPOINTMENT + "-v3\""))));

    assertThat(outlook.upsert(account, "primary", event(3)).externalId()).isEqualTo(EVENT_ID);

    wm.verify(2, postRequestedFor(urlPathEqualTo(EVENTS)));
    wm.verify(
        postRequestedFor(urlPathEqualTo(EVENTS))
            .withRequestBody(
                matchingJsonPath("$.transactionId", equalTo("sb-" + APPOINTMENT + "-v3")))
            .withRequestBody(matchingJsonPath("$.subject", equalTo("Session"))));
  }

  @Test
  void removeDeletesOurEventAndIsFalseWhenThereIsNone() {
    wm.stubFor(
        get(urlPathEqualTo(EVENTS))
            .willReturn(json(200, "{\"value\":[" + eventJson(EVENT_ID, "") + "]}")));
    wm.stubFor(delete(urlPathEqualTo(EVENT_PATH)).willReturn(aResponse().withStatus(204)));

    assertThat(outlook.remove(account, "primary", APPOINTMENT, Removal.DELETE)).isTrue();
    wm.verify(1, deleteRequestedFor(urlPathEqualTo(EVENT_PATH)));

    wm.resetAll();
    noEventYet();
    assertThat(outlook.remove(account, "primary", APPOINTMENT, Removal.DELETE)).isFalse();
    wm.verify(0, deleteRequestedFor(urlPathEqualTo(EVENT_PATH)));
  }

  @Test
  void markCancelledKeepsTheEventAsCancelledAndFree() {
    wm.stubFor(
        get(urlPathEqualTo(EVENTS))
            .willReturn(json(200, "{\"value\":[" + eventJson(EVENT_ID, "") + "]}")));
    wm.stubFor(patch(urlPathEqualTo(EVENT_PATH)).willReturn(json(200, eventJson(EVENT_ID, ""))));

    assertThat(outlook.remove(account, "primary", APPOINTMENT, Removal.MARK_CANCELLED)).isTrue();

    wm.verify(
        patchRequestedFor(urlPathEqualTo(EVENT_PATH))
            .withRequestBody(matchingJsonPath("$.subject", equalTo("Cancelled: Session")))
            .withRequestBody(matchingJsonPath("$.showAs", equalTo("free"))));
  }

  @Test
  void aFullSyncFollowsEveryPageAndKeepsTheDeltaLinkAsCursor() {
    String next = wm.baseUrl() + DELTA + "?$skiptoken=page2";
    String deltaLink = wm.baseUrl() + DELTA + "?$deltatoken=round1";
    wm.stubFor(
        get(urlPathEqualTo(DELTA))
            .withQueryParam("startDateTime", equalTo("2026-02-28T10:00Z"))
            .willReturn(
                json(
                    200,
                    "{\"@odata.nextLink\":\""
                        + next
                        + "\",\"value\":["
                        + item(
                            "busy1",
                            "busy",
                            false,
                            "organizer",
                            "2026-03-02T09:00:00.0000000",
                            "2026-03-02T10:00:00.0000000")
                        + ","
                        + item(
                            "free1",
                            "free",
                            false,
                            "organizer",
                            "2026-03-02T11:00:00.0000000",
                            "2026-03-02T12:00:00.0000000")
                        + "]}")));
    wm.stubFor(
        get(urlPathEqualTo(DELTA))
            .withQueryParam("$skiptoken", equalTo("page2"))
            .willReturn(
                json(
                    200,
                    "{\"@odata.deltaLink\":\""
                        + deltaLink
                        + "\",\"value\":["
                        + item(
                            "declined1",
                            "busy",
                            false,
                            "declined",
                            "2026-03-02T13:00:00.0000000",
                            "2026-03-02T14:00:00.0000000")
                        + ","
                        + item(
                            "oof1",
                            "oof",
                            true,
                            "organizer",
                            "2026-03-03T00:00:00.0000000",
                            "2026-03-04T00:00:00.0000000")
                        + ",{\"id\":\"ours1\",\"transactionId\":\"sb-"
                        + APPOINTMENT
                        + "-v2\",\"isCancelled\":false,\"showAs\":\"busy\","
                        + "\"start\":{\"dateTime\":\"2026-03-05T08:00:00.0000000\",\"timeZone\":\"UTC\"},"
                        + "\"end\":{\"dateTime\":\"2026-03-05T09:00:00.0000000\",\"timeZone\":\"UTC\"}}"
                        + "]}")));

    CalendarChanges changes = outlook.changes(account, "primary", null);

    assertThat(changes.fullSync()).isTrue();
    assertThat(changes.nextCursor()).isEqualTo(deltaLink);
    assertThat(changes.busy())
        .containsExactly(
            new BusyBlock(
                "busy1",
                Instant.parse("2026-03-02T09:00:00Z"),
                Instant.parse("2026-03-02T10:00:00Z"),
                false),
            new BusyBlock(
                "oof1",
                Instant.parse("2026-03-03T00:00:00Z"),
                Instant.parse("2026-03-04T00:00:00Z"),
                true));
    assertThat(changes.ownEvents())
        .singleElement()
        .satisfies(
            own -> {
              assertThat(own.appointmentId()).isEqualTo(APPOINTMENT);
              assertThat(own.externalId()).isEqualTo("ours1");
              assertThat(own.deleted()).isFalse();
              assertThat(own.start()).contains(Instant.parse("2026-03-05T08:00:00Z"));
            });
    wm.verify(
        getRequestedFor(urlPathEqualTo(DELTA))
            .withHeader("Prefer", containing("odata.maxpagesize=2"))
            .withQueryParam("endDateTime", equalTo("2027-03-01T10:00Z")));
  }

  private static String item(
      String id, String showAs, boolean allDay, String response, String start, String end) {
    return "{\"id\":\""
        + id
        + "\",\"subject\":\"Private\",\"showAs\":\""
        + showAs
        + "\",\"isAllDay\":"
        + allDay
        + ",\"isCancelled\":false,\"transactionId\":null,\"responseStatus\":{\"response\":\""
        + response
        + "\"},"
        + "\"start\":{\"dateTime\":\""
        + start
        + "\",\"timeZone\":\"UTC\"},"
        + "\"end\":{\"dateTime\":\""
        + end
        + "\",\"timeZone\":\"UTC\"}}";
  }

  @Test
  void anIncrementalSyncReadsTheCursorAndReportsRemovedItemsAsFreed() {
    String cursor = wm.baseUrl() + DELTA + "?$deltatoken=round1";
    wm.stubFor(
        get(urlPathEqualTo(DELTA))
            .withQueryParam("$deltatoken", equalTo("round1"))
            .willReturn(
                json(
                    200,
                    "{\"@odata.deltaLink\":\""
                        + wm.baseUrl()
                        + DELTA
                        + "?$deltatoken=round2\",\"value\":["
                        + "{\"id\":\"busy1\",\"@removed\":{\"reason\":\"deleted\"}},"
                        + item(
                            "busy2",
                            "tentative",
                            false,
                            "accepted",
                            "2026-03-06T09:00:00.0000000",
                            "2026-03-06T10:00:00.0000000")
                        + "]}")));

    CalendarChanges changes = outlook.changes(account, "primary", cursor);

    assertThat(changes.fullSync()).isFalse();
    assertThat(changes.freed()).containsExactly("busy1");
    assertThat(changes.busy()).extracting(BusyBlock::externalId).containsExactly("busy2");
    assertThat(changes.nextCursor()).endsWith("round2");
    // The window is encoded in the token: nothing is added to the saved link.
    wm.verify(
        getRequestedFor(urlPathEqualTo(DELTA))
            .withQueryParam("$deltatoken", equalTo("round1"))
            .withQueryParam("startDateTime", absent()));
  }

  @Test
  void a410OrSyncStateNotFoundIsCursorExpiredWithoutRetrying() {
    String cursor = wm.baseUrl() + DELTA + "?$deltatoken=old";
    wm.stubFor(
        get(urlPathEqualTo(DELTA))
            .withQueryParam("$deltatoken", equalTo("old"))
            .willReturn(
                graphError(410, "syncStateNotFound", "gone")
                    .withHeader("Location", wm.baseUrl() + DELTA)));
    assertThatThrownBy(() -> outlook.changes(account, "primary", cursor))
        .isInstanceOf(CalendarProviderException.CursorExpired.class);
    wm.verify(1, getRequestedFor(urlPathEqualTo(DELTA)));

    wm.resetAll();
    wm.stubFor(
        get(urlPathEqualTo(DELTA))
            .willReturn(graphError(400, "syncStateNotFound", "The sync state is not found.")));
    assertThatThrownBy(() -> outlook.changes(account, "primary", cursor))
        .isInstanceOf(CalendarProviderException.CursorExpired.class);
  }

  @Test
  void aCursorOutsideTheGraphBaseUrlIsNeverFollowed() {
    assertThatThrownBy(
            () ->
                outlook.changes(
                    account,
                    "primary",
                    "https://evil.example/v1.0/me/calendarView/delta?$deltatoken=x"))
        .isInstanceOf(CalendarProviderException.CursorExpired.class);
    assertThat(wm.getAllServeEvents()).isEmpty();
  }

  @Test
  void a401InvalidatesTheTokenAndRepeatsOnceThenIsNotAuthorized() {
    int[] n = {0};
    TestAccount rotating = new TestAccount(() -> "token-" + (++n[0]));
    wm.stubFor(
        get(urlPathEqualTo(EVENTS))
            .willReturn(graphError(401, "InvalidAuthenticationToken", "expired")));

    assertThatThrownBy(() -> outlook.upsert(rotating, "primary", event(1)))
        .isInstanceOf(CalendarProviderException.NotAuthorized.class)
        .hasMessageNotContaining("token-");
    assertThat(rotating.invalidated).containsExactly("token-1");
    wm.verify(2, getRequestedFor(urlPathEqualTo(EVENTS)));
  }

  @Test
  void anUnknownCalendarIsGone() {
    wm.stubFor(
        get(urlPathEqualTo("/v1.0/me/calendars/nope/events"))
            .willReturn(
                graphError(
                    404, "ErrorItemNotFound", "The specified object was not found in the store.")));

    assertThatThrownBy(() -> outlook.upsert(account, "nope", event(1)))
        .isInstanceOf(CalendarProviderException.Gone.class);
  }

  @Test
  void watchRenewAndStopUseSubscriptions() {
    wm.stubFor(
        post(urlPathEqualTo("/v1.0/subscriptions"))
            .willReturn(
                json(201, "{\"id\":\"sub-1\",\"expirationDateTime\":\"2026-03-07T10:00:00Z\"}")));
    wm.stubFor(
        patch(urlPathEqualTo("/v1.0/subscriptions/sub-1"))
            .willReturn(
                json(200, "{\"id\":\"sub-1\",\"expirationDateTime\":\"2026-03-08T10:00:00Z\"}")));
    wm.stubFor(
        patch(urlPathEqualTo("/v1.0/subscriptions/sub-gone"))
            .willReturn(graphError(404, "ResourceNotFound", "gone")));
    wm.stubFor(
        delete(urlPathEqualTo("/v1.0/subscriptions/sub-1"))
            .willReturn(aResponse().withStatus(204)));
    wm.stubFor(
        delete(urlPathEqualTo("/v1.0/subscriptions/sub-gone"))
            .willReturn(graphError(404, "ResourceNotFound", "gone")));

    CalendarProvider.Watch watch =
        outlook.watch(
            account,
            "primary",
            "ch-1",
            "cl1entState",
            URI.create("https://hub.example/webhooks/microsoft"),
            Duration.ofDays(30));

    assertThat(watch)
        .isEqualTo(new CalendarProvider.Watch("sub-1", Instant.parse("2026-03-07T10:00:00Z")));
    wm.verify(
        postRequestedFor(urlPathEqualTo("/v1.0/subscriptions"))
            .withRequestBody(matchingJsonPath("$.changeType", equalTo("created,updated,deleted")))
            .withRequestBody(matchingJsonPath("$.resource", equalTo("/me/events")))
            .withRequestBody(
                matchingJsonPath(
                    "$.notificationUrl", equalTo("https://hub.example/webhooks/microsoft")))
            .withRequestBody(
                matchingJsonPath(
                    "$.lifecycleNotificationUrl",
                    equalTo("https://hub.example/webhooks/microsoft")))
            // the hub's channel id travels with its token
            .withRequestBody(matchingJsonPath("$.clientState", equalTo("ch-1.cl1entState")))
            // 30 days asked, capped just under Graph's 10 080 minutes
            .withRequestBody(
                matchingJsonPath("$.expirationDateTime", equalTo("2026-03-08T09:50:00Z"))));
    assertThat(outlook.renew(account, "sub-1", Duration.ofDays(6)))
        .contains(Instant.parse("2026-03-08T10:00:00Z"));
    assertThat(outlook.renew(account, "sub-gone", Duration.ofDays(6))).isEmpty();
    outlook.stopWatch(account, "ch-1", "sub-1");
    outlook.stopWatch(account, "ch-1", "sub-gone");
    wm.verify(1, deleteRequestedFor(urlPathEqualTo("/v1.0/subscriptions/sub-1")));
  }

  @Test
  void aRefusedSubscriptionIsNotRepeated() {
    wm.stubFor(
        post(urlPathEqualTo("/v1.0/subscriptions"))
            .willReturn(graphError(503, "ServiceUnavailable", "busy")));

    assertThatThrownBy(
            () ->
                outlook.watch(
                    account,
                    "primary",
                    "ch",
                    "state",
                    URI.create("https://hub.example/w"),
                    Duration.ofDays(1)))
        .isInstanceOf(CalendarProviderException.Retryable.class);
    wm.verify(1, postRequestedFor(urlPathEqualTo("/v1.0/subscriptions")));
  }

  @Test
  void ownEventRecognitionNeedsOurTransactionIdShape() {
    assertThat(OutlookEvents.appointmentOf("sb-" + APPOINTMENT + "-v12")).contains(APPOINTMENT);
    assertThat(OutlookEvents.appointmentOf("someone-else")).isEmpty();
    assertThat(OutlookEvents.appointmentOf(null)).isEmpty();
  }
}
