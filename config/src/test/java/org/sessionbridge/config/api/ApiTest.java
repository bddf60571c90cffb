package org.sessionbridge.config.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sessionbridge.config.api.HubClient.json;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sessionbridge.config.api.HubClient.Answer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The REST contract of ARCHITECTURE.md, over a real socket, with every bad input the issue names.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "sessionbridge.security.operator-key=" + ApiTest.OPERATOR,
      "spring.datasource.url=jdbc:h2:mem:api-test;DB_CLOSE_DELAY=-1",
      "sessionbridge.outbox.poll-interval=50ms"
    })
@ExtendWith(OutputCaptureExtension.class)
class ApiTest {

  static final String OPERATOR = "api-test-operator-key-0123456789abcdef";

  @LocalServerPort int port;
  @Autowired JdbcClient db;

  HubClient hub;
  String key;
  String provider;
  String client;
  String client2;

  @BeforeEach
  void newPractice() {
    hub = new HubClient(port);
    key = createPractice("Lakeside Therapy").get("apiKey").asString();
    provider =
        created(
            hub.post(
                "/api/v1/providers",
                key,
                json(
                    "name",
                    "Dr. Ada Park",
                    "email",
                    "ada@lakeside.example",
                    "timeZone",
                    "America/Denver")));
    hub.grantTelehealth(key, provider);
    client =
        created(
            hub.post(
                "/api/v1/clients", key, json("name", "River Stone", "email", "river@c.example")));
    client2 =
        created(
            hub.post(
                "/api/v1/clients",
                key,
                json("name", "Sky Blue", "email", "sky@c.example", "phone", "+15555550123")));
  }

  @Test
  void operatorCreatesPracticeAndItsKeyIsShownOnlyOnce() {
    Answer created =
        hub.post(
            "/api/v1/practices", OPERATOR, json("name", "Harbor", "timeZone", "Europe/Berlin"));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("Location")).startsWith("/api/v1/practices/");
    assertThat(created.header("Cache-Control")).isEqualTo("no-store");
    JsonNode body = created.json();
    assertThat(body.get("apiKey").asString()).startsWith("sbk_").hasSizeGreaterThan(40);
    Answer read = hub.get("/api/v1/practices/" + body.get("id").asString(), OPERATOR);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.body())
        .doesNotContain(body.get("apiKey").asString())
        .doesNotContain("apiKey\"");
    assertThat(read.json().get("timeZone").asString()).isEqualTo("Europe/Berlin");
    assertThat(
            db.sql("select count(*) from practice where api_key_hash = :k")
                .param("k", body.get("apiKey").asString())
                .query(Long.class)
                .single())
        .as("the plain key is not stored")
        .isZero();
  }

  @Test
  void rotatedKeyReplacesTheOldOne() {
    JsonNode practice = createPractice("Rotating");
    String old = practice.get("apiKey").asString();
    Answer rotated =
        hub.post("/api/v1/practices/" + practice.get("id").asString() + "/api-key", OPERATOR, null);
    assertThat(rotated.status()).isEqualTo(200);
    String fresh = rotated.json().get("apiKey").asString();
    assertThat(hub.get("/api/v1/practice", old).status()).isEqualTo(401);
    assertThat(hub.get("/api/v1/practice", fresh).status()).isEqualTo(200);
  }

  @Test
  void callsWithoutAValidKeyAreRefused() {
    Answer none = hub.get("/api/v1/appointments", null);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(none.contentType()).startsWith("application/problem+json");
    assertThat(hub.get("/api/v1/appointments", "sbk_not-a-real-key").status()).isEqualTo(401);
    Answer basic =
        hub.send(
            hub.builder("/api/v1/appointments", null, Map.of("Authorization", "Basic Zm9vOmJhcg=="))
                .GET()
                .build());
    assertThat(basic.status()).isEqualTo(401);
    assertThat(hub.post("/api/v1/practices", key, json("name", "x", "timeZone", "UTC")).status())
        .as("a practice key cannot create practices")
        .isEqualTo(403);
    assertThat(hub.get("/api/v1/dead-letters", key).status()).isEqualTo(403);
    assertThat(hub.get("/api/v1/appointments", OPERATOR).status())
        .as("the operator key does not act as a practice")
        .isEqualTo(403);
  }

  @Test
  void booksReadsListsReschedulesAndCancelsASession() {
    Answer booked =
        hub.post(
            "/api/v1/appointments",
            key,
            booking(
                provider,
                List.of(client),
                "2030-03-04T10:00:00-07:00",
                "2030-03-04T10:50:00-07:00",
                "TELEHEALTH"));
    assertThat(booked.status()).isEqualTo(201);
    JsonNode a = booked.json();
    String id = a.get("id").asString();
    assertThat(a.get("version").asLong()).isEqualTo(1);
    assertThat(a.get("status").asString()).isEqualTo("BOOKED");
    assertThat(a.get("start").asString()).isEqualTo("2030-03-04T10:00:00-07:00");
    assertThat(a.get("timeZone").asString()).isEqualTo("America/Denver");
    assertThat(a.get("telehealth").get("waitingRoom").asString()).isEqualTo("PENDING");
    assertThat(a.get("calendarEvents").size()).isZero();
    assertThat(booked.header("ETag")).isEqualTo("\"1\"");
    assertThat(booked.header("Location")).isEqualTo("/api/v1/appointments/" + id);

    Answer read = hub.get("/api/v1/appointments/" + id, key);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().get("clientIds").get(0).asString()).isEqualTo(client);

    // Reschedule across the DST change (2030-03-10 in Denver): the wall clock moves, length stays.
    Answer moved =
        hub.patch(
            "/api/v1/appointments/" + id,
            key,
            json("start", "2030-03-11T10:00:00-06:00"),
            Map.of("If-Match", "\"1\""));
    assertThat(moved.status()).isEqualTo(200);
    assertThat(moved.json().get("version").asLong()).isEqualTo(2);
    assertThat(moved.json().get("start").asString()).isEqualTo("2030-03-11T10:00:00-06:00");
    assertThat(moved.json().get("end").asString()).isEqualTo("2030-03-11T10:50:00-06:00");

    Answer listed =
        hub.get(
            "/api/v1/appointments?providerId="
                + provider
                + "&from=2030-03-11T00:00:00Z&to=2030-03-12T00:00:00Z",
            key);
    assertThat(listed.status()).isEqualTo(200);
    assertThat(listed.json().size()).isEqualTo(1);
    assertThat(
            hub.get(
                    "/api/v1/appointments?providerId="
                        + provider
                        + "&from=2030-03-04T00:00:00Z&to=2030-03-05T00:00:00Z",
                    key)
                .json()
                .size())
        .as("the old slot is free")
        .isZero();

    Answer cancelled = hub.post("/api/v1/appointments/" + id + "/cancel", key, null);
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.json().get("status").asString()).isEqualTo("CANCELLED");
    assertThat(cancelled.json().get("version").asLong()).isEqualTo(3);
    Answer again = hub.post("/api/v1/appointments/" + id + "/cancel", key, null);
    assertThat(again.json().get("version").asLong())
        .as("cancelling twice changes nothing")
        .isEqualTo(3);

    // One outbox event per version, delivered by the drain route.
    assertThat(
            db.sql(
                    "select change_type from outbox_event where appointment_id = :id order by appointment_version")
                .param("id", UUID.fromString(id))
                .query(String.class)
                .list())
        .containsExactly("BOOKED", "RESCHEDULED", "CANCELLED");
    Awaitility.await()
        .untilAsserted(
            () ->
                assertThat(
                        db.sql(
                                "select count(*) from outbox_event where appointment_id = :id and"
                                    + " delivery_state = 'DELIVERED'")
                            .param("id", UUID.fromString(id))
                            .query(Long.class)
                            .single())
                    .isEqualTo(3));
  }

  @Test
  void groupSessionKeepsItsClientsInOrder() {
    Answer booked =
        hub.post(
            "/api/v1/appointments",
            key,
            booking(
                provider,
                List.of(client2, client),
                "2030-05-01T17:00:00-06:00",
                "2030-05-01T18:30:00-06:00",
                "IN_PERSON"));
    assertThat(booked.status()).isEqualTo(201);
    JsonNode clients = booked.json().get("clientIds");
    assertThat(List.of(clients.get(0).asString(), clients.get(1).asString()))
        .containsExactly(client2, client);
    assertThat(booked.json().get("telehealth").isNull()).isTrue();
  }

  @Test
  void anotherPracticesIdsAnswerNotFound() {
    String id =
        created(
            hub.post(
                "/api/v1/appointments",
                key,
                booking(
                    provider,
                    List.of(client),
                    "2030-03-04T10:00:00-07:00",
                    "2030-03-04T10:50:00-07:00",
                    "IN_PERSON")));
    String other = createPractice("Elsewhere").get("apiKey").asString();
    assertThat(hub.get("/api/v1/appointments/" + id, other).status()).isEqualTo(404);
    assertThat(
            hub.patch("/api/v1/appointments/" + id, other, json("title", "x"), Map.of()).status())
        .isEqualTo(404);
    assertThat(hub.post("/api/v1/appointments/" + id + "/cancel", other, null).status())
        .isEqualTo(404);
    assertThat(hub.get("/api/v1/providers/" + provider, other).status()).isEqualTo(404);
    assertThat(hub.get("/api/v1/clients/" + client, other).status()).isEqualTo(404);
    assertThat(hub.get("/api/v1/appointments?providerId=" + provider, other).status())
        .isEqualTo(404);
    Answer borrowed =
        hub.post(
            "/api/v1/appointments",
            other,
            booking(
                provider,
                List.of(client),
                "2030-03-04T10:00:00-07:00",
                "2030-03-04T10:50:00-07:00",
                "IN_PERSON"));
    assertThat(borrowed.status()).isEqualTo(422);
    assertThat(fields(borrowed)).containsExactly("providerId", "clientIds[0]");
    assertThat(hub.get("/api/v1/appointments/" + id, key).json().get("version").asLong())
        .as("untouched")
        .isEqualTo(1);
  }

  static Stream<Arguments> badBookings() {
    String p = "{provider}";
    String c = "{client}";
    String s = "2030-03-04T10:00:00-07:00";
    String e = "2030-03-04T10:50:00-07:00";
    return Stream.of(
        Arguments.of("end before start", booking(p, List.of(c), e, s, "IN_PERSON"), 422, "end"),
        Arguments.of("end equals start", booking(p, List.of(c), s, s, "IN_PERSON"), 422, "end"),
        Arguments.of(
            "longer than a day",
            booking(p, List.of(c), s, "2030-03-06T10:00:00-07:00", "IN_PERSON"),
            422,
            "end"),
        Arguments.of(
            "unknown zone",
            json(
                "providerId",
                p,
                "clientIds",
                List.of(c),
                "start",
                s,
                "end",
                e,
                "timeZone",
                "Mars/Olympus_Mons",
                "modality",
                "IN_PERSON"),
            400,
            "timeZone"),
        Arguments.of(
            "offset is not a zone",
            json(
                "providerId",
                p,
                "clientIds",
                List.of(c),
                "start",
                s,
                "end",
                e,
                "timeZone",
                "+02:00",
                "modality",
                "IN_PERSON"),
            400,
            "timeZone"),
        Arguments.of(
            "unknown modality", booking(p, List.of(c), s, e, "VIDEO_CALL"), 400, "modality"),
        Arguments.of(
            "unknown provider",
            booking(UUID.randomUUID().toString(), List.of(c), s, e, "IN_PERSON"),
            422,
            "providerId"),
        Arguments.of(
            "unknown client",
            booking(p, List.of(UUID.randomUUID().toString()), s, e, "IN_PERSON"),
            422,
            "clientIds[0]"),
        Arguments.of("no clients", booking(p, List.of(), s, e, "IN_PERSON"), 422, "clientIds"),
        Arguments.of(
            "client twice", booking(p, List.of(c, c), s, e, "IN_PERSON"), 422, "clientIds[1]"),
        Arguments.of(
            "provider id not a uuid",
            booking("dr-ada", List.of(c), s, e, "IN_PERSON"),
            400,
            "providerId"),
        Arguments.of(
            "local time without offset",
            booking(p, List.of(c), "2030-03-04T10:00:00", e, "IN_PERSON"),
            400,
            "start"),
        Arguments.of(
            "missing start",
            json(
                "providerId",
                p,
                "clientIds",
                List.of(c),
                "end",
                e,
                "timeZone",
                "America/Denver",
                "modality",
                "IN_PERSON"),
            400,
            "start"),
        Arguments.of(
            "clientIds not a list",
            "{\"providerId\":\"" + p + "\",\"clientIds\":\"" + c + "\"}",
            400,
            "clientIds"),
        Arguments.of(
            "in person with a video platform",
            json(
                "providerId",
                p,
                "clientIds",
                List.of(c),
                "start",
                s,
                "end",
                e,
                "timeZone",
                "America/Denver",
                "modality",
                "IN_PERSON",
                "videoPlatform",
                "ZOOM"),
            422,
            "videoPlatform"),
        Arguments.of(
            "unknown video platform",
            json(
                "providerId",
                p,
                "clientIds",
                List.of(c),
                "start",
                s,
                "end",
                e,
                "timeZone",
                "America/Denver",
                "modality",
                "TELEHEALTH",
                "videoPlatform",
                "SNAPCHAT"),
            400,
            "videoPlatform"),
        Arguments.of(
            "title too long",
            json(
                "providerId",
                p,
                "clientIds",
                List.of(c),
                "start",
                s,
                "end",
                e,
                "timeZone",
                "America/Denver",
                "modality",
                "IN_PERSON",
                "title",
                "x".repeat(201)),
            400,
            "title"),
        Arguments.of(
            "title with a control character",
            json(
                "providerId",
                p,
                "clientIds",
                List.of(c),
                "start",
                s,
                "end",
                e,
                "timeZone",
                "America/Denver",
                "modality",
                "IN_PERSON",
                "title",
                "a\\u0007b"),
            400,
            "title"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBookings")
  void badBookingGetsAProblemNamingTheField(String name, String body, int status, String field) {
    long before = appointmentRows();
    Answer answer =
        hub.post(
            "/api/v1/appointments",
            key,
            body.replace("{provider}", provider).replace("{client}", client));
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    JsonNode problem = answer.json();
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("field").asString()).isEqualTo(field);
    assertThat(problem.get("reason").asString()).isNotBlank();
    assertThat(problem.get("type").asString()).startsWith("urn:sessionbridge:problem:");
    assertThat(appointmentRows()).as("nothing half-written").isEqualTo(before);
  }

  @Test
  void malformedJsonIsA400() {
    Answer answer = hub.post("/api/v1/appointments", key, "{\"providerId\": ");
    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(answer.json().get("type").asString())
        .isEqualTo("urn:sessionbridge:problem:malformed-json");
    assertThat(hub.post("/api/v1/appointments", key, "").status()).isEqualTo(400);
  }

  @Test
  void oversizedBodiesAreRefusedWith413() {
    String big = "{\"title\":\"" + "x".repeat(70_000) + "\"}";
    Answer declared = hub.post("/api/v1/appointments", key, big);
    assertThat(declared.status()).isEqualTo(413);
    assertThat(declared.contentType()).startsWith("application/problem+json");
    // Chunked: no Content-Length, so the limit trips while reading.
    Answer chunked =
        hub.send(
            hub.builder("/api/v1/appointments", key, Map.of())
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(big.getBytes())))
                .build());
    assertThat(chunked.status()).isEqualTo(413);
  }

  @Test
  void badProviderAndClientInputNamesTheField() {
    Answer provider =
        hub.post(
            "/api/v1/providers",
            key,
            json("name", "", "email", "not-an-email", "timeZone", "Nowhere/City"));
    assertThat(provider.status()).isEqualTo(400);
    assertThat(fields(provider)).containsExactly("name", "email", "timeZone");
    Answer client =
        hub.post(
            "/api/v1/clients", key, json("name", "A", "email", "a@b.example", "phone", "555-1234"));
    assertThat(client.status()).isEqualTo(400);
    assertThat(fields(client)).containsExactly("phone");
    Answer duplicate =
        hub.post(
            "/api/v1/providers",
            key,
            json("name", "Again", "email", "ADA@lakeside.example", "timeZone", "UTC"));
    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(duplicate.json().get("field").asString()).isEqualTo("email");
    Answer service =
        hub.post(
            "/api/v1/providers/" + this.provider + "/video-services",
            key,
            json("platform", "DOXY", "url", "http://doxy.me/ada"));
    // Understood but refused by the compliance policy (httpsLinksOnly): 422, naming url.
    assertThat(service.status()).isEqualTo(422);
    assertThat(fields(service)).containsExactly("url");
    Answer notALink =
        hub.post(
            "/api/v1/providers/" + this.provider + "/video-services",
            key,
            json("platform", "DOXY", "url", "doxy.me/ada"));
    assertThat(notALink.status()).isEqualTo(400);
    assertThat(fields(notALink)).containsExactly("url");
  }

  @Test
  void listRangeIsChecked() {
    Answer reversed =
        hub.get("/api/v1/appointments?from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z", key);
    assertThat(reversed.status()).isEqualTo(400);
    assertThat(reversed.json().get("field").asString()).isEqualTo("to");
    Answer huge =
        hub.get("/api/v1/appointments?from=2030-01-01T00:00:00Z&to=2035-01-01T00:00:00Z", key);
    assertThat(huge.status()).isEqualTo(400);
    Answer badProvider = hub.get("/api/v1/appointments?providerId=nope", key);
    assertThat(badProvider.status()).isEqualTo(400);
    assertThat(badProvider.json().get("field").asString()).isEqualTo("providerId");
    assertThat(hub.get("/api/v1/appointments?limit=0", key).status()).isEqualTo(400);
    Answer clientsPage = hub.get("/api/v1/clients?limit=0&offset=-1", key);
    assertThat(clientsPage.status()).isEqualTo(400);
    assertThat(fields(clientsPage)).containsExactly("limit", "offset");
    assertThat(hub.get("/api/v1/dead-letters?limit=5000", OPERATOR).json().get("field").asString())
        .isEqualTo("limit");
  }

  @Test
  void retriedBookingWithTheSameIdempotencyKeyReturnsTheSameAppointment() {
    String body =
        booking(
            provider,
            List.of(client),
            "2030-04-01T09:00:00-06:00",
            "2030-04-01T09:50:00-06:00",
            "TELEHEALTH");
    Map<String, String> idem = Map.of("Idempotency-Key", "order-4711");
    Answer first = hub.post("/api/v1/appointments", key, body, idem);
    Answer second = hub.post("/api/v1/appointments", key, body, idem);
    assertThat(first.status()).isEqualTo(201);
    assertThat(second.status()).isEqualTo(201);
    assertThat(second.json().get("id").asString()).isEqualTo(first.json().get("id").asString());
    assertThat(first.header("Idempotent-Replayed")).isEqualTo("false");
    assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(
            db.sql("select count(*) from outbox_event where appointment_id = :id")
                .param("id", UUID.fromString(first.json().get("id").asString()))
                .query(Long.class)
                .single())
        .isEqualTo(1);
    Answer reused =
        hub.post(
            "/api/v1/appointments",
            key,
            booking(
                provider,
                List.of(client2),
                "2030-04-01T09:00:00-06:00",
                "2030-04-01T09:50:00-06:00",
                "TELEHEALTH"),
            idem);
    assertThat(reused.status()).isEqualTo(409);
    assertThat(reused.json().get("field").asString()).isEqualTo("Idempotency-Key");
  }

  @Test
  void staleIfMatchAndChangesToCancelledSessionsAreRefused() {
    String id =
        created(
            hub.post(
                "/api/v1/appointments",
                key,
                booking(
                    provider,
                    List.of(client),
                    "2030-03-04T10:00:00-07:00",
                    "2030-03-04T10:50:00-07:00",
                    "IN_PERSON")));
    hub.patch("/api/v1/appointments/" + id, key, json("title", "Intake"), Map.of());
    Answer stale =
        hub.patch(
            "/api/v1/appointments/" + id,
            key,
            json("title", "Follow-up"),
            Map.of("If-Match", "\"1\""));
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.header("ETag")).isEqualTo("\"2\"");
    hub.post("/api/v1/appointments/" + id + "/cancel", key, null);
    Answer late =
        hub.patch(
            "/api/v1/appointments/" + id,
            key,
            json("start", "2030-03-05T10:00:00-07:00"),
            Map.of());
    assertThat(late.status()).isEqualTo(409);
    Answer badCancel =
        hub.patch("/api/v1/appointments/" + id, key, json("status", "CANCELLED"), Map.of());
    assertThat(badCancel.status()).isIn(400, 409);
  }

  @Test
  void telehealthWithoutPlatformTakesTheProvidersDefaultService() {
    Answer service =
        hub.post(
            "/api/v1/providers/" + provider + "/video-services",
            key,
            json(
                "platform",
                "DOXY",
                "url",
                "https://doxy.me/drpark",
                "joinInstructions",
                "Check in with your first name."));
    assertThat(service.status()).isEqualTo(201);
    assertThat(service.json().get("isDefault").asBoolean()).isTrue();
    JsonNode a =
        hub.post(
                "/api/v1/appointments",
                key,
                booking(
                    provider,
                    List.of(client),
                    "2030-03-04T10:00:00-07:00",
                    "2030-03-04T10:50:00-07:00",
                    "TELEHEALTH"))
            .json();
    assertThat(a.get("videoPlatform").asString()).isEqualTo("DOXY");
    assertThat(a.get("telehealth").get("joinUrl").asString()).isEqualTo("https://doxy.me/drpark");
  }

  @Test
  void apiKeysNeverAppearInTheLogs(CapturedOutput output) {
    JsonNode practice = createPractice("Quiet Practice");
    String fresh = practice.get("apiKey").asString();
    hub.get("/api/v1/practice", fresh);
    hub.get("/api/v1/practice", fresh + "x");
    hub.post("/api/v1/appointments", fresh, "{broken");
    assertThat(output.getAll()).doesNotContain(fresh).doesNotContain(OPERATOR).doesNotContain(key);
  }

  @Test
  void publishesOpenApiHealthAndMetrics() {
    Answer docs = hub.get("/v3/api-docs", null);
    assertThat(docs.status()).isEqualTo(200);
    assertThat(docs.body()).contains("/api/v1/appointments").contains("/api/v1/dead-letters");
    Answer health = hub.get("/actuator/health", null);
    assertThat(health.json().get("status").asString()).isEqualTo("UP");
    assertThat(hub.get("/actuator/prometheus", null).body())
        .contains("sessionbridge_outbox_pending")
        .contains("sessionbridge_outbox_delivered_total");
    // Gauges whose state nothing else holds read NaN once collected; they must survive a GC.
    System.gc();
    String afterGc = hub.get("/actuator/prometheus", null).body();
    assertThat(afterGc)
        .contains("sessionbridge_meetings_by_state{state=\"SYNCED\"}")
        .contains("sessionbridge_calendars_by_state{state=\"SYNCED\"}");
    assertThat(afterGc.lines().filter(l -> l.contains("_by_state{") && l.endsWith("NaN")))
        .isEmpty();
  }

  // ---- helpers -------------------------------------------------------------------------------

  private JsonNode createPractice(String name) {
    Answer a =
        hub.post("/api/v1/practices", OPERATOR, json("name", name, "timeZone", "America/Denver"));
    assertThat(a.status()).as(a.body()).isEqualTo(201);
    return a.json();
  }

  static String booking(
      String provider, List<String> clients, String start, String end, String modality) {
    return json(
        "providerId", provider,
        "clientIds", clients,
        "start", start,
        "end", end,
        "timeZone", "America/Denver",
        "modality", modality);
  }

  private static String created(Answer a) {
    assertThat(a.status()).as(a.body()).isEqualTo(201);
    return a.json().get("id").asString();
  }

  private static List<String> fields(Answer a) {
    JsonNode errors = a.json().get("errors");
    List<String> fields = new java.util.ArrayList<>();
    for (int i = 0; i < errors.size(); i++) {
      fields.add(errors.get(i).get("field").asString());
    }
    return fields;
  }

  private long appointmentRows() {
    return db.sql("select count(*) from appointment").query(Long.class).single();
  }
}
