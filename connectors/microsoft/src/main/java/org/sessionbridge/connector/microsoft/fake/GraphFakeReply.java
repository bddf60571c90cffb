package org.sessionbridge.connector.microsoft.fake;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One HTTP answer of the fake: status, headers and an optional body; or the instruction to close
 * the connection without answering ({@link #dropped()}).
 */
record GraphFakeReply(
    int status, byte @Nullable [] body, @Nullable String contentType, Map<String, String> headers) {

  static final String JSON = "application/json;odata.metadata=minimal;charset=utf-8";
  static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final GraphFakeReply DROPPED = new GraphFakeReply(0, null, null, Map.of());

  GraphFakeReply {
    headers = Map.copyOf(headers);
  }

  static GraphFakeReply json(int status, JsonNode body) {
    return new GraphFakeReply(status, MAPPER.writeValueAsBytes(body), JSON, Map.of());
  }

  static GraphFakeReply text(int status, String body) {
    return new GraphFakeReply(
        status, body.getBytes(StandardCharsets.UTF_8), "text/plain;charset=utf-8", Map.of());
  }

  /** Graph's error envelope (API-NOTES §2.9). */
  static GraphFakeReply error(int status, String code, String message) {
    ObjectNode body = MAPPER.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("code", code);
    error.put("message", message);
    ObjectNode inner = error.putObject("innerError");
    inner.put("request-id", java.util.UUID.randomUUID().toString());
    return json(status, body);
  }

  /** The identity platform's OAuth error shape. */
  static GraphFakeReply oauthError(int status, String error, String description, long code) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("error", error);
    body.put(
        "error_description",
        description
            + "\r\nTrace ID: "
            + java.util.UUID.randomUUID()
            + "\r\nCorrelation ID: "
            + java.util.UUID.randomUUID());
    body.putArray("error_codes").add(code);
    return json(status, body);
  }

  static GraphFakeReply redirect(String location) {
    return new GraphFakeReply(302, null, null, Map.of("Location", location));
  }

  static GraphFakeReply noContent() {
    return new GraphFakeReply(204, null, null, Map.of());
  }

  static GraphFakeReply dropped() {
    return DROPPED;
  }

  boolean isDropped() {
    return status == 0;
  }

  GraphFakeReply withHeaders(Map<String, String> more) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.putAll(more);
    return new GraphFakeReply(status, body, contentType, all);
  }

  @Override
  public String toString() {
    return "GraphFakeReply[" + status + "]"; // bodies hold tokens and join URLs
  }
}
