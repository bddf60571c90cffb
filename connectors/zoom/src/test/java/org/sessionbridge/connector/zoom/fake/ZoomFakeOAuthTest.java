package org.sessionbridge.connector.zoom.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sessionbridge.connector.zoom.fake.ZoomWire.ACCOUNT;
import static org.sessionbridge.connector.zoom.fake.ZoomWire.CLIENT_ID;
import static org.sessionbridge.connector.zoom.fake.ZoomWire.CLIENT_SECRET;
import static org.sessionbridge.connector.zoom.fake.ZoomWire.basic;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.connector.zoom.ZoomApi;
import org.sessionbridge.connector.zoom.ZoomAuthorizationException;
import org.sessionbridge.connector.zoom.ZoomCredentials;
import org.sessionbridge.connector.zoom.ZoomMeeting;
import org.sessionbridge.connector.zoom.ZoomMeetingRequest;
import tools.jackson.databind.JsonNode;

class ZoomFakeOAuthTest {

  private static final String HOST = "dr.house@example.com";
  private static final String REDIRECT = "https://hub.example.com/oauth/zoom/callback";
  private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"; // RFC 7636

  private final SettableClock clock = new SettableClock(Instant.parse("2026-03-02T09:00:00Z"));
  private ZoomFake fake;
  private ZoomWire wire;

  @BeforeEach
  void start() {
    fake = ZoomFake.start(0, clock);
    fake.addAccount(ACCOUNT, CLIENT_ID, CLIENT_SECRET);
    fake.addUser(ACCOUNT, HOST);
    wire = new ZoomWire(fake);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void aServerToServerTokenHasZoomsShapeWithTheParametersInTheBodyOrTheQuery() {
    HttpResponse<String> response =
        wire.token(
            basic(CLIENT_ID, CLIENT_SECRET),
            "grant_type=account_credentials&account_id=" + ACCOUNT);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-zm-trackingid")).isPresent();
    JsonNode token = ZoomWire.json(response);
    assertThat(token.path("access_token").asString()).isNotBlank();
    assertThat(token.path("token_type").asString()).isEqualTo("bearer");
    assertThat(token.path("expires_in").asInt()).isEqualTo(3600);
    assertThat(token.path("scope").asString()).contains("meeting:write:meeting:admin");
    assertThat(token.path("api_url").asString()).isEqualTo(fake.baseUrl());
    assertThat(token.has("refresh_token")).isFalse();

    // Zoom also takes the parameters as a query string (API-NOTES §1.1).
    HttpResponse<String> query =
        wire.tokenWithQuery(
            basic(CLIENT_ID, CLIENT_SECRET),
            "grant_type=account_credentials&account_id=" + ACCOUNT);
    assertThat(query.statusCode()).isEqualTo(200);
    assertThat(fake.counts().tokenGrants()).isEqualTo(2);
  }

  @Test
  void aWrongSecretIsInvalidClientAndTheRealClientSaysSo() {
    HttpResponse<String> response =
        wire.token(
            basic(CLIENT_ID, "not-the-secret"),
            "grant_type=account_credentials&account_id=" + ACCOUNT);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body())
        .isEqualTo(
            "{\"reason\":\"Invalid client_id or client_secret\",\"error\":\"invalid_client\"}");
    ZoomApi api =
        new ZoomApi(ZoomWire.settings(fake), new ZoomCredentials(ACCOUNT, CLIENT_ID, "wrong"));
    assertThatThrownBy(api::verifyCredentials).isInstanceOf(ZoomAuthorizationException.class);
    assertThat(fake.counts().tokenGrants()).isZero();
  }

  @Test
  void anUnknownGrantTypeIsUnsupported() {
    HttpResponse<String> response =
        wire.token(basic(CLIENT_ID, CLIENT_SECRET), "grant_type=client_credentials");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(ZoomWire.json(response).path("error").asString())
        .isEqualTo("unsupported_grant_type");
  }

  @Test
  void theApiWantsAValidBearerToken() {
    for (String token : new String[] {"", "made-up"}) {
      HttpResponse<String> response = wire.call("GET", "/users/me/meetings", token, "");
      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.body()).isEqualTo("{\"code\":124,\"message\":\"Invalid access token.\"}");
    }
    String good = wire.accessToken();
    assertThat(wire.call("GET", "/users/me/meetings?access_token=" + good, "", "").statusCode())
        .isEqualTo(401);
    assertThat(wire.call("GET", "/users/me/meetings", good, "").statusCode()).isEqualTo(200);
  }

  @Test
  void anExpiredTokenIsRefusedAndTheRealClientFetchesANewOne() {
    ZoomApi api = ZoomWire.api(fake);
    ZoomMeeting meeting = api.createMeeting(HOST, request());
    String rawToken = wire.accessToken();

    clock.advance(Duration.ofMinutes(61)); // the client's own clock still trusts its token

    HttpResponse<String> expired = wire.call("GET", "/meetings/" + meeting.id(), rawToken, "");
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(ZoomWire.json(expired).path("code").asInt()).isEqualTo(124);
    assertThat(api.getMeeting(meeting.id()).id()).isEqualTo(meeting.id());
    assertThat(fake.counts().tokenGrants()).isEqualTo(3);
  }

  @Test
  void aRevokedAccountLosesItsTokensAndItsSecret() {
    ZoomApi api = ZoomWire.api(fake);
    ZoomMeeting meeting = api.createMeeting(HOST, request());

    fake.revokeAccount(ACCOUNT);

    assertThatThrownBy(() -> api.getMeeting(meeting.id()))
        .isInstanceOf(ZoomAuthorizationException.class);
    assertThat(
            wire.token(
                    basic(CLIENT_ID, CLIENT_SECRET),
                    "grant_type=account_credentials&account_id=" + ACCOUNT)
                .statusCode())
        .isEqualTo(400);
  }

  @Test
  void anAuthorizationCodeWithPkceIsExchangedOnceAndRefreshTokensRotate() {
    String wrongVerifierCode = fake.issueAuthorizationCode(CLIENT_ID, REDIRECT, CHALLENGE, HOST);
    HttpResponse<String> refused =
        wire.token(basic(CLIENT_ID, CLIENT_SECRET), codeForm(wrongVerifierCode, "x".repeat(43)));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(ZoomWire.json(refused).path("error").asString()).isEqualTo("invalid_grant");

    String code = fake.issueAuthorizationCode(CLIENT_ID, REDIRECT, CHALLENGE, HOST);
    HttpResponse<String> exchanged =
        wire.token(basic(CLIENT_ID, CLIENT_SECRET), codeForm(code, VERIFIER));
    assertThat(exchanged.statusCode()).isEqualTo(200);
    JsonNode tokens = ZoomWire.json(exchanged);
    assertThat(tokens.path("token_type").asString()).isEqualTo("bearer");
    assertThat(tokens.path("expires_in").asInt()).isPositive();
    String access = tokens.path("access_token").asString();
    String refresh = tokens.path("refresh_token").asString();
    assertThat(refresh).isNotBlank();
    assertThat(wire.call("GET", "/users/me/meetings", access, "").statusCode()).isEqualTo(200);
    assertThat(wire.token(basic(CLIENT_ID, CLIENT_SECRET), codeForm(code, VERIFIER)).statusCode())
        .as("a code is single use")
        .isEqualTo(400);

    HttpResponse<String> refreshed =
        wire.token(
            basic(CLIENT_ID, CLIENT_SECRET), "grant_type=refresh_token&refresh_token=" + refresh);
    assertThat(refreshed.statusCode()).isEqualTo(200);
    String newRefresh = ZoomWire.json(refreshed).path("refresh_token").asString();
    assertThat(newRefresh).isNotBlank().isNotEqualTo(refresh);

    HttpResponse<String> oldAgain =
        wire.token(
            basic(CLIENT_ID, CLIENT_SECRET), "grant_type=refresh_token&refresh_token=" + refresh);
    assertThat(oldAgain.statusCode()).isEqualTo(400);
    assertThat(ZoomWire.json(oldAgain).path("error").asString()).isEqualTo("invalid_grant");
    assertThat(
            wire.token(
                    basic(CLIENT_ID, CLIENT_SECRET),
                    "grant_type=refresh_token&refresh_token=" + newRefresh)
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void anAuthorizationCodeExpiresAfterFiveMinutesAndNeedsItsRedirectUri() {
    String late = fake.issueAuthorizationCode(CLIENT_ID, REDIRECT, CHALLENGE, HOST);
    clock.advance(Duration.ofMinutes(5));
    assertThat(wire.token(basic(CLIENT_ID, CLIENT_SECRET), codeForm(late, VERIFIER)).statusCode())
        .isEqualTo(400);

    String code = fake.issueAuthorizationCode(CLIENT_ID, REDIRECT, null, HOST);
    String otherRedirect =
        "grant_type=authorization_code&code="
            + code
            + "&redirect_uri="
            + URLEncoder.encode("https://evil.example.com/cb", StandardCharsets.UTF_8);
    assertThat(wire.token(basic(CLIENT_ID, CLIENT_SECRET), otherRedirect).statusCode())
        .isEqualTo(400);
  }

  private static String codeForm(String code, String verifier) {
    return "grant_type=authorization_code&code="
        + code
        + "&redirect_uri="
        + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8)
        + "&code_verifier="
        + verifier;
  }

  private static ZoomMeetingRequest request() {
    return new ZoomMeetingRequest(
        "Session A-1", LocalDateTime.parse("2026-03-05T09:00:00"), ZoneId.of("Europe/Paris"), 30);
  }
}
