package org.sessionbridge.config.killtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sessionbridge.connector.zoom.fake.ZoomFake;
import tools.jackson.databind.JsonNode;

/**
 * The whole Zoom flow as a new operator would run it: the real jar ({@code java -jar
 * sessionbridge.jar}) on its embedded H2 default, pointed at a Zoom fake only through the contract
 * properties ({@code sessionbridge.zoom.api-base-url}, {@code oauth-base-url}, {@code
 * webhook-secret-token}). Connect, book telehealth, meeting with waiting room, the host turns it
 * off and the hub puts it back, reschedule → PATCH, cancel → DELETE, exactly one create.
 */
class ZoomJarE2EIT {

  private static final String OPERATOR_KEY = "zoom-e2e-operator-key-" + UUID.randomUUID();
  private static final String WEBHOOK_SECRET = "zoom-e2e-webhook-secret";
  private static final String HOST = "dr.e2e@practice.example";

  private HubHttp api;
  private HubProcess hub;
  private String key;

  @Test
  void connectBookRepairRescheduleCancelWithExactlyOneCreate(@TempDir Path dataDir)
      throws Exception {
    byte[] sealKey = new byte[32];
    new SecureRandom().nextBytes(sealKey);
    try (ZoomFake zoom = ZoomFake.start(0).addAccount("acc-e2e", "client-e2e", "secret-e2e")) {
      zoom.addUser("acc-e2e", HOST);
      hub =
          HubProcess.jar(
              dataDir,
              List.of(
                  "--sessionbridge.security.operator-key=" + OPERATOR_KEY,
                  "--sessionbridge.security.encryption-keys.main="
                      + Base64.getEncoder().encodeToString(sealKey),
                  "--sessionbridge.security.active-key-id=main",
                  "--sessionbridge.zoom.api-base-url=" + zoom.baseUrl() + "/v2",
                  "--sessionbridge.zoom.oauth-base-url=" + zoom.baseUrl(),
                  "--sessionbridge.zoom.webhook-secret-token=" + WEBHOOK_SECRET));
      try (HubProcess child = hub) {
        hub.start();
        api = new HubHttp(hub);
        zoom.sendWebhooksTo(hub.uri("/webhooks/zoom"), WEBHOOK_SECRET);
        assertThat(zoom.sendUrlValidation()).as("the hub answers Zoom's URL validation").isTrue();

        key =
            api.send(
                    "POST",
                    "/api/v1/practices",
                    OPERATOR_KEY,
                    "{\"name\":\"E2E\",\"timeZone\":\"UTC\"}")
                .get("apiKey")
                .asString();
        String provider =
            api.send(
                    "POST",
                    "/api/v1/providers",
                    key,
                    "{\"name\":\"Dr. E\",\"email\":\"" + HOST + "\",\"timeZone\":\"Europe/Paris\"}")
                .get("id")
                .asString();
        api.grantTelehealth(key, provider);
        String client =
            api.send(
                    "POST",
                    "/api/v1/clients",
                    key,
                    "{\"name\":\"Robin\",\"email\":\"r@x.example\"}")
                .get("id")
                .asString();
        api.send(
            "POST",
            "/api/v1/providers/" + provider + "/video-services",
            key,
            "{\"platform\":\"ZOOM\",\"joinInstructions\":\"Use headphones.\"}");
        JsonNode connection =
            api.send(
                "PUT",
                "/api/v1/connections/zoom",
                key,
                "{\"accountId\":\"acc-e2e\",\"clientId\":\"client-e2e\",\"clientSecret\":\"secret-e2e\"}");
        assertThat(connection.get("status").asString()).isEqualTo("CONNECTED");

        String appointment =
            api.send(
                    "POST",
                    "/api/v1/appointments",
                    key,
                    "{\"providerId\":\""
                        + provider
                        + "\",\"clientIds\":[\""
                        + client
                        + "\"],\"start\":\"2030-06-03T10:00:00+02:00\","
                        + "\"end\":\"2030-06-03T10:45:00+02:00\",\"timeZone\":\"Europe/Paris\","
                        + "\"modality\":\"TELEHEALTH\",\"videoPlatform\":\"ZOOM\"}")
                .get("id")
                .asString();

        JsonNode telehealth = api.awaitEnforced(appointment, key, Duration.ofSeconds(60));
        long meetingId = Long.parseLong(telehealth.get("meetingId").asString());
        ZoomFake.Meeting made = zoom.meeting(meetingId).orElseThrow();
        assertThat(made.waitingRoom()).isTrue();
        assertThat(made.joinBeforeHost()).isFalse();
        assertThat(made.startTime()).isEqualTo(Instant.parse("2030-06-03T08:00:00Z"));
        assertThat(made.durationMinutes()).isEqualTo(45);
        assertThat(made.topic()).doesNotContain("Robin");
        assertThat(telehealth.get("joinUrl").asString()).isEqualTo(made.joinUrl());
        // The client's invitation carries their time-boxed join link, not the meeting's URL.
        assertThat(api.text("/api/v1/appointments/" + appointment + "/invite.ics", key))
            .contains("/join/")
            .doesNotContain("/j/" + meetingId);

        // The host turns the waiting room off in Zoom; Zoom's signed webhook reaches the hub.
        zoom.hostChangesSettings(meetingId, false, true);
        Awaitility.await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> api.audit(appointment, key).contains("WAITING_ROOM_REPAIRED"));
        assertThat(zoom.meeting(meetingId).orElseThrow().waitingRoom()).isTrue();
        assertThat(zoom.meeting(meetingId).orElseThrow().joinBeforeHost()).isFalse();

        api.send(
            "PATCH",
            "/api/v1/appointments/" + appointment,
            key,
            "{\"start\":\"2030-06-04T14:00:00+02:00\",\"end\":\"2030-06-04T14:45:00+02:00\"}");
        Awaitility.await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    zoom.meeting(meetingId)
                        .orElseThrow()
                        .startTime()
                        .equals(Instant.parse("2030-06-04T12:00:00Z")));

        api.send("POST", "/api/v1/appointments/" + appointment + "/cancel", key, "{}");
        Awaitility.await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> zoom.meeting(meetingId).orElseThrow().deleted());

        assertThat(zoom.counts().creates()).as("creates sent to Zoom").isEqualTo(1);
        assertThat(api.audit(appointment, key))
            .containsExactly("CREATED", "WAITING_ROOM_REPAIRED", "UPDATED", "DELETED");
        hub.stop();
      }
    }
  }
}
