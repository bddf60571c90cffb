package org.sessionbridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The production configuration: the whole hub on a real PostgreSQL (binaries from a Maven artifact,
 * no Docker). Flyway migrates, the API books and reschedules, the outbox drains.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "sessionbridge.security.operator-key=" + PostgresHubTest.OPERATOR,
      "sessionbridge.outbox.poll-interval=50ms"
    })
class PostgresHubTest {

  static final String OPERATOR = "postgres-hub-test-operator-key-0123";
  static EmbeddedPostgres postgres;

  @LocalServerPort int port;
  @Autowired JdbcClient db;

  private final HttpClient http = HttpClient.newHttpClient();
  private final JsonMapper json = JsonMapper.builder().build();

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) throws IOException {
    postgres = EmbeddedPostgres.builder().start();
    registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres"));
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("spring.datasource.password", () -> "postgres");
  }

  @AfterAll
  static void stop() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void booksReschedulesAndDrainsTheOutboxOnPostgres() throws Exception {
    assertThat(db.sql("select version()").query(String.class).single()).startsWith("PostgreSQL");
    String key =
        post("/api/v1/practices", OPERATOR, "{\"name\":\"PG\",\"timeZone\":\"Europe/Berlin\"}")
            .get("apiKey")
            .asString();
    String provider =
        post(
                "/api/v1/providers",
                key,
                "{\"name\":\"P\",\"email\":\"p@pg.example\",\"timeZone\":\"Europe/Berlin\"}")
            .get("id")
            .asString();
    grantTelehealth(key, provider);
    String client =
        post("/api/v1/clients", key, "{\"name\":\"C\",\"email\":\"c@pg.example\"}")
            .get("id")
            .asString();
    String body =
        "{\"providerId\":\""
            + provider
            + "\",\"clientIds\":[\""
            + client
            + "\"],\"start\":\"2030-10-27T01:30:00+02:00\",\"end\":\"2030-10-27T02:20:00+01:00\","
            + "\"timeZone\":\"Europe/Berlin\",\"modality\":\"TELEHEALTH\"}";
    JsonNode booked = post("/api/v1/appointments", key, body);
    assertThat(booked.get("version").asLong()).isEqualTo(1);
    // Across the autumn DST change: 01:30 CEST to 02:20 CET is 1 h 50 min, kept as instants.
    assertThat(booked.get("end").asString()).isEqualTo("2030-10-27T02:20:00+01:00");
    String id = booked.get("id").asString();
    HttpResponse<String> moved =
        http.send(
            request("/api/v1/appointments/" + id, key)
                .method(
                    "PATCH",
                    HttpRequest.BodyPublishers.ofString(
                        "{\"start\":\"2030-10-28T09:00:00+01:00\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(moved.statusCode()).isEqualTo(200);
    assertThat(json.readTree(moved.body()).get("end").asString())
        .isEqualTo("2030-10-28T10:50:00+01:00");
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                db.sql(
                            "select count(*) from outbox_event where appointment_id = :id"
                                + " and delivery_state = 'DELIVERED'")
                        .param("id", java.util.UUID.fromString(id))
                        .query(Long.class)
                        .single()
                    == 2);
    // the notification planner ran on PostgreSQL too: the reminders follow the move
    assertThat(
            db.sql(
                    "select count(*) from notification where appointment_id = :id"
                        + " and purpose = 'REMINDER' and state = 'PENDING'"
                        + " and appointment_version = 2 and session_start = due_at + interval"
                        + " '20 minutes'")
                .param("id", java.util.UUID.fromString(id))
                .query(Long.class)
                .single())
        .isEqualTo(2);
  }

  @Test
  void workingHoursAvailabilityAndTheBookingCheckOnPostgres() throws Exception {
    String key =
        post("/api/v1/practices", OPERATOR, "{\"name\":\"PG2\",\"timeZone\":\"Europe/Berlin\"}")
            .get("apiKey")
            .asString();
    String provider =
        post(
                "/api/v1/providers",
                key,
                "{\"name\":\"Q\",\"email\":\"q@pg.example\",\"timeZone\":\"Europe/Berlin\"}")
            .get("id")
            .asString();
    String client =
        post("/api/v1/clients", key, "{\"name\":\"D\",\"email\":\"d@pg.example\"}")
            .get("id")
            .asString();
    HttpResponse<String> hours =
        http.send(
            request("/api/v1/providers/" + provider + "/working-hours", key)
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        "[{\"dayOfWeek\":\"SUNDAY\",\"start\":\"01:00\",\"end\":\"04:00\","
                            + "\"modality\":\"IN_PERSON\"}]"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(hours.statusCode()).as(hours.body()).isEqualTo(200);
    // The autumn night in Berlin: 01:00 CEST to 04:00 CET is four hours.
    HttpResponse<String> slots =
        http.send(
            request(
                    "/api/v1/providers/"
                        + provider
                        + "/availability?from=2030-10-27T00:00:00%2B02:00"
                        + "&to=2030-10-28T00:00:00%2B01:00&duration=60&step=60",
                    key)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(slots.statusCode()).as(slots.body()).isEqualTo(200);
    assertThat(json.readTree(slots.body()).get("slots").size()).isEqualTo(4);
    String booking =
        "{\"providerId\":\""
            + provider
            + "\",\"clientIds\":[\""
            + client
            + "\"],\"start\":\"2030-10-27T02:00:00+02:00\",\"end\":\"2030-10-27T02:00:00+01:00\","
            + "\"timeZone\":\"Europe/Berlin\",\"modality\":\"IN_PERSON\"}";
    assertThat(post("/api/v1/appointments", key, booking).get("version").asLong()).isEqualTo(1);
    HttpResponse<String> again =
        http.send(
            request("/api/v1/appointments", key)
                .POST(HttpRequest.BodyPublishers.ofString(booking))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
    HttpResponse<String> outside =
        http.send(
            request("/api/v1/appointments", key)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        booking
                            .replace("2030-10-27T02:00:00+02:00", "2030-10-27T04:00:00+01:00")
                            .replace("2030-10-27T02:00:00+01:00", "2030-10-27T05:00:00+01:00")))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(outside.statusCode()).as(outside.body()).isEqualTo(422);
    assertThat(json.readTree(outside.body()).get("field").asString()).isEqualTo("start");
  }

  private JsonNode post(String path, String key, String body) throws Exception {
    HttpResponse<String> r =
        http.send(
            request(path, key).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json.readTree(r.body());
  }

  /** An owner of the practice grants the provider the telehealth role (V13 on PostgreSQL). */
  private void grantTelehealth(String key, String provider) throws Exception {
    String owner =
        post(
                "/api/v1/providers",
                key,
                "{\"name\":\"O\",\"email\":\"owner@pg.example\",\"timeZone\":\"UTC\","
                    + "\"role\":\"OWNER\"}")
            .get("id")
            .asString();
    HttpResponse<String> granted =
        http.send(
            request("/api/v1/providers/" + provider + "/telehealth-role", key)
                .header("X-Acting-Staff", owner)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);
    assertThat(
            db.sql("select count(*) from telehealth_audit where target_id = :t")
                .param("t", java.util.UUID.fromString(provider))
                .query(Long.class)
                .single())
        .isEqualTo(1);
  }

  private HttpRequest.Builder request(String path, String key) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json");
  }
}
