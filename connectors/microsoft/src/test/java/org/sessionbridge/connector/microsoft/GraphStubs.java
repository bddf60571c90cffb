package org.sessionbridge.connector.microsoft;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.time.Duration;

/** Recorded-shape Graph and identity-platform answers (API-NOTES §2) and the secrets to keep in. */
final class GraphStubs {

  static final String TENANT = "7f3c1b2a-0d4e-4f5a-9b8c-1d2e3f4a5b6c";
  static final String CLIENT_ID = "c0ffee00-1111-2222-3333-444455556666";
  static final String CLIENT_SECRET = "Sup3r~S3cret.Value_42";
  static final String HOST = "6b1c7e2d-8f9a-4b3c-a1d2-e3f4a5b6c7d8";
  static final String MEETING_ID =
      "MSo2YjFjN2UyZC04ZjlhLTRiM2MtYTFkMi1lM2Y0YTViNmM3ZDgqMCoqMTk6bWVldGluZw";
  static final String JOIN_URL =
      "https://teams.microsoft.com/l/meetup-join/19%3ameeting_Zjk2%40thread.v2/0?context=%7b%7d";
  static final MicrosoftCredentials CREDENTIALS =
      new MicrosoftCredentials(TENANT, CLIENT_ID, CLIENT_SECRET);

  private GraphStubs() {}

  static MicrosoftSettings settings(WireMockServer server, Duration readTimeout) {
    return MicrosoftSettings.at(server.baseUrl() + "/v1.0", server.baseUrl())
        .withTimeouts(Duration.ofSeconds(2), readTimeout);
  }

  static String tokenPath() {
    return "/" + TENANT + "/oauth2/v2.0/token";
  }

  static MappingBuilder tokenRequest() {
    return post(urlPathEqualTo(tokenPath()))
        .withRequestBody(containing("grant_type=client_credentials"))
        .withRequestBody(containing("client_id=" + CLIENT_ID))
        .withRequestBody(containing("scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"));
  }

  static ResponseDefinitionBuilder token(String accessToken) {
    return json(
        200,
        "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,"
            + "\"access_token\":\""
            + accessToken
            + "\"}");
  }

  static ResponseDefinitionBuilder json(int status, String body) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json;odata.metadata=minimal;charset=utf-8")
        .withBody(body);
  }

  static ResponseDefinitionBuilder graphError(int status, String code, String message) {
    return json(
        status,
        "{\"error\":{\"code\":\""
            + code
            + "\",\"message\":\""
            + message
            + "\",\"innerError\":{\"date\":\"2026-03-02T10:00:00\",\"request-id\":\"r-1\"}}}");
  }

  /** An onlineMeeting answer (API-NOTES §2.1) with the given lobby. */
  static String meeting(String scope, boolean dialIn, String presenters) {
    return "{\"id\":\""
        + MEETING_ID
        + "\",\"joinWebUrl\":\""
        + JOIN_URL
        + "\",\"subject\":\"Telehealth session (sb-0123456789ab)\","
        + "\"creationDateTime\":\"2026-03-01T10:00:00Z\","
        + "\"startDateTime\":\"2026-03-02T14:00:00Z\",\"endDateTime\":\"2026-03-02T14:50:00Z\","
        + "\"externalId\":\"sb-0123456789ab\","
        + "\"lobbyBypassSettings\":{\"scope\":\""
        + scope
        + "\",\"isDialInBypassEnabled\":"
        + dialIn
        + "},\"allowedPresenters\":\""
        + presenters
        + "\",\"isEntryExitAnnounced\":true,"
        + "\"joinMeetingIdSettings\":{\"isPasscodeRequired\":true,\"joinMeetingId\":\"1234567890\","
        + "\"passcode\":\"aBc123\"},"
        + "\"participants\":{\"organizer\":{\"upn\":\"dr@contoso.example\","
        + "\"identity\":{\"user\":{\"id\":\""
        + HOST
        + "\"}}}}}";
  }

  /** No secret, token or join link anywhere in the exception chain. */
  static void assertNoSecrets(Throwable thrown, String... more) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      String text = String.valueOf(t.getMessage()) + " " + t;
      assertThat(text)
          .doesNotContain(CLIENT_SECRET)
          .doesNotContain("at-first")
          .doesNotContain("at-second")
          .doesNotContain("meetup-join")
          .doesNotContain("aBc123");
      for (String s : more) {
        assertThat(text).doesNotContain(s);
      }
    }
  }
}
