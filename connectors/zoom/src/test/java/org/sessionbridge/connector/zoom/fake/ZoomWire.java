package org.sessionbridge.connector.zoom.fake;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.sessionbridge.connector.zoom.ZoomApi;
import org.sessionbridge.connector.zoom.ZoomCredentials;
import org.sessionbridge.connector.zoom.ZoomSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Raw HTTP against the fake, for what {@link ZoomApi} cannot send (it always asks for a waiting
 * room, validates before sending, has no list call) and for looking at status lines and headers.
 */
final class ZoomWire {

  static final String ACCOUNT = "acc-Fake-1";
  static final String CLIENT_ID = "client-Fake-1";
  static final String CLIENT_SECRET = "secret-Fake-1";
  static final ZoomCredentials CREDENTIALS = new ZoomCredentials(ACCOUNT, CLIENT_ID, CLIENT_SECRET);

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final String baseUrl;

  ZoomWire(ZoomFake fake) {
    this.baseUrl = fake.baseUrl();
  }

  /** The real client, pointed at the fake. */
  static ZoomApi api(ZoomFake fake, Duration readTimeout) {
    return new ZoomApi(settings(fake, readTimeout), CREDENTIALS);
  }

  /** As the hub is configured: api-base-url = baseUrl + "/v2", oauth-base-url = baseUrl. */
  static ZoomSettings settings(ZoomFake fake, Duration readTimeout) {
    return new ZoomSettings(
        fake.baseUrl() + "/v2", fake.baseUrl(), Duration.ofSeconds(2), readTimeout);
  }

  static ZoomSettings settings(ZoomFake fake) {
    return settings(fake, Duration.ofSeconds(5));
  }

  static ZoomApi api(ZoomFake fake) {
    return api(fake, Duration.ofSeconds(5));
  }

  static String basic(String clientId, String secret) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  HttpResponse<String> token(String authorization, String form) {
    return send(
        HttpRequest.newBuilder(URI.create(baseUrl + "/oauth/token"))
            .header("Authorization", authorization)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)));
  }

  HttpResponse<String> tokenWithQuery(String authorization, String query) {
    return send(
        HttpRequest.newBuilder(URI.create(baseUrl + "/oauth/token?" + query))
            .header("Authorization", authorization)
            .POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** A Server-to-Server access token for the test account. */
  String accessToken() {
    HttpResponse<String> response =
        token(
            basic(CLIENT_ID, CLIENT_SECRET),
            "grant_type=account_credentials&account_id=" + ACCOUNT);
    return json(response).path("access_token").asString();
  }

  HttpResponse<String> call(String method, String path, String token, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/v2" + path))
            .header("Accept", "application/json")
            .method(
                method,
                body.isEmpty()
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (!token.isEmpty()) {
      request.header("Authorization", "Bearer " + token);
    }
    if (!body.isEmpty()) {
      request.header("Content-Type", "application/json");
    }
    return send(request);
  }

  static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("the fake did not answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
