package org.sessionbridge.config.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP client against the hub under test: requests go through the socket, as a practice's
 * would.
 */
final class HubClient {

  static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http = HttpClient.newHttpClient();
  private final int port;

  HubClient(int port) {
    this.port = port;
  }

  record Answer(int status, HttpResponse<String> response) {
    JsonNode json() {
      return JSON.readTree(response.body());
    }

    String body() {
      return response.body();
    }

    @Nullable String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    String contentType() {
      return response.headers().firstValue("Content-Type").orElse("");
    }
  }

  Answer get(String path, @Nullable String key) {
    return send(builder(path, key, Map.of()).GET().build());
  }

  Answer post(String path, @Nullable String key, @Nullable String body) {
    return post(path, key, body, Map.of());
  }

  Answer post(
      String path, @Nullable String key, @Nullable String body, Map<String, String> headers) {
    return send(
        builder(path, key, headers)
            .POST(
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  Answer put(String path, @Nullable String key, String body) {
    return send(
        builder(path, key, Map.of()).PUT(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  Answer patch(String path, @Nullable String key, String body, Map<String, String> headers) {
    return send(
        builder(path, key, headers)
            .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  Answer delete(String path, @Nullable String key) {
    return send(builder(path, key, Map.of()).DELETE().build());
  }

  Answer send(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpRequest.Builder builder(String path, @Nullable String key, Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json");
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    headers.forEach(b::header);
    return b;
  }

  /**
   * A new practice with one provider and one client, and one in-person session booked for them;
   * answers the appointment's id.
   */
  String bookOneSession(String operatorKey, String practiceName) {
    String key =
        post("/api/v1/practices", operatorKey, json("name", practiceName, "timeZone", "UTC"))
            .json()
            .get("apiKey")
            .asString();
    String provider =
        post("/api/v1/providers", key, json("name", "P", "email", "p@x.example", "timeZone", "UTC"))
            .json()
            .get("id")
            .asString();
    String client =
        post("/api/v1/clients", key, json("name", "C", "email", "c@x.example"))
            .json()
            .get("id")
            .asString();
    return post(
            "/api/v1/appointments",
            key,
            ApiTest.booking(
                provider,
                java.util.List.of(client),
                "2030-01-01T10:00:00Z",
                "2030-01-01T11:00:00Z",
                "IN_PERSON"))
        .json()
        .get("id")
        .asString();
  }

  /**
   * Books a session for one client in America/Denver and answers its id; fails the test unless the
   * hub answers 201.
   */
  String bookSession(
      String key,
      String provider,
      String client,
      String start,
      String end,
      String modality,
      @Nullable String videoPlatform) {
    Answer booked =
        post(
            "/api/v1/appointments",
            key,
            videoPlatform == null
                ? json(
                    "providerId", provider,
                    "clientIds", java.util.List.of(client),
                    "start", start,
                    "end", end,
                    "timeZone", "America/Denver",
                    "modality", modality)
                : json(
                    "providerId", provider,
                    "clientIds", java.util.List.of(client),
                    "start", start,
                    "end", end,
                    "timeZone", "America/Denver",
                    "modality", modality,
                    "videoPlatform", videoPlatform));
    org.assertj.core.api.Assertions.assertThat(booked.status()).as(booked.body()).isEqualTo(201);
    return booked.json().get("id").asString();
  }

  /**
   * Grants the provider the telehealth role as the practice's owner does it (adding an OWNER to act
   * when the practice has none), failing the test unless the hub answers 200.
   */
  String grantTelehealth(String key, String provider) {
    String owner = owner(key);
    Answer granted =
        post(
            "/api/v1/providers/" + provider + "/telehealth-role",
            key,
            null,
            Map.of("X-Acting-Staff", owner));
    org.assertj.core.api.Assertions.assertThat(granted.status()).as(granted.body()).isEqualTo(200);
    return owner;
  }

  /** The id of an OWNER of the practice, added when there is none. */
  String owner(String key) {
    for (JsonNode staff : get("/api/v1/providers", key).json()) {
      if (staff.get("role").asString().equals("OWNER")) {
        return staff.get("id").asString();
      }
    }
    Answer created =
        post(
            "/api/v1/providers",
            key,
            json(
                "name", "Practice Owner",
                "email", "owner-" + java.util.UUID.randomUUID() + "@owner.example",
                "timeZone", "UTC",
                "role", "OWNER"));
    org.assertj.core.api.Assertions.assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("id").asString();
  }

  static String json(Object... keyValues) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < keyValues.length; i += 2) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append('"').append(keyValues[i]).append("\":");
      Object v = keyValues[i + 1];
      if (v == null) {
        sb.append("null");
      } else if (v instanceof Iterable<?> list) {
        sb.append('[');
        boolean first = true;
        for (Object o : list) {
          sb.append(first ? "" : ",").append('"').append(o).append('"');
          first = false;
        }
        sb.append(']');
      } else {
        sb.append('"').append(v).append('"');
      }
    }
    return sb.append('}').toString();
  }
}
