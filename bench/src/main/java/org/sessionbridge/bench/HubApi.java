package org.sessionbridge.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The few hub API calls the harness makes, over one shared {@link HttpClient} (HTTP/1.1, keep-alive
 * connections). Bodies are small fixed shapes, so JSON is written and read with plain strings.
 */
final class HubApi {

  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** One answer: status and body. */
  record Answer(int status, String body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    /** The status and the start of the body, for a report line (problem details, no secrets). */
    String summary() {
      String b = body.replaceAll("\\s+", " ");
      return status + " " + (b.length() > 160 ? b.substring(0, 160) + "…" : b);
    }
  }

  /** What GET /api/v1/outbox answers. */
  record OutboxStats(long pending, long delivered, long dead) {}

  private final HttpClient http;
  private final URI base;

  private final java.util.Map<String, String> owners =
      new java.util.concurrent.ConcurrentHashMap<>();

  HubApi(HttpClient http, URI base) {
    this.http = http;
    this.base = base;
  }

  static HttpClient newClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  Answer post(String path, String key, String json) throws IOException, InterruptedException {
    return send("POST", path, key, json);
  }

  /**
   * Gives the provider the telehealth role as the practice's OWNER does it (an OWNER is added the
   * first time): telehealth bookings need it (issue #7).
   */
  void grantTelehealth(String key, String provider) throws IOException, InterruptedException {
    String owner = owners.get(key);
    if (owner == null) {
      Answer created =
          post(
              "/api/v1/providers",
              key,
              "{\"name\":\"Bench Owner\",\"email\":\"owner-"
                  + java.util.UUID.randomUUID()
                  + "@bench.example.org\",\"timeZone\":\"UTC\",\"role\":\"OWNER\"}");
      if (created.status() != 201) {
        throw new IllegalStateException(
            "POST /api/v1/providers (owner) answered " + created.summary());
      }
      owner = text(created.body(), "id");
      owners.put(key, owner);
    }
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/api/v1/providers/" + provider + "/telehealth-role"))
            .timeout(REQUEST_TIMEOUT)
            .header("Authorization", "Bearer " + key)
            .header("X-Acting-Staff", owner)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(
          "POST /api/v1/providers/{id}/telehealth-role answered " + r.statusCode());
    }
  }

  Answer patch(String path, String key, String json) throws IOException, InterruptedException {
    return send("PATCH", path, key, json);
  }

  Answer put(String path, String key, String json) throws IOException, InterruptedException {
    return send("PUT", path, key, json);
  }

  Answer get(String path, String key) throws IOException, InterruptedException {
    return send("GET", path, key, null);
  }

  OutboxStats outbox(String operatorKey) throws IOException, InterruptedException {
    Answer a = get("/api/v1/outbox", operatorKey);
    if (a.status() != 200) {
      throw new IllegalStateException("GET /api/v1/outbox answered " + a.summary());
    }
    return new OutboxStats(
        number(a.body(), "pending"), number(a.body(), "delivered"), number(a.body(), "dead"));
  }

  /**
   * The hub's sessionbridge_outbox_delivered_total counter from /actuator/prometheus (no key needed
   * there), or NaN when the endpoint or the meter is missing.
   */
  double dispatchCalls() throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/actuator/prometheus"))
            .timeout(REQUEST_TIMEOUT)
            .GET()
            .build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      return Double.NaN;
    }
    for (String line : r.body().split("\n")) {
      if (line.startsWith("sessionbridge_outbox_delivered_total")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Double.NaN;
  }

  private Answer send(String method, String path, String key, @Nullable String json)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(REQUEST_TIMEOUT)
            .header("Authorization", "Bearer " + key)
            .header("Accept", "application/json");
    if (json == null) {
      b.GET();
    } else {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json));
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }

  /** The first string value of {@code field} in a flat JSON object. */
  static String text(String json, String field) {
    Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no string field " + field + " in the hub's answer");
    }
    return m.group(1);
  }

  /** The first integer value of {@code field} in a flat JSON object. */
  static long number(String json, String field) {
    Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*(-?\\d+)").matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no number field " + field + " in the hub's answer");
    }
    return Long.parseLong(m.group(1));
  }
}
