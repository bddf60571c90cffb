package org.sessionbridge.config.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.sessionbridge.config.api.HubClient.json;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sessionbridge.config.api.HubClient.Answer;
import org.sessionbridge.core.credential.Connection;
import org.sessionbridge.core.credential.ConnectionStore;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * PUT /api/v1/connections/zoom against Zoom's OAuth endpoint emulated at the socket: accepted
 * credentials are stored sealed, refused ones answer 422 with Zoom's reason and store nothing, an
 * unreachable Zoom answers 503; the secret never shows up in answers, rows or logs.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "sessionbridge.security.operator-key=" + ConnectionApiTest.OPERATOR,
      "spring.datasource.url=jdbc:h2:mem:connection-test;DB_CLOSE_DELAY=-1",
      "sessionbridge.security.active-key-id=k1"
    })
@ExtendWith(OutputCaptureExtension.class)
class ConnectionApiTest {

  static final String OPERATOR = "connection-test-operator-key-0123456789";
  static final String SECRET = "zoom-s3cret-" + UUID.randomUUID();
  static final WireMockServer ZOOM = new WireMockServer(wireMockConfig().dynamicPort());

  @LocalServerPort int port;
  @Autowired JdbcClient db;
  @Autowired ConnectionStore connections;

  HubClient hub;
  String key;

  @DynamicPropertySource
  static void zoom(DynamicPropertyRegistry registry) {
    if (!ZOOM.isRunning()) {
      ZOOM.start();
    }
    registry.add("sessionbridge.zoom.oauth-base-url", ZOOM::baseUrl);
    registry.add("sessionbridge.zoom.api-base-url", () -> ZOOM.baseUrl() + "/v2");
    byte[] k = new byte[32];
    new java.security.SecureRandom().nextBytes(k);
    registry.add(
        "sessionbridge.security.encryption-keys.k1", () -> Base64.getEncoder().encodeToString(k));
  }

  @AfterAll
  static void stopZoom() {
    ZOOM.stop();
  }

  @BeforeEach
  void practice() {
    ZOOM.resetAll();
    hub = new HubClient(port);
    key =
        hub.post("/api/v1/practices", OPERATOR, json("name", "Zoom Practice", "timeZone", "UTC"))
            .json()
            .get("apiKey")
            .asString();
  }

  @Test
  void acceptedCredentialsAreStoredSealed(CapturedOutput output) {
    ZOOM.stubFor(
        post(urlPathEqualTo("/oauth/token"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"access_token\":\"eyJ-token\",\"token_type\":\"bearer\","
                            + "\"expires_in\":3599,\"scope\":\"meeting:write:admin\"}")));

    Answer answer =
        hub.put(
            "/api/v1/connections/zoom",
            key,
            json("accountId", "acc-1", "clientId", "client-1", "clientSecret", SECRET));

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.json().get("status").asString()).isEqualTo("CONNECTED");
    assertThat(answer.body()).doesNotContain(SECRET);
    ZOOM.verify(
        1,
        postRequestedFor(urlPathEqualTo("/oauth/token"))
            .withHeader(
                "Authorization",
                equalTo(
                    "Basic "
                        + Base64.getEncoder().encodeToString(("client-1:" + SECRET).getBytes()))));
    UUID practiceId =
        UUID.fromString(
            hub.get("/api/v1/practice", key).json().get("practice").get("id").asString());
    String stored =
        db.sql("select secret_sealed from connection where practice_id = :p")
            .param("p", practiceId)
            .query(String.class)
            .single();
    assertThat(stored).startsWith("v1:k1:").doesNotContain(SECRET);
    assertThat(connections.secret(practiceId, Connection.Kind.ZOOM)).contains(SECRET);
    assertThat(hub.get("/api/v1/connections/zoom", key).json().get("accountId").asString())
        .isEqualTo("acc-1");
    assertThat(output.getAll()).doesNotContain(SECRET).doesNotContain("eyJ-token");
  }

  @Test
  void refusedCredentialsAnswer422WithZoomsReasonAndStoreNothing() {
    ZOOM.stubFor(
        post(urlPathEqualTo("/oauth/token"))
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"reason\":\"Invalid client_id or client_secret\",\"error\":\"invalid_client\"}")));

    Answer answer =
        hub.put(
            "/api/v1/connections/zoom",
            key,
            json("accountId", "acc-1", "clientId", "client-1", "clientSecret", SECRET));

    assertThat(answer.status()).isEqualTo(422);
    assertThat(answer.json().get("field").asString()).isEqualTo("clientSecret");
    assertThat(answer.json().get("reason").asString()).contains("invalid_client");
    assertThat(answer.body()).doesNotContain(SECRET);
    UUID practiceId =
        UUID.fromString(
            hub.get("/api/v1/practice", key).json().get("practice").get("id").asString());
    assertThat(
            db.sql("select count(*) from connection where practice_id = :p")
                .param("p", practiceId)
                .query(Long.class)
                .single())
        .isZero();
    assertThat(hub.get("/api/v1/connections/zoom", key).status()).isEqualTo(404);
  }

  @Test
  void unreachableZoomAnswers503AndMissingFieldsAre400() {
    ZOOM.stubFor(post(urlPathEqualTo("/oauth/token")).willReturn(aResponse().withStatus(503)));
    Answer down =
        hub.put(
            "/api/v1/connections/zoom",
            key,
            json("accountId", "acc-1", "clientId", "client-1", "clientSecret", SECRET));
    assertThat(down.status()).isEqualTo(503);
    assertThat(down.body()).doesNotContain(SECRET);

    Answer missing = hub.put("/api/v1/connections/zoom", key, json("accountId", "acc-1"));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().get("errors").size()).isEqualTo(2);
  }

  @Test
  void aPracticeCanLockTheWaitingRoomForTheWholeAccount() {
    stubToken();
    ZOOM.stubFor(
        patch(urlPathEqualTo("/v2/accounts/me/settings"))
            .withQueryParam("option", equalTo("meeting_security"))
            .willReturn(aResponse().withStatus(204)));
    ZOOM.stubFor(
        patch(urlPathEqualTo("/v2/accounts/me/lock_settings"))
            .willReturn(aResponse().withStatus(204)));

    Answer answer =
        hub.put(
            "/api/v1/connections/zoom",
            key,
            "{\"accountId\":\"acc-1\",\"clientId\":\"client-1\",\"clientSecret\":\""
                + SECRET
                + "\",\"lockWaitingRoom\":true}");

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.json().get("waitingRoomLock").asString()).isEqualTo("LOCKED");
    for (String path :
        java.util.List.of("/v2/accounts/me/settings", "/v2/accounts/me/lock_settings")) {
      ZOOM.verify(
          1,
          patchRequestedFor(urlPathEqualTo(path))
              .withHeader("Authorization", equalTo("Bearer eyJ-token"))
              .withRequestBody(equalToJson("{\"meeting_security\":{\"waiting_room\":true}}")));
    }
  }

  @Test
  void aLockZoomRefusesLeavesTheConnectionStandingAndSaysWhy() {
    stubToken();
    ZOOM.stubFor(
        patch(urlPathEqualTo("/v2/accounts/me/settings"))
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"code\":4700,\"message\":\"Invalid access token, does not contain"
                            + " scopes:[account:write:admin].\"}")));

    Answer answer =
        hub.put(
            "/api/v1/connections/zoom",
            key,
            "{\"accountId\":\"acc-1\",\"clientId\":\"client-1\",\"clientSecret\":\""
                + SECRET
                + "\",\"lockWaitingRoom\":true}");

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.json().get("status").asString()).isEqualTo("CONNECTED");
    assertThat(answer.json().get("waitingRoomLock").asString())
        .startsWith("NOT_LOCKED")
        .contains("4700");
    ZOOM.verify(0, patchRequestedFor(urlPathEqualTo("/v2/accounts/me/lock_settings")));
  }

  private static void stubToken() {
    ZOOM.stubFor(
        post(urlPathEqualTo("/oauth/token"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"access_token\":\"eyJ-token\",\"token_type\":\"bearer\","
                            + "\"expires_in\":3599,\"scope\":\"meeting:write:admin\"}")));
  }

  @Test
  void personalZoomAccountsAnswer503NamingTheSettingsWhenTheHubHasNoUserLevelApp() {
    String provider =
        hub.post(
                "/api/v1/providers",
                key,
                json("name", "Dr Park", "email", "park@clinic.example", "timeZone", "UTC"))
            .json()
            .get("id")
            .asString();

    Answer start = hub.post("/api/v1/providers/" + provider + "/zoom-authorization", key, null);
    Answer callback = hub.get("/oauth/zoom/callback?code=c&state=s", null);

    assertThat(start.status()).isEqualTo(503);
    assertThat(start.body()).contains("sessionbridge.zoom.user-oauth.client-id");
    assertThat(callback.status()).isEqualTo(503);
    assertThat(callback.body()).contains("sessionbridge.zoom.user-oauth.client-secret");
  }
}
