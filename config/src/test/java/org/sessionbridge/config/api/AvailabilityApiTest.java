package org.sessionbridge.config.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sessionbridge.config.api.HubClient.json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sessionbridge.config.api.HubClient.Answer;
import org.sessionbridge.core.calendar.CalendarLink;
import org.sessionbridge.core.calendar.CalendarStore;
import org.sessionbridge.core.calendar.Removal;
import org.sessionbridge.core.store.SqlTime;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Working hours, availability and the booking rules they bring, over a real socket: every refusal
 * names its field, DST days are answered in the provider's wall-clock time, and bookings racing for
 * one slot book it once.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "sessionbridge.security.operator-key=" + AvailabilityApiTest.OPERATOR,
      "spring.datasource.url=jdbc:h2:mem:availability-api-test;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000",
      "sessionbridge.outbox.poll-interval=50ms"
    })
class AvailabilityApiTest {

  static final String OPERATOR = "availability-test-operator-key-0123456789";

  /** Monday to Friday mornings in person; Monday afternoon by video on DOXY only. */
  static final String WEEK =
      "[{\"dayOfWeek\":\"MONDAY\",\"start\":\"09:00\",\"end\":\"12:00\",\"modality\":\"IN_PERSON\"},"
          + "{\"dayOfWeek\":\"MONDAY\",\"start\":\"13:00\",\"end\":\"17:00\","
          + "\"modality\":\"TELEHEALTH\",\"platforms\":[\"DOXY\"]},"
          + "{\"dayOfWeek\":\"TUESDAY\",\"start\":\"09:00\",\"end\":\"12:00\",\"modality\":\"BOTH\"},"
          + "{\"dayOfWeek\":\"SUNDAY\",\"start\":\"01:30\",\"end\":\"03:30\",\"modality\":\"BOTH\"}]";

  @LocalServerPort int port;
  @Autowired JdbcClient db;
  @Autowired CalendarStore calendars;

  HubClient hub;
  String key;
  String practiceId;
  String provider;
  String client;

  @BeforeEach
  void aProviderInNewYorkWithTwoVideoServices() {
    hub = new HubClient(port);
    JsonNode practice =
        hub.post(
                "/api/v1/practices",
                OPERATOR,
                json("name", "Harbor", "timeZone", "America/New_York"))
            .json();
    key = practice.get("apiKey").asString();
    practiceId = practice.get("id").asString();
    provider =
        created(
            hub.post(
                "/api/v1/providers",
                key,
                json(
                    "name",
                    "Dr. Maya Chen",
                    "email",
                    "maya@harbor.example",
                    "timeZone",
                    "America/New_York")));
    hub.grantTelehealth(key, provider);
    client =
        created(hub.post("/api/v1/clients", key, json("name", "Alex", "email", "a@c.example")));
    created(
        hub.post(
            "/api/v1/providers/" + provider + "/video-services", key, json("platform", "ZOOM")));
    created(
        hub.post(
            "/api/v1/providers/" + provider + "/video-services",
            key,
            json("platform", "DOXY", "url", "https://doxy.me/drchen")));
  }

  @Test
  void workingHoursAreReplacedAndReadBackInTheProvidersZone() {
    Answer put = hub.put("/api/v1/providers/" + provider + "/working-hours", key, WEEK);
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    JsonNode body = put.json();
    assertThat(body.get("providerId").asString()).isEqualTo(provider);
    assertThat(body.get("timeZone").asString()).isEqualTo("America/New_York");
    JsonNode sections = body.get("sections");
    assertThat(sections.size()).isEqualTo(4);
    assertThat(sections.get(0).get("dayOfWeek").asString()).isEqualTo("MONDAY");
    assertThat(sections.get(0).get("start").asString()).isEqualTo("09:00");
    assertThat(sections.get(0).get("platforms").isNull()).isTrue();
    assertThat(sections.get(1).get("platforms").get(0).asString()).isEqualTo("DOXY");
    assertThat(sections.get(3).get("dayOfWeek").asString()).isEqualTo("SUNDAY");

    Answer read = hub.get("/api/v1/providers/" + provider + "/working-hours", key);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json()).isEqualTo(body);

    Answer cleared = hub.put("/api/v1/providers/" + provider + "/working-hours", key, "[]");
    assertThat(cleared.json().get("sections").size()).isZero();
  }

  static Stream<Arguments> badWorkingHours() {
    return Stream.of(
        Arguments.of(
            "unknown day",
            "[{\"dayOfWeek\":\"FUNDAY\",\"start\":\"09:00\",\"end\":\"12:00\",\"modality\":\"BOTH\"}]",
            400,
            "[0].dayOfWeek",
            "must be one of MONDAY, TUESDAY"),
        Arguments.of(
            "unknown modality",
            "[{\"dayOfWeek\":\"MONDAY\",\"start\":\"09:00\",\"end\":\"12:00\",\"modality\":\"VIDEO\"}]",
            400,
            "[0].modality",
            "must be one of IN_PERSON, TELEHEALTH, BOTH"),
        Arguments.of(
            "time not HH:mm",
            "[{\"dayOfWeek\":\"MONDAY\",\"start\":\"9am\",\"end\":\"12:00\",\"modality\":\"BOTH\"}]",
            400,
            "[0].start",
            "must be a time of day"),
        Arguments.of(
            "unknown platform",
            "[{\"dayOfWeek\":\"MONDAY\",\"start\":\"09:00\",\"end\":\"12:00\","
                + "\"modality\":\"TELEHEALTH\",\"platforms\":[\"ZOOM\",\"SNAPCHAT\"]}]",
            400,
            "[0].platforms[1]",
            "must be one of ZOOM"),
        Arguments.of("not a section", "[null]", 400, "[0]", "must be a section"),
        Arguments.of(
            "end before start",
            "[{\"dayOfWeek\":\"MONDAY\",\"start\":\"12:00\",\"end\":\"09:00\",\"modality\":\"BOTH\"}]",
            422,
            "[0].end",
            "must be after start"),
        Arguments.of(
            "end equals start",
            "[{\"dayOfWeek\":\"MONDAY\",\"start\":\"12:00\",\"end\":\"12:00\",\"modality\":\"BOTH\"}]",
            422,
            "[0].end",
            "must be after start"),
        Arguments.of(
            "overlapping sections",
            "[{\"dayOfWeek\":\"MONDAY\",\"start\":\"09:00\",\"end\":\"12:00\",\"modality\":\"BOTH\"},"
                + "{\"dayOfWeek\":\"TUESDAY\",\"start\":\"09:00\",\"end\":\"12:00\",\"modality\":\"BOTH\"},"
                + "{\"dayOfWeek\":\"MONDAY\",\"start\":\"11:30\",\"end\":\"13:00\",\"modality\":\"BOTH\"}]",
            422,
            "[2].start",
            "overlaps section [0] on the same day"),
        Arguments.of(
            "platform the provider does not offer",
            "[{\"dayOfWeek\":\"MONDAY\",\"start\":\"09:00\",\"end\":\"12:00\","
                + "\"modality\":\"TELEHEALTH\",\"platforms\":[\"VSEE\"]}]",
            422,
            "[0].platforms",
            "names a video service the provider does not offer"),
        Arguments.of(
            "platforms on an in-person section",
            "[{\"dayOfWeek\":\"MONDAY\",\"start\":\"09:00\",\"end\":\"12:00\","
                + "\"modality\":\"IN_PERSON\",\"platforms\":[\"ZOOM\"]}]",
            422,
            "[0].platforms",
            "only TELEHEALTH or BOTH sections offer video services"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badWorkingHours")
  void badWorkingHoursGetAProblemNamingTheField(
      String name, String body, int status, String field, String reason) {
    hub.put("/api/v1/providers/" + provider + "/working-hours", key, WEEK);
    Answer answer = hub.put("/api/v1/providers/" + provider + "/working-hours", key, body);
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(answer.json().get("field").asString()).isEqualTo(field);
    assertThat(answer.json().get("reason").asString()).contains(reason);
    assertThat(
            hub.get("/api/v1/providers/" + provider + "/working-hours", key)
                .json()
                .get("sections")
                .size())
        .as("the working hours are as they were")
        .isEqualTo(4);
  }

  @Test
  void availabilityIsWorkingHoursMinusSessionsAndBusyTimeByModality() {
    hub.put("/api/v1/providers/" + provider + "/working-hours", key, WEEK);
    book("2030-03-04T10:00:00-05:00", "2030-03-04T10:50:00-05:00", "IN_PERSON", null, false);
    busy("2030-03-04T14:00:00-05:00", "2030-03-04T15:00:00-05:00");

    Answer answer =
        hub.get(
            availability("2030-03-04T00:00:00-05:00", "2030-03-05T00:00:00-05:00", 60, null)
                + "&step=60",
            key);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    JsonNode body = answer.json();
    assertThat(body.get("providerId").asString()).isEqualTo(provider);
    assertThat(body.get("timeZone").asString()).isEqualTo("America/New_York");
    assertThat(body.get("duration").asInt()).isEqualTo(60);
    assertThat(starts(body))
        .containsExactly(
            "2030-03-04T09:00:00-05:00",
            "2030-03-04T11:00:00-05:00",
            "2030-03-04T13:00:00-05:00",
            "2030-03-04T15:00:00-05:00",
            "2030-03-04T16:00:00-05:00");
    JsonNode morning = body.get("slots").get(0);
    assertThat(morning.get("end").asString()).isEqualTo("2030-03-04T10:00:00-05:00");
    assertThat(morning.get("modalities").get(0).asString()).isEqualTo("IN_PERSON");
    assertThat(morning.get("platforms").isNull()).isTrue();
    JsonNode afternoon = body.get("slots").get(2);
    assertThat(afternoon.get("modalities").get(0).asString()).isEqualTo("TELEHEALTH");
    assertThat(afternoon.get("platforms").size()).isEqualTo(1);
    assertThat(afternoon.get("platforms").get(0).asString()).isEqualTo("DOXY");

    assertThat(
            starts(
                hub.get(
                        availability(
                                "2030-03-04T00:00:00-05:00",
                                "2030-03-05T00:00:00-05:00",
                                60,
                                "TELEHEALTH")
                            + "&step=60",
                        key)
                    .json()))
        .containsExactly(
            "2030-03-04T13:00:00-05:00", "2030-03-04T15:00:00-05:00", "2030-03-04T16:00:00-05:00");
    JsonNode tuesday =
        hub.get(
                availability("2030-03-05T09:00:00-05:00", "2030-03-05T09:01:00-05:00", 50, null),
                key)
            .json()
            .get("slots")
            .get(0);
    assertThat(tuesday.get("modalities").size()).isEqualTo(2);
    assertThat(tuesday.get("platforms").size()).as("all the provider's services").isEqualTo(2);
  }

  @Test
  void aProviderWithoutWorkingHoursHasNoSlotsButBooksAsBefore() {
    Answer answer =
        hub.get(
            availability("2030-03-04T00:00:00-05:00", "2030-03-11T00:00:00-05:00", 50, null), key);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().get("slots").size()).isZero();
    assertThat(
            book("2030-03-09T23:00:00-05:00", "2030-03-09T23:50:00-05:00", "IN_PERSON", null, false)
                .status())
        .isEqualTo(201);
    assertThat(
            book("2030-03-09T23:00:00-05:00", "2030-03-09T23:50:00-05:00", "IN_PERSON", null, false)
                .status())
        .as("no double-booking check either: today's behaviour")
        .isEqualTo(201);
  }

  @Test
  void dstDaysAreAnsweredInTheProvidersWallClockTime() {
    hub.put("/api/v1/providers/" + provider + "/working-hours", key, WEEK);
    // Sunday 01:30-03:30: one hour on the spring-forward night, three on the fall-back night.
    assertThat(
            starts(
                hub.get(
                        availability(
                                "2030-03-10T00:00:00-05:00", "2030-03-11T00:00:00-04:00", 30, null)
                            + "&step=30",
                        key)
                    .json()))
        .containsExactly("2030-03-10T01:30:00-05:00", "2030-03-10T03:00:00-04:00");
    assertThat(
            starts(
                hub.get(
                        availability(
                                "2030-11-03T00:00:00-04:00", "2030-11-04T00:00:00-05:00", 60, null)
                            + "&step=30",
                        key)
                    .json()))
        .containsExactly(
            "2030-11-03T01:30:00-04:00",
            "2030-11-03T01:00:00-05:00",
            "2030-11-03T01:30:00-05:00",
            "2030-11-03T02:00:00-05:00",
            "2030-11-03T02:30:00-05:00");
    // The hour that remains on the spring-forward night can be booked; the clock hour after not.
    assertThat(
            book("2030-03-10T01:30:00-05:00", "2030-03-10T03:30:00-04:00", "IN_PERSON", null, false)
                .status())
        .isEqualTo(201);
    Answer after =
        book("2030-03-10T03:30:00-04:00", "2030-03-10T04:00:00-04:00", "IN_PERSON", null, false);
    assertThat(after.status()).isEqualTo(422);
    assertThat(after.json().get("field").asString()).isEqualTo("start");
  }

  @Test
  void availabilityBoundsAreChecked() {
    String base = "/api/v1/providers/" + provider + "/availability?";
    assertProblem(
        hub.get(base + "from=2030-03-05T00:00:00Z&to=2030-03-04T00:00:00Z&duration=50", key),
        400,
        "to",
        "must be after from");
    assertProblem(
        hub.get(base + "from=2030-03-01T00:00:00Z&to=2030-05-03T00:00:00Z&duration=50", key),
        400,
        "to",
        "at most 62 days");
    assertProblem(hub.get(base + "from=2030-03-01T00:00:00Z", key), 400, "duration", "is required");
    assertProblem(hub.get(base + "duration=4", key), 400, "duration", "between 5 and 480");
    assertProblem(hub.get(base + "duration=481", key), 400, "duration", "between 5 and 480");
    assertProblem(hub.get(base + "duration=fifty", key), 400, "duration", "whole number");
    assertProblem(hub.get(base + "duration=50&step=0", key), 400, "step", "between 5 and 480");
    assertProblem(
        hub.get(base + "duration=50&modality=VIDEO", key), 400, "modality", "must be one of");
    assertProblem(
        hub.get(base + "duration=50&from=2030-03-01T09:00", key), 400, "from", "with offset");
    assertThat(
            hub.get(base + "from=2030-03-01T00:00:00Z&to=2030-05-02T00:00:00Z&duration=50", key)
                .status())
        .as("62 days exactly")
        .isEqualTo(200);
  }

  @Test
  void anotherPracticesKeySeesNoneOfIt() {
    hub.put("/api/v1/providers/" + provider + "/working-hours", key, WEEK);
    String other =
        hub.post("/api/v1/practices", OPERATOR, json("name", "Elsewhere", "timeZone", "UTC"))
            .json()
            .get("apiKey")
            .asString();
    assertThat(hub.get("/api/v1/providers/" + provider + "/working-hours", other).status())
        .isEqualTo(404);
    assertThat(hub.put("/api/v1/providers/" + provider + "/working-hours", other, "[]").status())
        .isEqualTo(404);
    assertThat(hub.get(availability(null, null, 50, null), other).status()).isEqualTo(404);
    assertThat(
            hub.get("/api/v1/providers/" + provider + "/working-hours", key)
                .json()
                .get("sections")
                .size())
        .as("untouched")
        .isEqualTo(4);
    assertThat(
            hub.get("/api/v1/providers/" + UUID.randomUUID() + "/availability?duration=50", key)
                .status())
        .isEqualTo(404);
  }

  @Test
  void bookingsOutsideAvailabilityAreRefusedWithTheReasonUnlessForced() {
    hub.put("/api/v1/providers/" + provider + "/working-hours", key, WEEK);
    long before = appointmentRows();

    assertProblem(
        book("2030-03-04T08:30:00-05:00", "2030-03-04T09:20:00-05:00", "IN_PERSON", null, false),
        422,
        "start",
        "outside the provider's working hours");
    assertProblem(
        book("2030-03-04T09:00:00-05:00", "2030-03-04T09:50:00-05:00", "TELEHEALTH", "ZOOM", false),
        422,
        "modality",
        "does not offer telehealth sessions at this time");
    assertProblem(
        book("2030-03-04T13:00:00-05:00", "2030-03-04T13:50:00-05:00", "IN_PERSON", null, false),
        422,
        "modality",
        "does not see clients in person at this time");
    assertProblem(
        book("2030-03-04T13:00:00-05:00", "2030-03-04T13:50:00-05:00", "TELEHEALTH", "ZOOM", false),
        422,
        "videoPlatform",
        "offered then: DOXY");
    busy("2030-03-05T09:30:00-05:00", "2030-03-05T10:00:00-05:00");
    assertProblem(
        book("2030-03-05T09:00:00-05:00", "2030-03-05T09:50:00-05:00", "IN_PERSON", null, false),
        422,
        "start",
        "busy at this time in a linked calendar");
    assertThat(appointmentRows()).as("nothing written").isEqualTo(before);

    String first =
        created(
            book(
                "2030-03-04T13:00:00-05:00",
                "2030-03-04T13:50:00-05:00",
                "TELEHEALTH",
                "DOXY",
                false));
    assertProblem(
        book("2030-03-04T13:30:00-05:00", "2030-03-04T14:20:00-05:00", "TELEHEALTH", "DOXY", false),
        409,
        "start",
        "already has a session at this time");

    Answer forced =
        book("2030-03-04T13:30:00-05:00", "2030-03-04T14:20:00-05:00", "TELEHEALTH", "ZOOM", true);
    assertThat(forced.status()).as(forced.body()).isEqualTo(201);
    assertThat(forced.json().get("videoPlatform").asString()).isEqualTo("ZOOM");
    Answer sunday =
        book("2030-03-09T20:00:00-05:00", "2030-03-09T20:50:00-05:00", "IN_PERSON", null, true);
    assertThat(sunday.status()).isEqualTo(201);

    // Reschedules are checked the same way, and force moves anyway.
    assertProblem(
        hub.patch(
            "/api/v1/appointments/" + first,
            key,
            json("start", "2030-03-04T17:00:00-05:00"),
            Map.of()),
        422,
        "start",
        "outside the provider's working hours");
    assertProblem(
        hub.patch("/api/v1/appointments/" + first, key, json("videoPlatform", "ZOOM"), Map.of()),
        422,
        "videoPlatform",
        "offered then: DOXY");
    Answer moved =
        hub.patch(
            "/api/v1/appointments/" + first,
            key,
            "{\"start\":\"2030-03-04T15:00:00-05:00\"}",
            Map.of("If-Match", "\"1\""));
    assertThat(moved.status()).as(moved.body()).isEqualTo(200);
    Answer forcedMove =
        hub.patch(
            "/api/v1/appointments/" + first,
            key,
            "{\"start\":\"2030-03-04T18:00:00-05:00\",\"force\":true}",
            Map.of("If-Match", "\"2\""));
    assertThat(forcedMove.status()).as(forcedMove.body()).isEqualTo(200);
    assertThat(forcedMove.json().get("end").asString()).isEqualTo("2030-03-04T18:50:00-05:00");
  }

  @Test
  void bookingsRacingForOneSlotBookItOnce() throws Exception {
    hub.put("/api/v1/providers/" + provider + "/working-hours", key, WEEK);
    int racers = 6;
    List<String> clients = new ArrayList<>();
    for (int i = 0; i < racers; i++) {
      clients.add(
          created(
              hub.post(
                  "/api/v1/clients", key, json("name", "R" + i, "email", "r" + i + "@c.example"))));
    }
    ExecutorService threads = Executors.newFixedThreadPool(racers);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Answer>> answers = new ArrayList<>();
      for (String c : clients) {
        answers.add(
            threads.submit(
                () -> {
                  go.await(30, TimeUnit.SECONDS);
                  return hub.post(
                      "/api/v1/appointments",
                      key,
                      json(
                          "providerId", provider,
                          "clientIds", List.of(c),
                          "start", "2030-03-05T10:00:00-05:00",
                          "end", "2030-03-05T10:50:00-05:00",
                          "timeZone", "America/New_York",
                          "modality", "IN_PERSON"));
                }));
      }
      go.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<Answer> a : answers) {
        statuses.add(a.get(60, TimeUnit.SECONDS).status());
      }
      assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
      assertThat(statuses).filteredOn(s -> s == 409).hasSize(racers - 1);
      assertThat(
              db.sql(
                      "select count(*) from appointment where provider_id = :p and status = 'BOOKED'")
                  .param("p", UUID.fromString(provider))
                  .query(Long.class)
                  .single())
          .isEqualTo(1);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void theOpenApiDocumentDescribesTheNewCalls() {
    String docs = hub.get("/v3/api-docs", null).body();
    assertThat(docs)
        .contains("/api/v1/providers/{id}/working-hours")
        .contains("/api/v1/providers/{id}/availability");
  }

  // ---- helpers -------------------------------------------------------------------------------

  private String availability(
      @org.jspecify.annotations.Nullable String from,
      @org.jspecify.annotations.Nullable String to,
      int duration,
      @org.jspecify.annotations.Nullable String modality) {
    StringBuilder q =
        new StringBuilder("/api/v1/providers/" + provider + "/availability?duration=" + duration);
    if (from != null) {
      q.append("&from=").append(from.replace("+", "%2B"));
    }
    if (to != null) {
      q.append("&to=").append(to.replace("+", "%2B"));
    }
    if (modality != null) {
      q.append("&modality=").append(modality);
    }
    return q.toString();
  }

  private Answer book(
      String start,
      String end,
      String modality,
      @org.jspecify.annotations.Nullable String platform,
      boolean force) {
    StringBuilder body =
        new StringBuilder(
            "{\"providerId\":\""
                + provider
                + "\",\"clientIds\":[\""
                + client
                + "\"],\"start\":\""
                + start
                + "\",\"end\":\""
                + end
                + "\",\"timeZone\":\"America/New_York\",\"modality\":\""
                + modality
                + "\"");
    if (platform != null) {
      body.append(",\"videoPlatform\":\"").append(platform).append('"');
    }
    if (force) {
      body.append(",\"force\":true");
    }
    return hub.post("/api/v1/appointments", key, body.append('}').toString());
  }

  private void busy(String start, String end) {
    CalendarLink link =
        calendars.link(
            UUID.fromString(practiceId),
            UUID.fromString(provider),
            CalendarLink.Kind.GOOGLE,
            "primary-" + UUID.randomUUID(),
            true,
            Removal.DELETE);
    db.sql(
            "insert into busy_block (link_id, external_id, start_at, end_at, all_day, updated_at)"
                + " values (:link, 'gym', :s, :e, false, :s)")
        .param("link", link.id())
        .param("s", SqlTime.utc(java.time.OffsetDateTime.parse(start).toInstant()))
        .param("e", SqlTime.utc(java.time.OffsetDateTime.parse(end).toInstant()))
        .update();
  }

  private static void assertProblem(Answer answer, int status, String field, String reason) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(answer.json().get("field").asString()).isEqualTo(field);
    assertThat(answer.json().get("reason").asString()).contains(reason);
  }

  private static List<String> starts(JsonNode availability) {
    List<String> starts = new ArrayList<>();
    for (JsonNode slot : availability.get("slots")) {
      starts.add(slot.get("start").asString());
    }
    return starts;
  }

  private static String created(Answer a) {
    assertThat(a.status()).as(a.body()).isEqualTo(201);
    return a.json().get("id").asString();
  }

  private long appointmentRows() {
    return db.sql("select count(*) from appointment").query(Long.class).single();
  }
}
