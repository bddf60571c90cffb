package org.sessionbridge.config.killtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessionbridge.connector.zoom.fake.ZoomFake;
import org.sessionbridge.core.meeting.MeetingReference;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * No second meeting, even when the hub dies mid-call: the real hub in a child JVM (on embedded
 * PostgreSQL) talks to the in-process Zoom fake. Zoom is made slow to answer a create, the hub is
 * SIGKILLed while the request is in flight (its intent recorded, its answer never stored), and Zoom
 * goes on to create the meeting. After a restart the hub must find that meeting by its reference
 * and adopt it, not create another. Then a burst of telehealth bookings with two more kills at
 * random moments: every appointment ends with exactly one meeting, waiting room on.
 */
class ZoomKillNineIT {

  private static final String OPERATOR_KEY = "zoom-kill-operator-key-" + UUID.randomUUID();
  private static final String HOST = "dr.nine@practice.example";
  private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

  private HubHttp api;
  private HubProcess hub;
  private String key;
  private String provider;
  private String client;

  @Test
  void aHubKilledMidCreateLeavesExactlyOneMeetingPerAppointment(@TempDir Path dataDir)
      throws Exception {
    byte[] sealKey = new byte[32];
    new SecureRandom().nextBytes(sealKey);
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        ZoomFake zoom = ZoomFake.start(0).addAccount("acc-9", "client-9", "secret-9")) {
      zoom.addUser("acc-9", HOST);
      DataSource db = postgres.getPostgresDatabase();
      hub =
          new HubProcess(
              dataDir,
              List.of(
                  "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                  "--spring.datasource.username=postgres",
                  "--spring.datasource.password=postgres",
                  "--sessionbridge.security.operator-key=" + OPERATOR_KEY,
                  "--sessionbridge.security.encryption-keys.k1="
                      + Base64.getEncoder().encodeToString(sealKey),
                  "--sessionbridge.security.active-key-id=k1",
                  "--sessionbridge.zoom.api-base-url=" + zoom.baseUrl() + "/v2",
                  "--sessionbridge.zoom.oauth-base-url=" + zoom.baseUrl(),
                  "--sessionbridge.outbox.poll-interval=50ms",
                  "--sessionbridge.meetings.poll-interval=50ms",
                  "--sessionbridge.meetings.lease=30s",
                  "--sessionbridge.meetings.initial-backoff=1s",
                  "--sessionbridge.meetings.max-backoff=2s",
                  "--logging.level.root=WARN",
                  "--logging.level.org.sessionbridge.routes.meeting=INFO"));
      try (HubProcess child = hub) {
        hub.start();
        api = new HubHttp(hub);
        setUpPractice();

        // 1. Killed while Zoom is creating the meeting: intent stored, answer never stored.
        for (int round = 0; round < 2; round++) {
          zoom.delayNext(Duration.ofSeconds(3));
          int requestsBefore = zoom.counts().apiRequests();
          String appointment = bookTelehealth(round);
          String reference = MeetingReference.of(UUID.fromString(appointment));
          JdbcClient sql = JdbcClient.create(db);
          // The create has reached Zoom (which sits on it for 3 s) and the intent is stored.
          Awaitility.await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(10))
              .until(
                  () ->
                      zoom.counts().apiRequests() > requestsBefore && createSent(sql, appointment));
          hub.kill();
          // Zoom finishes the create for a caller that is gone.
          Awaitility.await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> live(zoom, reference).size() == 1);
          hub.start();
          JsonNode telehealth = api.awaitEnforced(appointment, key, Duration.ofSeconds(120));
          assertThat(live(zoom, reference))
              .as("meetings for appointment %s after a kill mid-create", appointment)
              .hasSize(1)
              .first()
              .extracting(m -> Long.toString(m.id()))
              .isEqualTo(telehealth.get("meetingId").asString());
          assertThat(api.audit(appointment, key)).contains("ADOPTED").doesNotContain("CREATED");
        }

        // 2. A burst of bookings, killed twice at random moments while meetings are being made.
        Random random = new Random();
        List<String> burst = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
          burst.add(bookTelehealth(10 + i));
          if (i == 4 || i == 9) {
            Thread.sleep(random.nextInt(400));
            hub.kill();
            hub.start();
          }
        }
        for (String appointment : burst) {
          JsonNode telehealth = api.awaitEnforced(appointment, key, Duration.ofSeconds(120));
          String reference = MeetingReference.of(UUID.fromString(appointment));
          assertThat(live(zoom, reference))
              .as("meetings for appointment %s", appointment)
              .hasSize(1)
              .first()
              .extracting(m -> Long.toString(m.id()))
              .isEqualTo(telehealth.get("meetingId").asString());
        }
        assertThat(zoom.meetings().stream().filter(m -> !m.deleted()).count())
            .as("no meeting left over anywhere on the host")
            .isEqualTo(burst.size() + 2);
        hub.stop();
      }
    }
  }

  private static boolean createSent(JdbcClient sql, String appointment) {
    return sql.sql(
                "select count(*) from meeting where appointment_id = :id"
                    + " and create_sent_at is not null")
            .param("id", UUID.fromString(appointment))
            .query(Long.class)
            .single()
        > 0;
  }

  private static List<ZoomFake.Meeting> live(ZoomFake zoom, String reference) {
    return zoom.meetings().stream()
        .filter(m -> !m.deleted() && m.topic().contains(reference))
        .toList();
  }

  private void setUpPractice() throws Exception {
    key =
        api.send(
                "POST",
                "/api/v1/practices",
                OPERATOR_KEY,
                "{\"name\":\"Zoom Nine Counseling\",\"timeZone\":\"America/New_York\"}")
            .get("apiKey")
            .asString();
    provider =
        api.send(
                "POST",
                "/api/v1/providers",
                key,
                "{\"name\":\"Dr. Nine\",\"email\":\""
                    + HOST
                    + "\",\"timeZone\":\"America/New_York\"}")
            .get("id")
            .asString();
    api.grantTelehealth(key, provider);
    client =
        api.send(
                "POST",
                "/api/v1/clients",
                key,
                "{\"name\":\"Casey Client\",\"email\":\"casey@client.example\"}")
            .get("id")
            .asString();
    api.send(
        "POST",
        "/api/v1/providers/" + provider + "/video-services",
        key,
        "{\"platform\":\"ZOOM\"}");
    api.send(
        "PUT",
        "/api/v1/connections/zoom",
        key,
        "{\"accountId\":\"acc-9\",\"clientId\":\"client-9\",\"clientSecret\":\"secret-9\"}");
  }

  private String bookTelehealth(int n) throws Exception {
    ZonedDateTime start =
        ZonedDateTime.parse("2030-04-01T09:00:00-04:00").plusDays(n / 6).plusHours(n % 6);
    return api.send(
            "POST",
            "/api/v1/appointments",
            key,
            "{\"providerId\":\""
                + provider
                + "\",\"clientIds\":[\""
                + client
                + "\"],\"start\":\""
                + ISO.format(start)
                + "\",\"end\":\""
                + ISO.format(start.plusMinutes(50))
                + "\",\"timeZone\":\"America/New_York\",\"modality\":\"TELEHEALTH\","
                + "\"videoPlatform\":\"ZOOM\"}")
        .get("id")
        .asString();
  }
}
