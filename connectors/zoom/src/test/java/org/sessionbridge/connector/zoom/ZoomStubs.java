package org.sessionbridge.connector.zoom;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** Recorded-shape Zoom answers (API-NOTES §1.1-§1.4, §1.8) and the secrets that must never leak. */
final class ZoomStubs {

  static final String ACCOUNT_ID = "Acc0unt-Id_42";
  static final String CLIENT_ID = "cl1entIdAbc";
  static final String CLIENT_SECRET = "Sup3rS3cretClientValue";
  static final String TOKEN = "eyJ0eXAiOiJKV1QiLCJzdiI6IjAwMDAwMSJ9.test-token";
  static final String BASIC =
      "Basic "
          + Base64.getEncoder()
              .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
  static final long MEETING_ID = 92674392836L;
  static final String HOST_ID = "30R7kT7bTIKSNUFEuH_Qlg";
  static final String JOIN_URL = "https://us06web.zoom.us/j/92674392836?pwd=JoinPwdS3cret";
  static final String START_URL = "https://us06web.zoom.us/s/92674392836?zak=ZakS3cretHostKey";

  static final ZoomCredentials CREDENTIALS =
      new ZoomCredentials(ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET);

  private ZoomStubs() {}

  static ZoomSettings settings(WireMockServer server, Duration readTimeout) {
    return ZoomSettings.forHost(server.baseUrl(), Duration.ofSeconds(2), readTimeout);
  }

  static String tokenJson(String accessToken, long expiresIn) {
    return "{\"access_token\":\""
        + accessToken
        + "\",\"token_type\":\"bearer\",\"expires_in\":"
        + expiresIn
        + ",\"scope\":\"meeting:write:meeting:admin meeting:read:meeting:admin\","
        + "\"api_url\":\"https://api.zoom.us\"}";
  }

  /** The S2S token request exactly as Zoom expects it. */
  static MappingBuilder tokenRequest() {
    return post(urlPathEqualTo("/oauth/token"))
        .withHeader("Authorization", equalTo(BASIC))
        .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
        .withRequestBody(containing("grant_type=account_credentials"))
        .withRequestBody(containing("account_id=" + ACCOUNT_ID));
  }

  static void stubToken(WireMockServer server) {
    server.stubFor(tokenRequest().willReturn(okJsonWithTracking(tokenJson(TOKEN, 3600))));
  }

  static ResponseDefinitionBuilder okJsonWithTracking(String json) {
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", "application/json;charset=UTF-8")
        .withHeader("x-zm-trackingid", "v=2.0;clid=us06;rid=WEB_abc")
        .withBody(json);
  }

  static ResponseDefinitionBuilder zoomError(int status, int code, String message) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json;charset=UTF-8")
        .withHeader("x-zm-trackingid", "v=2.0;clid=us06;rid=WEB_err")
        .withBody("{\"code\":" + code + ",\"message\":\"" + message + "\"}");
  }

  /** API-NOTES §1.2 response 201 (trimmed), with the given security settings. */
  static String meetingJson(boolean waitingRoom, boolean joinBeforeHost) {
    return """
        { "id": 92674392836, "uuid": "aDYlohsHRtCd4ii1uC2+hA==", "host_id": "30R7kT7bTIKSNUFEuH_Qlg",
          "host_email": "dr@example.com", "topic": "Consultation #A-123", "type": 2, "status": "waiting",
          "start_time": "2026-03-02T14:00:00Z", "duration": 30, "timezone": "Europe/Paris",
          "created_at": "2026-02-20T09:00:00Z",
          "join_url": "%s", "start_url": "%s",
          "password": "x7Yz91", "h323_password": "123456", "pstn_password": "123456",
          "encrypted_password": "EncPwdS3cret", "pre_schedule": false, "creation_source": "open_api",
          "settings": { "waiting_room": %s, "join_before_host": %s, "jbh_time": 0,
                        "meeting_authentication": false, "approval_type": 2,
                        "encryption_type": "enhanced_encryption", "mute_upon_entry": true } }
        """
        .formatted(JOIN_URL, START_URL, waitingRoom, joinBeforeHost);
  }

  static MappingBuilder bearer(MappingBuilder request) {
    return request.withHeader("Authorization", matching("Bearer .+"));
  }

  /** No token, secret, Basic credential, join or start URL anywhere in the exception chain. */
  static void assertNoSecrets(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      String text = t + " " + t.getMessage();
      assertThat(text)
          .doesNotContain(CLIENT_SECRET)
          .doesNotContain(TOKEN)
          .doesNotContain(BASIC.substring("Basic ".length()))
          .doesNotContain("JoinPwdS3cret")
          .doesNotContain("ZakS3cretHostKey")
          .doesNotContain("EncPwdS3cret")
          .doesNotContain("x7Yz91");
    }
  }
}
