package org.sessionbridge.connector.microsoft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.connector.microsoft.fake.GraphFake;

/** The token endpoint client against the fake identity platform. */
class MicrosoftTokenEndpointTest {

  private static final String TENANT = "contoso-tenant";
  private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

  private GraphFake graph;
  private MicrosoftTokenEndpoint endpoint;
  private MicrosoftDelegatedApp app;
  private String user;

  @BeforeEach
  void start() {
    graph = GraphFake.start(0, new MutableClock(Instant.parse("2026-03-01T10:00:00Z")));
    graph.addApp(TENANT, "app-id", "app-secret").addDelegatedApp("hub-app", "hub-secret");
    user = graph.addUser(TENANT, "dr@contoso.example");
    MicrosoftSettings settings = MicrosoftSettings.at(graph.graphBaseUrl(), graph.baseUrl());
    endpoint = new MicrosoftTokenEndpoint(settings);
    app =
        new MicrosoftDelegatedApp(
            "organizations",
            "hub-app",
            "hub-secret",
            "http://localhost:8080/oauth/microsoft/callback");
  }

  @AfterEach
  void stop() {
    graph.close();
  }

  @Test
  void checkAcceptsGoodCredentialsAndRefusesBadOnesWithMicrosoftsReason() {
    assertThat(endpoint.check(new MicrosoftCredentials(TENANT, "app-id", "app-secret")).ok())
        .isTrue();

    MicrosoftTokenEndpoint.TokenCheck wrongSecret =
        endpoint.check(new MicrosoftCredentials(TENANT, "app-id", "Wr0ng-S3cret"));
    assertThat(wrongSecret.outcome()).isEqualTo(MicrosoftTokenEndpoint.Outcome.REFUSED);
    assertThat(wrongSecret.reason())
        .contains("invalid_client")
        .contains("AADSTS7000215")
        .doesNotContain("Wr0ng-S3cret")
        .doesNotContain("Trace ID");

    assertThat(
            endpoint
                .check(new MicrosoftCredentials("other-tenant", "app-id", "app-secret"))
                .reason())
        .contains("AADSTS90002");
    assertThat(
            endpoint.check(new MicrosoftCredentials(TENANT, "unknown-app", "app-secret")).reason())
        .contains("AADSTS700016");
  }

  @Test
  void checkSaysUnavailableWhenMicrosoftCannotBeReached() {
    MicrosoftTokenEndpoint nowhere =
        new MicrosoftTokenEndpoint("http://127.0.0.1:9", Duration.ofSeconds(1));

    MicrosoftTokenEndpoint.TokenCheck check =
        nowhere.check(new MicrosoftCredentials(TENANT, "app-id", "app-secret"));

    assertThat(check.outcome()).isEqualTo(MicrosoftTokenEndpoint.Outcome.UNAVAILABLE);
    assertThat(check.reason()).doesNotContain("app-secret");
  }

  @Test
  void theCodeFlowWithPkceGivesTokensAndRefreshRotatesTheRefreshToken() throws Exception {
    String code =
        graph.issueAuthorizationCode("hub-app", app.redirectUri(), CHALLENGE, "dr@contoso.example");

    MicrosoftTokenEndpoint.CodeGrant grant = endpoint.exchange(app, code, VERIFIER);
    MicrosoftTokenEndpoint.CodeGrant refreshed = endpoint.refresh(app, grant.refreshToken());

    assertThat(refreshed.refreshToken()).isNotEqualTo(grant.refreshToken());
    assertThat(refreshed.expiresIn()).isEqualTo(Duration.ofSeconds(3599));
    assertThat(grant.toString())
        .doesNotContain(grant.accessToken())
        .doesNotContain(grant.refreshToken());
    // The spent refresh token is dead: rotation.
    assertThatThrownBy(() -> endpoint.refresh(app, grant.refreshToken()))
        .isInstanceOf(MicrosoftTokenEndpoint.ConsentRevoked.class);
    // A spent code is refused too.
    assertThatThrownBy(() -> endpoint.exchange(app, code, VERIFIER))
        .isInstanceOf(MicrosoftTokenEndpoint.ConsentRevoked.class);
  }

  @Test
  void aWrongVerifierIsRefused() {
    String code =
        graph.issueAuthorizationCode("hub-app", app.redirectUri(), CHALLENGE, "dr@contoso.example");

    assertThatThrownBy(() -> endpoint.exchange(app, code, "not-the-verifier-" + VERIFIER))
        .isInstanceOf(MicrosoftTokenEndpoint.ConsentRevoked.class)
        .hasMessageContaining("AADSTS501481");
  }

  @Test
  void revokedConsentIsConsentRevokedAndAWrongAppSecretIsOnlyRefused() throws Exception {
    String code =
        graph.issueAuthorizationCode("hub-app", app.redirectUri(), CHALLENGE, "dr@contoso.example");
    MicrosoftTokenEndpoint.CodeGrant grant = endpoint.exchange(app, code, VERIFIER);
    MicrosoftDelegatedApp wrong =
        new MicrosoftDelegatedApp("organizations", "hub-app", "bad-secret", app.redirectUri());

    assertThatThrownBy(() -> endpoint.refresh(wrong, grant.refreshToken()))
        .isInstanceOf(MicrosoftTokenEndpoint.Refused.class)
        .isNotInstanceOf(MicrosoftTokenEndpoint.ConsentRevoked.class)
        .hasMessageNotContaining("bad-secret");

    graph.revokeConsent(user);
    assertThatThrownBy(() -> endpoint.refresh(app, grant.refreshToken()))
        .isInstanceOf(MicrosoftTokenEndpoint.ConsentRevoked.class)
        .hasMessageContaining("invalid_grant");
  }

  @Test
  void theConsentUrlAsksForOfflineAccessAndCalendarsWithS256() {
    URI url =
        new MicrosoftConsent(MicrosoftSettings.defaults(), app)
            .authorizeUrl("st4te", CHALLENGE, "dr@contoso.example");

    assertThat(url.toString())
        .startsWith("https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize?")
        .contains("client_id=hub-app")
        .contains("response_type=code")
        .contains("scope=offline_access%20https%3A%2F%2Fgraph.microsoft.com%2FCalendars.ReadWrite")
        .contains("state=st4te")
        .contains("code_challenge=" + CHALLENGE)
        .contains("code_challenge_method=S256")
        .contains("redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Foauth%2Fmicrosoft%2Fcallback")
        .doesNotContain("hub-secret");
  }
}
