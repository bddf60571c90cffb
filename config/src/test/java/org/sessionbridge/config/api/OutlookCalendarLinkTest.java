package org.sessionbridge.config.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.sessionbridge.config.api.HubClient.json;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.config.api.HubClient.Answer;
import org.sessionbridge.connector.microsoft.fake.GraphFake;
import org.sessionbridge.connector.microsoft.fake.GraphFakeEvent;
import org.sessionbridge.connector.microsoft.fake.GraphFakeSubscription;
import org.sessionbridge.core.calendar.CalendarStore;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A provider's Outlook calendar linked with a refresh token (the hub stores the rotated one), run
 * against the in-process {@link GraphFake}: one event per appointment (transactionId, our reference
 * in an extended property) that follows reschedule and cancel; a Graph subscription validated by
 * the hub's echo; the provider's own event arrives as a busy block by a change notification alone
 * (polling is 10 minutes); our event deleted by the owner is put back; forged notifications are
 * refused.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
    properties = {
      "sessionbridge.security.operator-key=" + OutlookCalendarLinkTest.OPERATOR,
      "spring.datasource.url=jdbc:h2:mem:outlook-link-test;DB_CLOSE_DELAY=-1",
      "sessionbridge.security.active-key-id=k1",
      "sessionbridge.microsoft.client-id=" + OutlookCalendarLinkTest.APP,
      "sessionbridge.microsoft.client-secret=" + OutlookCalendarLinkTest.APP_SECRET,
      "sessionbridge.calendars.poll-interval=50ms",
      "sessionbridge.calendars.pull-check-interval=50ms",
      "sessionbridge.calendars.pull-interval=10m",
      "sessionbridge.calendars.initial-backoff=200ms",
      "sessionbridge.calendars.max-backoff=1s",
      "sessionbridge.outbox.poll-interval=50ms"
    })
class OutlookCalendarLinkTest {

  static final String OPERATOR = "outlook-link-operator-key-0123456789";
  static final String APP = "hub-outlook-app";
  static final String APP_SECRET = "hub-outlook-s3cret-4f1d2a9c";
  static final String TENANT = "fabrikam";
  static final GraphFake GRAPH = GraphFake.start(0).addDelegatedApp(APP, APP_SECRET);
  static final int PORT = freePort();
  static final Duration PATIENCE = Duration.ofSeconds(20);

  @Autowired CalendarStore calendars;

  HubClient hub;
  String key;
  String provider;
  String client;
  String user;

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @DynamicPropertySource
  static void graph(DynamicPropertyRegistry registry) {
    registry.add("server.port", () -> PORT);
    registry.add("sessionbridge.public-base-url", () -> "http://localhost:" + PORT);
    registry.add("sessionbridge.microsoft.graph-base-url", GRAPH::graphBaseUrl);
    registry.add("sessionbridge.microsoft.login-base-url", GRAPH::baseUrl);
    byte[] k = new byte[32];
    new java.security.SecureRandom().nextBytes(k);
    registry.add(
        "sessionbridge.security.encryption-keys.k1",
        () -> java.util.Base64.getEncoder().encodeToString(k));
  }

  @AfterAll
  static void stopGraph() {
    GRAPH.close();
  }

  @BeforeEach
  void providerOnOutlook() {
    hub = new HubClient(PORT);
    key =
        hub.post("/api/v1/practices", OPERATOR, json("name", "Outlook Practice", "timeZone", "UTC"))
            .json()
            .get("apiKey")
            .asString();
    String email = "dr-" + UUID.randomUUID().toString().substring(0, 8) + "@fabrikam.example";
    user = GRAPH.addUser(TENANT, email);
    provider =
        hub.post(
                "/api/v1/providers",
                key,
                json("name", "Dr Outlook", "email", email, "timeZone", "UTC"))
            .json()
            .get("id")
            .asString();
    client =
        hub.post("/api/v1/clients", key, json("name", "Alex Client", "email", "alex@x.example"))
            .json()
            .get("id")
            .asString();
  }

  @Test
  void oneEventPerAppointmentFollowsItAndTheOwnersTimeComesBackByNotification() throws Exception {
    String refreshToken = refreshToken();
    Answer linked =
        hub.post(
            "/api/v1/providers/" + provider + "/calendars",
            key,
            json("kind", "MICROSOFT", "refreshToken", refreshToken));
    assertThat(linked.status()).as(linked.body()).isEqualTo(201);
    assertThat(linked.body()).doesNotContain(refreshToken);
    UUID link = UUID.fromString(linked.json().get("id").asString());
    // The subscription is made and validated by the hub's echo of Graph's token.
    GraphFakeSubscription subscription =
        await()
            .atMost(PATIENCE)
            .until(
                () -> GRAPH.subscriptions().stream().filter(s -> !s.deleted()).findFirst(),
                java.util.Optional::isPresent)
            .orElseThrow();
    assertThat(subscription.notificationUrl()).endsWith("/webhooks/microsoft");

    // Within Graph's sync window (a year ahead): Graph reports what leaves it as removed.
    Instant day = Instant.now().plus(Duration.ofDays(10)).truncatedTo(ChronoUnit.DAYS);
    Instant nine = day.plus(Duration.ofHours(9));
    String appointment =
        hub.bookSession(
            key,
            provider,
            client,
            nine.toString(),
            nine.plus(Duration.ofMinutes(50)).toString(),
            "IN_PERSON",
            null);
    GraphFakeEvent event = awaitOne(appointment);
    assertThat(event.subject()).doesNotContain("Alex");
    assertThat(event.transactionId()).isNotBlank();
    assertThat(event.start()).isEqualTo(nine);

    Instant ten = nine.plus(Duration.ofDays(1)).plus(Duration.ofHours(1));
    Answer moved =
        hub.patch(
            "/api/v1/appointments/" + appointment,
            key,
            json("start", ten.toString(), "end", ten.plus(Duration.ofMinutes(50)).toString()),
            Map.of());
    assertThat(moved.status()).isEqualTo(200);
    await().atMost(PATIENCE).until(() -> awaitOne(appointment).start(), ten::equals);

    // The owner's own event: only the notification can bring it within seconds.
    String gym =
        GRAPH.userAddsEvent(
            user,
            null,
            "Gym",
            day.plus(Duration.ofDays(2)).plus(Duration.ofHours(7)),
            day.plus(Duration.ofDays(2)).plus(Duration.ofHours(8)),
            "busy");
    await()
        .atMost(PATIENCE)
        .until(() -> calendars.busyBlocks(link).stream().anyMatch(b -> b.externalId().equals(gym)));

    // The owner deletes our event in Outlook: it is put back and the practice can see why.
    GRAPH.userDeletesEvent(user, event.id());
    await().atMost(PATIENCE).until(() -> live(appointment).size() == 1);
    JsonNode audit = hub.get("/api/v1/appointments/" + appointment + "/calendar-audit", key).json();
    assertThat(audit.toString()).contains("DELETED_BY_OWNER").contains("RESTORED");

    assertThat(hub.post("/api/v1/appointments/" + appointment + "/cancel", key, null).status())
        .isEqualTo(200);
    await().atMost(PATIENCE).until(() -> live(appointment).isEmpty());
    assertThat(
            GRAPH.events(user, null).stream()
                .filter(e -> appointment.equals(reference(e)))
                .filter(e -> !e.deleted())
                .count())
        .isZero();
  }

  @Test
  void theProviderConsentsAtMicrosoftAndPicksTheirCalendars() throws Exception {
    String family = GRAPH.addCalendar(user, "Family <home>");
    Answer started =
        hub.post("/api/v1/providers/" + provider + "/microsoft-authorization", key, null);
    assertThat(started.status()).as(started.body()).isEqualTo(200);
    java.net.URI authorize = java.net.URI.create(started.json().get("authorizeUrl").asString());
    assertThat(authorize.toString())
        .startsWith(GRAPH.baseUrl() + "/organizations/oauth2/v2.0/authorize?")
        .contains("code_challenge_method=S256")
        .contains("login_hint=");
    // Microsoft's consent screen (the fake consents at once) sends the provider back.
    java.net.http.HttpResponse<String> consented =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(authorize).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(consented.statusCode()).as(consented.body()).isEqualTo(302);
    java.net.URI back =
        java.net.URI.create(consented.headers().firstValue("Location").orElseThrow());
    assertThat(back.getPath()).isEqualTo("/oauth/microsoft/callback");
    Answer page = hub.get(back.getRawPath() + "?" + back.getRawQuery(), null);
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    assertThat(page.body())
        .contains("Choose your calendars")
        .contains("action=\"/oauth/microsoft/calendars\"")
        .contains("Family &lt;home&gt;")
        .contains("value=\"primary\" checked");

    java.util.regex.Matcher token =
        java.util.regex.Pattern.compile("name=\"choice\" value=\"([^\"]+)\"").matcher(page.body());
    assertThat(token.find()).isTrue();
    Answer chosen =
        hub.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://localhost:" + PORT + "/oauth/microsoft/calendars"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        "choice="
                            + token.group(1)
                            + "&sessions=primary&busy=primary&busy="
                            + enc(family)))
                .build());
    assertThat(chosen.status()).as(chosen.body()).isEqualTo(200);
    assertThat(chosen.body()).contains("Outlook connected");
    JsonNode linked = hub.get("/api/v1/providers/" + provider + "/calendars", key).json();
    assertThat(linked).hasSize(2);
    assertThat(linked.get(0).get("kind").asString()).isEqualTo("MICROSOFT");
    assertThat(linked.get(1).get("calendarId").asString()).isEqualTo(family);
    assertThat(linked.get(1).get("receivesSessions").asBoolean()).isFalse();
  }

  @Test
  void graphsValidationIsEchoedAndForgedNotificationsAreRefused() {
    Answer validation =
        hub.post("/webhooks/microsoft?validationToken=" + enc("Validation: Token 123"), null, "");
    assertThat(validation.status()).isEqualTo(200);
    assertThat(validation.contentType()).startsWith("text/plain");
    assertThat(validation.body()).isEqualTo("Validation: Token 123");

    String forged =
        "{\"value\":[{\"subscriptionId\":\"s-1\",\"clientState\":\""
            + UUID.randomUUID()
            + ".guessed\",\"changeType\":\"updated\",\"resource\":\"me/events/x\"}]}";
    Answer refused = hub.post("/webhooks/microsoft", null, forged);
    assertThat(refused.status()).isEqualTo(401);
    Answer garbage = hub.post("/webhooks/microsoft", null, "not json");
    assertThat(garbage.status()).isEqualTo(400);
  }

  @Test
  void aRefusedRefreshTokenLinksNothing() {
    Answer refused =
        hub.post(
            "/api/v1/providers/" + provider + "/calendars",
            key,
            json("kind", "MICROSOFT", "refreshToken", "not-a-token"));
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.json().get("field").asString()).isEqualTo("refreshToken");
    assertThat(hub.get("/api/v1/providers/" + provider + "/calendars", key).json()).isEmpty();
  }

  private GraphFakeEvent awaitOne(String appointment) {
    return await().atMost(PATIENCE).until(() -> live(appointment), l -> l.size() == 1).get(0);
  }

  private List<GraphFakeEvent> live(String appointment) {
    return GRAPH.events(user, null).stream()
        .filter(e -> !e.deleted())
        .filter(e -> appointment.equals(reference(e)))
        .toList();
  }

  private static String reference(GraphFakeEvent e) {
    return e.extendedProperties().entrySet().stream()
        .filter(p -> p.getKey().endsWith("sessionbridgeAppointment"))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(null);
  }

  /** What a practice system holds after its own consent flow: a refresh token for the user. */
  private String refreshToken() {
    return GRAPH.issueRefreshToken(APP, user);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
