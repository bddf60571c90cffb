package org.sessionbridge.config.feeds;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * An address that keeps naming feeds that do not exist is refused for a while (429 + Retry-After).
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "sessionbridge.security.operator-key=feed-guessing-operator-key-0123456",
      "spring.datasource.url=jdbc:h2:mem:feed-guessing;DB_CLOSE_DELAY=-1",
      "sessionbridge.feeds.misses-per-minute=5"
    })
class FeedGuessingTest {

  @LocalServerPort int port;

  @Test
  void guessingAddressIsRefusedAfterItsAllowance() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    int notFound = 0;
    int limited = 0;
    String retryAfter = null;
    for (int i = 0; i < 12; i++) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:"
                              + port
                              + "/feeds/guess"
                              + i
                              + "AAAAAAAAAAAAAAAAAAAAAAAAAAA.ics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 404) {
        notFound++;
      } else if (r.statusCode() == 429) {
        limited++;
        retryAfter = r.headers().firstValue("Retry-After").orElse(null);
      }
    }
    assertThat(notFound).isEqualTo(5);
    assertThat(limited).isEqualTo(7);
    assertThat(retryAfter).isNotNull();
    assertThat(Long.parseLong(retryAfter)).isBetween(1L, 60L);
  }
}
