package org.sessionbridge.config.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.sessionbridge.config.api.HubClient.json;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.config.api.HubClient.Answer;
import org.sessionbridge.connector.google.fake.GoogleFake;
import org.sessionbridge.core.calendar.CalendarStore;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Google push channels through the running hub against the in-process {@link GoogleFake}: linking a
 * calendar opens a channel at the fake, the owner's change in the fake is pushed to {@code
 * /webhooks/google} and pulled long before the polling interval (10 minutes here, so only the push
 * explains the pull), and short-lived channels are renewed before they expire with the old one
 * stopped at the fake.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
    properties = {
      "sessionbridge.security.operator-key=" + GoogleCalendarChannelsTest.OPERATOR,
      "spring.datasource.url=jdbc:h2:mem:google-channels-test;DB_CLOSE_DELAY=-1",
      "sessionbridge.security.active-key-id=k1",
      "sessionbridge.google.client-id=" + GoogleCalendarChannelsTest.CLIENT_ID,
      "sessionbridge.google.client-secret=" + GoogleCalendarChannelsTest.CLIENT_SECRET,
      "sessionbridge.calendars.poll-interval=50ms",
      "sessionbridge.calendars.pull-check-interval=50ms",
      "sessionbridge.calendars.pull-interval=10m",
      "sessionbridge.calendars.initial-backoff=200ms",
      "sessionbridge.calendars.max-backoff=1s",
      "sessionbridge.calendars.channel-ttl=4s",
      "sessionbridge.calendars.channel-renewal-margin=2s",
      "sessionbridge.outbox.poll-interval=50ms"
    })
class GoogleCalendarChannelsTest {

  static final String OPERATOR = "google-channels-operator-key-0123456789";
  static final String CLIENT_ID = "hub-client.apps.googleusercontent.com";
  static final String CLIENT_SECRET = "hub-client-secret";
  static final GoogleFake GOOGLE = GoogleFake.start(0);
  static final int PORT = freePort();
  static final Duration PATIENCE = Duration.ofSeconds(20);

  @Autowired CalendarStore calendars;

  HubClient hub;
  String key;
  String provider;
  String email;

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @DynamicPropertySource
  static void google(DynamicPropertyRegistry registry) {
    GOOGLE.addClient(CLIENT_ID, CLIENT_SECRET);
    registry.add("server.port", () -> PORT);
    registry.add("sessionbridge.public-base-url", () -> "http://localhost:" + PORT);
    registry.add("sessionbridge.google.calendar-root-url", () -> GOOGLE.baseUrl() + "/");
    registry.add("sessionbridge.google.oauth-base-url", GOOGLE::baseUrl);
    byte[] k = new byte[32];
    new java.security.SecureRandom().nextBytes(k);
    registry.add(
        "sessionbridge.security.encryption-keys.k1", () -> Base64.getEncoder().encodeToString(k));
  }

  @AfterAll
  static void stopGoogle() {
    GOOGLE.close();
  }

  @BeforeEach
  void practiceWithProvider() {
    hub = new HubClient(PORT);
    key =
        hub.post("/api/v1/practices", OPERATOR, json("name", "Push Practice", "timeZone", "UTC"))
            .json()
            .get("apiKey")
            .asString();
    email = "dr-" + UUID.randomUUID().toString().substring(0, 8) + "@clinic.example";
    GOOGLE.addUser(email);
    provider =
        hub.post(
                "/api/v1/providers",
                key,
                json("name", "Dr Push", "email", email, "timeZone", "UTC"))
            .json()
            .get("id")
            .asString();
  }

  @Test
  void theOwnersChangeIsPushedAndPulledWithoutWaitingForThePollingInterval() throws Exception {
    UUID link = UUID.fromString(linkCalendar());
    // The link's first pull (a full sync) and its channel's sync message.
    await().atMost(PATIENCE).until(() -> calendars.linkById(link).orElseThrow().cursor() != null);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                GOOGLE.pushDeliveries().stream()
                    .anyMatch(d -> d.state().equals("sync") && d.delivered()));

    String own =
        GOOGLE.userAddsEvent(
            email,
            "Dentist",
            Instant.parse("2030-03-07T15:00:00Z"),
            Instant.parse("2030-03-07T16:00:00Z"),
            false);
    // The pull interval is 10 minutes: only the push explains a busy block within seconds.
    await()
        .atMost(PATIENCE)
        .until(() -> calendars.busyBlocks(link).stream().anyMatch(b -> b.externalId().equals(own)));
    assertThat(
            GOOGLE.pushDeliveries().stream()
                .anyMatch(d -> d.state().equals("exists") && d.delivered()))
        .isTrue();
  }

  @Test
  void shortLivedChannelsAreRenewedBeforeExpiryAndTheOldOnesStopped() throws Exception {
    linkCalendar();
    int stopsBefore = GOOGLE.counts().channelStops();
    // 4s channels renewed 2s before expiry: new channels keep coming and the old ones are stopped.
    await().atMost(PATIENCE).until(() -> GOOGLE.counts().channelStops() >= stopsBefore + 2);
    Set<String> synced =
        GOOGLE.pushDeliveries().stream()
            .filter(d -> d.state().equals("sync"))
            .map(GoogleFake.PushDelivery::channelId)
            .collect(Collectors.toSet());
    assertThat(synced.size()).isGreaterThanOrEqualTo(3);
    // Renewed before expiry: every stop found its channel still live, so few channels are live.
    assertThat(GOOGLE.liveChannels()).isLessThanOrEqualTo(4);
  }

  @Test
  void unlinkingStopsTheChannelAtOnce() throws Exception {
    UUID link = UUID.fromString(linkCalendar());
    String channel =
        await()
            .atMost(PATIENCE)
            .until(
                () ->
                    calendars.channels(link).map(CalendarStore.ChannelWork::channelId).orElse(null),
                id -> id != null && GOOGLE.channelLive(id));

    assertThat(hub.delete("/api/v1/providers/" + provider + "/calendars/" + link, key).status())
        .isEqualTo(204);

    // Stopped by the unlink itself, long before the channel's own expiry.
    assertThat(GOOGLE.channelLive(channel)).isFalse();
    assertThat(calendars.linkById(link)).isEmpty();
  }

  private String linkCalendar() throws Exception {
    Answer linked =
        hub.post(
            "/api/v1/providers/" + provider + "/calendars",
            key,
            json("kind", "GOOGLE", "refreshToken", refreshToken(), "removal", "DELETE"));
    assertThat(linked.status()).as(linked.body()).isEqualTo(201);
    return linked.json().get("id").asString();
  }

  private String refreshToken() {
    return GOOGLE.issueRefreshToken(CLIENT_ID, email);
  }
}
