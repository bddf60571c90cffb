package org.sessionbridge.connector.google.fake;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One HTTP answer of the fake: status, headers and an optional body; or the instruction to close
 * the connection without answering at all ({@link #dropped()}).
 *
 * @param status HTTP status; 0 for a dropped connection
 * @param body the body, or {@code null} for none (204 is sent without Content-Type)
 * @param headers extra response headers
 */
record GoogleFakeReply(int status, byte @Nullable [] body, Map<String, String> headers) {

  static final String JSON = "application/json; charset=UTF-8";

  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final GoogleFakeReply DROPPED = new GoogleFakeReply(0, null, Map.of());

  GoogleFakeReply {
    headers = Map.copyOf(headers);
  }

  static GoogleFakeReply json(int status, JsonNode body) {
    return new GoogleFakeReply(status, MAPPER.writeValueAsBytes(body), Map.of());
  }

  /**
   * Google's error envelope (API-NOTES §3.5): {@code {"error": {"errors": [{"domain", "reason",
   * "message"}], "code", "message"}}}.
   */
  static GoogleFakeReply error(int status, String domain, String reason, String message) {
    ObjectNode body = MAPPER.createObjectNode();
    ObjectNode error = body.putObject("error");
    ArrayNode errors = error.putArray("errors");
    ObjectNode first = errors.addObject();
    first.put("domain", domain);
    first.put("reason", reason);
    first.put("message", message);
    error.put("code", status);
    error.put("message", message);
    return json(status, body);
  }

  /** The error envelope with Google's usual domain for the reason. */
  static GoogleFakeReply error(int status, String reason, String message) {
    return error(status, domainOf(reason), reason, message);
  }

  static String domainOf(String reason) {
    return switch (reason) {
      case "rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded" -> "usageLimits";
      case "fullSyncRequired",
          "updatedMinTooLongAgo",
          "deleted",
          "timeRangeEmpty",
          "forbiddenForNonOrganizer" ->
          "calendar";
      default -> "global";
    };
  }

  static GoogleFakeReply notFound() {
    return error(404, "global", "notFound", "Not Found");
  }

  static GoogleFakeReply badRequest(String reason, String message) {
    return error(400, "global", reason, message);
  }

  /** The token endpoint's error shape {@code {"error", "error_description"}} (RFC 6749 §5.2). */
  static GoogleFakeReply oauthError(int status, String error, String description) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("error", error);
    body.put("error_description", description);
    return json(status, body);
  }

  static GoogleFakeReply text(int status, String line) {
    return new GoogleFakeReply(
        status,
        (line + "\n").getBytes(StandardCharsets.UTF_8),
        Map.of("Content-Type", "text/plain; charset=UTF-8"));
  }

  static GoogleFakeReply noContent() {
    return new GoogleFakeReply(204, null, Map.of());
  }

  /** The request was handled, but the connection is closed without a response. */
  static GoogleFakeReply dropped() {
    return DROPPED;
  }

  boolean isDropped() {
    return status == 0;
  }

  boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  GoogleFakeReply withHeaders(Map<String, String> more) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.putAll(more);
    return new GoogleFakeReply(status, body, all);
  }

  static GoogleFakeReply raw(int status, String body, Map<String, String> headers) {
    return new GoogleFakeReply(status, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  @Override
  public String toString() {
    return "GoogleFakeReply[" + status + "]"; // bodies hold tokens, titles and e-mails
  }
}
