package org.sessionbridge.connector.zoom.fake;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One HTTP answer of the fake: status, headers and an optional body; or the instruction to close
 * the connection without answering at all ({@link #dropped()}).
 *
 * @param status HTTP status; 0 for a dropped connection
 * @param body the body, or {@code null} for none (204 is sent without Content-Type)
 * @param contentType the body's media type, or {@code null} for none
 * @param headers extra response headers
 */
record ZoomFakeReply(
    int status, byte @Nullable [] body, @Nullable String contentType, Map<String, String> headers) {

  static final String JSON = "application/json;charset=UTF-8";

  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final ZoomFakeReply DROPPED = new ZoomFakeReply(0, null, null, Map.of());

  ZoomFakeReply {
    headers = Map.copyOf(headers);
  }

  static ZoomFakeReply json(int status, JsonNode body) {
    return new ZoomFakeReply(status, MAPPER.writeValueAsBytes(body), JSON, Map.of());
  }

  static ZoomFakeReply json(int status, String body, Map<String, String> headers) {
    return new ZoomFakeReply(status, body.getBytes(StandardCharsets.UTF_8), JSON, headers);
  }

  static ZoomFakeReply text(int status, String body) {
    return new ZoomFakeReply(
        status, body.getBytes(StandardCharsets.UTF_8), "text/plain;charset=UTF-8", Map.of());
  }

  /** Zoom's error envelope {@code {"code": .., "message": ..}} (API-NOTES §1.4). */
  static ZoomFakeReply error(int status, int code, String message) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("code", code);
    body.put("message", message);
    return json(status, body);
  }

  /** The OAuth endpoint's error shape {@code {"reason": .., "error": ..}} (API-NOTES §1.1). */
  static ZoomFakeReply oauthError(int status, String error, String reason) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("reason", reason);
    body.put("error", error);
    return json(status, body);
  }

  static ZoomFakeReply noContent() {
    return new ZoomFakeReply(204, null, null, Map.of());
  }

  /** The request was handled, but the connection is closed without a response. */
  static ZoomFakeReply dropped() {
    return DROPPED;
  }

  boolean isDropped() {
    return status == 0;
  }

  ZoomFakeReply withHeaders(Map<String, String> more) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.putAll(more);
    return new ZoomFakeReply(status, body, contentType, all);
  }

  @Override
  public String toString() {
    return "ZoomFakeReply[" + status + "]"; // bodies hold tokens and join URLs
  }
}
