package org.sessionbridge.connector.zoom.fake;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends signed webhook events the way Zoom does (API-NOTES §1.7): envelope {@code {"event",
 * "event_ts", "payload"}}, headers {@code x-zm-request-timestamp} (seconds) and {@code
 * x-zm-signature} = {@code "v0=" + hex(HMAC-SHA256(secret token, "v0:{ts}:{body}"))} over the exact
 * bytes sent. Zoom's later retries (after 5, 20 and 60 minutes) are not modelled: each event is
 * sent once, asynchronously, and its answer recorded. Thread-safe.
 */
final class ZoomFakeWebhooks {

  /** Zoom wants 200 or 204 within 3 s. */
  static final Duration ANSWER_WITHIN = Duration.ofSeconds(3);

  private static final HexFormat HEX = HexFormat.of();

  private record Target(URI url, String secretToken, HttpClient http) {
    @Override
    public String toString() {
      return "Target[" + url + ", secretToken=<redacted>]";
    }
  }

  private final Clock clock;
  private final JsonMapper json;
  private final ZoomFakeRandom random;
  private final ExecutorService executor;
  private final List<ZoomFake.WebhookDelivery> deliveries = new ArrayList<>();
  private volatile @Nullable Target target;

  ZoomFakeWebhooks(Clock clock, JsonMapper json, ZoomFakeRandom random, ExecutorService executor) {
    this.clock = clock;
    this.json = json;
    this.random = random;
    this.executor = executor;
  }

  synchronized void sendTo(URI url, String secretToken) {
    String scheme = url.getScheme() == null ? "" : url.getScheme();
    if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
      throw new IllegalArgumentException("a webhook URL must be an absolute http(s) URL: " + url);
    }
    if (secretToken == null || secretToken.isBlank()) {
      throw new IllegalArgumentException("the webhook secret token must not be blank");
    }
    Target old = target;
    // Built on first use: an HttpClient sets up TLS, which costs a cold JVM a few hundred ms.
    HttpClient http =
        old != null
            ? old.http()
            : HttpClient.newBuilder()
                .executor(executor)
                .connectTimeout(ANSWER_WITHIN)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    target = new Target(url, secretToken, http);
  }

  /** Sends the event in the background, if a target is configured; the answer is recorded. */
  void send(String event, long meetingId, ObjectNode payload) {
    Target to = target;
    if (to == null) {
      return;
    }
    request(to, event, payload)
        .handle(
            (response, failure) ->
                record(
                    new ZoomFake.WebhookDelivery(
                        event, meetingId, failure == null ? response.statusCode() : 0)));
  }

  /**
   * Sends {@code endpoint.url_validation} and waits for the answer: valid when it is 200 with the
   * same {@code plainToken} and {@code encryptedToken} = hex HMAC-SHA256(secret token, plainToken).
   */
  boolean validateUrl() {
    Target to = target;
    if (to == null) {
      throw new IllegalStateException("no webhook target: call sendWebhooksTo first");
    }
    String plainToken = random.urlSafe(16);
    ObjectNode payload = json.createObjectNode();
    payload.put("plainToken", plainToken);
    int status = 0;
    boolean valid = false;
    try {
      HttpResponse<String> response = request(to, "endpoint.url_validation", payload).join();
      status = response.statusCode();
      if (status == 200 && !response.body().isBlank()) {
        JsonNode answer = json.readTree(response.body());
        String expected = HEX.formatHex(hmac(to.secretToken(), plainToken));
        valid =
            plainToken.equals(answer.path("plainToken").asString(""))
                && MessageDigest.isEqual(
                    expected.getBytes(StandardCharsets.UTF_8),
                    answer.path("encryptedToken").asString("").getBytes(StandardCharsets.UTF_8));
      }
    } catch (JacksonException | CompletionException notAnswered) {
      valid = false;
    }
    record(new ZoomFake.WebhookDelivery("endpoint.url_validation", 0, status));
    return valid;
  }

  private CompletableFuture<HttpResponse<String>> request(
      Target to, String event, ObjectNode payload) {
    Instant now = clock.instant();
    ObjectNode envelope = json.createObjectNode();
    envelope.put("event", event);
    envelope.put("event_ts", now.toEpochMilli());
    envelope.set("payload", payload);
    String body = json.writeValueAsString(envelope);
    String timestamp = Long.toString(now.getEpochSecond());
    String signature =
        "v0=" + HEX.formatHex(hmac(to.secretToken(), "v0:" + timestamp + ":" + body));
    HttpRequest request =
        HttpRequest.newBuilder(to.url())
            .timeout(ANSWER_WITHIN)
            .header("Content-Type", "application/json; charset=utf-8")
            .header("User-Agent", "Zoom Marketplace/1.0a (ZoomFake)")
            .header("x-zm-request-timestamp", timestamp)
            .header("x-zm-signature", signature)
            .header("x-zm-trackingid", random.trackingId())
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    return to.http().sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private @Nullable Void record(ZoomFake.WebhookDelivery delivery) {
    synchronized (deliveries) {
      deliveries.add(delivery);
      deliveries.notifyAll();
    }
    return null;
  }

  List<ZoomFake.WebhookDelivery> deliveries() {
    synchronized (deliveries) {
      return List.copyOf(deliveries);
    }
  }

  /** Waits until at least {@code count} deliveries are recorded, or the timeout passes. */
  List<ZoomFake.WebhookDelivery> awaitDeliveries(int count, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (deliveries) {
      while (deliveries.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        TimeUnit.NANOSECONDS.timedWait(deliveries, left);
      }
      return List.copyOf(deliveries);
    }
  }

  private static byte[] hmac(String secret, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
