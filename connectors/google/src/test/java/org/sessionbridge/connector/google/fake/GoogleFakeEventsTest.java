package org.sessionbridge.connector.google.fake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Google's event semantics over raw HTTP, beyond what the connector sends. */
class GoogleFakeEventsTest {

  private static final String USER = "dr.jones@example.com";
  private static final String EVENTS = "/calendars/primary/events";
  private static final String ID = "sb0123456789abcdefghijklmnopqr";
  private static final String BODY =
      """
      { "id": "%s", "summary": "Session",
        "start": { "dateTime": "2026-03-02T14:00:00Z", "timeZone": "Europe/Paris" },
        "end":   { "dateTime": "2026-03-02T14:50:00Z", "timeZone": "Europe/Paris" },
        "extendedProperties": { "private": { "hubAppointmentId": "A-123" } },
        "visibility": "private" }
      """;

  private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T08:00:00Z"));
  private final GoogleFake google = GoogleFake.start(0, clock).addUser(USER);
  private final GoogleWire wire = new GoogleWire(google.baseUrl());
  private final String token = google.issueAccessToken(USER);

  @AfterEach
  void stop() {
    google.close();
  }

  @Test
  void insertAnswers200WithGooglesFieldsAndTimesInTheEventsZone() {
    GoogleWire.Answer inserted = wire.call("POST", EVENTS, token, BODY.formatted(ID));

    assertThat(inserted.status()).isEqualTo(200);
    JsonNode event = inserted.json();
    assertThat(event.path("kind").asString()).isEqualTo("calendar#event");
    assertThat(event.path("id").asString()).isEqualTo(ID);
    assertThat(event.path("status").asString()).isEqualTo("confirmed");
    assertThat(event.path("iCalUID").asString()).isEqualTo(ID + "@google.com");
    assertThat(event.path("start").path("dateTime").asString())
        .isEqualTo("2026-03-02T15:00:00+01:00");
    assertThat(event.path("created").asString()).isEqualTo("2026-03-01T08:00:00.000Z");
    assertThat(event.path("organizer").path("self").asBoolean()).isTrue();
    assertThat(event.path("visibility").asString()).isEqualTo("private");
    assertThat(event.has("transparency")).isFalse(); // the default "opaque" is left out
    assertThat(event.path("extendedProperties").path("private").path("hubAppointmentId").asString())
        .isEqualTo("A-123");
  }

  @Test
  void anIdOutsideBase32hexIsRefusedAndAnExistingOneIsADuplicateEvenWhenDeleted() {
    GoogleWire.Answer badId = wire.call("POST", EVENTS, token, BODY.formatted("UPPER-case-w"));
    wire.call("POST", EVENTS, token, BODY.formatted(ID));
    GoogleWire.Answer deleted = wire.call("DELETE", EVENTS + "/" + ID, token, "");

    GoogleWire.Answer again = wire.call("POST", EVENTS, token, BODY.formatted(ID));

    assertThat(badId.status()).isEqualTo(400);
    assertThat(badId.reason()).isEqualTo("invalid");
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(deleted.body()).isEmpty();
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.reason()).isEqualTo("duplicate");
    assertThat(again.json().path("error").path("message").asString())
        .isEqualTo("The requested identifier already exists.");
  }

  @Test
  void deletingTwiceIsGoneAndTheDeletedEventStaysReadableAsCancelled() {
    wire.call("POST", EVENTS, token, BODY.formatted(ID));
    wire.call("DELETE", EVENTS + "/" + ID, token, "");

    GoogleWire.Answer second = wire.call("DELETE", EVENTS + "/" + ID, token, "");
    GoogleWire.Answer read = wire.call("GET", EVENTS + "/" + ID, token, "");
    GoogleWire.Answer never = wire.call("DELETE", EVENTS + "/nosuchevent0", token, "");

    assertThat(second.status()).isEqualTo(410);
    assertThat(second.reason()).isEqualTo("deleted");
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().path("status").asString()).isEqualTo("cancelled");
    assertThat(never.status()).isEqualTo(404);
    assertThat(never.reason()).isEqualTo("notFound");
  }

  @Test
  void patchMergesFieldsChangesTheEtagAndHonoursTheMethodOverride() {
    String etag =
        wire.call("POST", EVENTS, token, BODY.formatted(ID)).json().path("etag").asString();

    GoogleWire.Answer patched =
        wire.call(
            "POST",
            EVENTS + "/" + ID,
            token,
            "{\"summary\":\"Moved\",\"extendedProperties\":{\"private\":{\"v\":\"2\"}}}",
            "X-HTTP-Method-Override",
            "PATCH");
    GoogleWire.Answer stale =
        wire.call("PATCH", EVENTS + "/" + ID, token, "{\"summary\":\"x\"}", "If-Match", etag);

    assertThat(patched.status()).isEqualTo(200);
    JsonNode event = patched.json();
    assertThat(event.path("summary").asString()).isEqualTo("Moved");
    assertThat(event.path("visibility").asString()).isEqualTo("private"); // untouched
    assertThat(event.path("extendedProperties").path("private").path("hubAppointmentId").asString())
        .isEqualTo("A-123");
    assertThat(event.path("extendedProperties").path("private").path("v").asString())
        .isEqualTo("2");
    assertThat(event.path("etag").asString()).isNotEqualTo(etag);
    assertThat(stale.status()).isEqualTo(412);
    assertThat(google.counts().patches()).isEqualTo(1);
  }

  @Test
  void updateReplacesTheWholeEventAndNeedsItsTimes() {
    wire.call("POST", EVENTS, token, BODY.formatted(ID));

    GoogleWire.Answer noTimes = wire.call("PUT", EVENTS + "/" + ID, token, "{\"summary\":\"x\"}");
    GoogleWire.Answer backwards =
        wire.call(
            "PUT",
            EVENTS + "/" + ID,
            token,
            "{\"start\":{\"date\":\"2026-03-03\"},\"end\":{\"date\":\"2026-03-02\"}}");
    GoogleWire.Answer allDay =
        wire.call(
            "PUT",
            EVENTS + "/" + ID,
            token,
            "{\"start\":{\"date\":\"2026-03-02\"},\"end\":{\"date\":\"2026-03-03\"},"
                + "\"transparency\":\"transparent\"}");

    assertThat(noTimes.status()).isEqualTo(400);
    assertThat(noTimes.reason()).isEqualTo("required");
    assertThat(backwards.reason()).isEqualTo("timeRangeEmpty");
    assertThat(allDay.status()).isEqualTo(200);
    assertThat(allDay.json().has("extendedProperties")).isFalse();
    assertThat(allDay.json().path("transparency").asString()).isEqualTo("transparent");
    GoogleFake.StoredEvent stored = google.event(USER, ID).orElseThrow();
    assertThat(stored.allDay()).isTrue();
    assertThat(stored.transparent()).isTrue();
    assertThat(stored.start()).isEqualTo(Instant.parse("2026-03-02T00:00:00Z"));
  }

  @Test
  void anotherUsersCalendarIsNotFound() {
    google.addUser("other@example.com");
    String calendar = google.addCalendar("other@example.com", "Work");

    assertThat(wire.call("GET", "/calendars/other@example.com/events", token, "").status())
        .isEqualTo(404);
    assertThat(wire.call("GET", "/calendars/" + calendar + "/events", token, "").status())
        .isEqualTo(404);
    String own = google.addCalendar(USER, "Practice");
    assertThat(wire.call("GET", "/calendars/" + own + "/events", token, "").status())
        .isEqualTo(200);
  }

  @Test
  void listsPagesFiltersAndRefusesForbiddenParametersWithASyncToken() {
    for (int i = 0; i < 3; i++) {
      wire.call("POST", EVENTS, token, BODY.formatted(ID + i));
    }
    wire.call("DELETE", EVENTS + "/" + ID + "0", token, "");

    JsonNode page1 = wire.call("GET", EVENTS + "?maxResults=1", token, "").json();
    JsonNode page2 =
        wire.call(
                "GET",
                EVENTS + "?maxResults=1&pageToken=" + page1.path("nextPageToken").asString(),
                token,
                "")
            .json();
    JsonNode withDeleted = wire.call("GET", EVENTS + "?showDeleted=true", token, "").json();
    JsonNode byProperty =
        wire.call(
                "GET",
                EVENTS + "?privateExtendedProperty=" + GoogleWire.encode("hubAppointmentId=A-123"),
                token,
                "")
            .json();
    JsonNode after =
        wire.call(
                "GET", EVENTS + "?timeMin=" + GoogleWire.encode("2026-03-02T15:00:00Z"), token, "")
            .json();

    assertThat(page1.path("items")).hasSize(1);
    assertThat(page1.has("nextSyncToken")).isFalse();
    assertThat(page2.path("items")).hasSize(1);
    assertThat(page2.has("nextPageToken")).isFalse();
    String syncToken = page2.path("nextSyncToken").asString();
    assertThat(syncToken).isNotBlank();
    assertThat(withDeleted.path("items")).hasSize(3);
    assertThat(byProperty.path("items")).hasSize(2);
    assertThat(after.path("items")).isEmpty();

    GoogleWire.Answer restricted =
        wire.call(
            "GET",
            EVENTS
                + "?syncToken="
                + syncToken
                + "&timeMin="
                + GoogleWire.encode("2026-03-01T00:00:00Z"),
            token,
            "");
    assertThat(restricted.status()).isEqualTo(400);
    assertThat(restricted.reason()).isEqualTo("syncTokenWithRequestRestrictions");

    wire.call("DELETE", EVENTS + "/" + ID + "1", token, "");
    JsonNode changes = wire.call("GET", EVENTS + "?syncToken=" + syncToken, token, "").json();
    assertThat(changes.path("items")).hasSize(1);
    JsonNode cancelled = changes.path("items").path(0);
    assertThat(cancelled.path("id").asString()).isEqualTo(ID + "1");
    assertThat(cancelled.path("status").asString()).isEqualTo("cancelled");
    assertThat(cancelled.has("summary")).isFalse(); // Google's short form for deleted events

    google.expireSyncTokens(USER);
    GoogleWire.Answer expired = wire.call("GET", EVENTS + "?syncToken=" + syncToken, token, "");
    assertThat(expired.status()).isEqualTo(410);
    assertThat(expired.reason()).isEqualTo("fullSyncRequired");
  }

  @Test
  void latencyAndADelayHoldTheAnswer() {
    google.latency(Duration.ofMillis(40));
    google.delayNext(Duration.ofMillis(60));

    long started = System.nanoTime();
    wire.call("GET", EVENTS, token, "");
    long first = System.nanoTime() - started;
    started = System.nanoTime();
    wire.call("GET", EVENTS, token, "");
    long second = System.nanoTime() - started;

    assertThat(Duration.ofNanos(first)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
    assertThat(Duration.ofNanos(second)).isGreaterThanOrEqualTo(Duration.ofMillis(40));
  }

  @Test
  void aDroppedAnswerStillAppliesTheCall() {
    google.dropNextResponse();

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> wire.call("POST", EVENTS, token, BODY.formatted(ID)))
        .isInstanceOf(java.io.UncheckedIOException.class);

    assertThat(google.event(USER, ID)).isPresent();
    assertThat(wire.call("POST", EVENTS, token, BODY.formatted(ID)).status()).isEqualTo(409);
  }

  @Test
  void faultsAndTheRateLimitAnswerLikeGoogle() {
    google.failNext(1, 503, "backendError", Map.of("X-Test", "1"));
    GoogleWire.Answer outage = wire.call("GET", EVENTS, token, "");
    assertThat(outage.status()).isEqualTo(503);
    assertThat(outage.reason()).isEqualTo("backendError");
    assertThat(outage.header("X-Test")).isEqualTo("1");

    google.perUserRateLimit(1, GoogleFake.RateLimitAnswer.TOO_MANY_429);
    assertThat(wire.call("GET", EVENTS, token, "").status()).isEqualTo(200);
    GoogleWire.Answer limited = wire.call("GET", EVENTS, token, "");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.reason()).isEqualTo("rateLimitExceeded");
    assertThat(limited.header("Retry-After")).isEqualTo("1");
    google.perUserRateLimit(1, GoogleFake.RateLimitAnswer.FORBIDDEN_403);
    wire.call("GET", EVENTS, token, "");
    GoogleWire.Answer forbidden = wire.call("GET", EVENTS, token, "");
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.json().path("error").path("errors").path(0).path("domain").asString())
        .isEqualTo("usageLimits");
    clock.advance(Duration.ofSeconds(1));
    assertThat(wire.call("GET", EVENTS, token, "").status()).isEqualTo(200);
    assertThat(google.counts().rateLimited()).isEqualTo(2);
    assertThat(google.counts().injectedFaults()).isEqualTo(1);
  }
}
