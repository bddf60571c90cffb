package org.sessionbridge.connector.zoom;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The answer to an {@code endpoint.url_validation} event (API-NOTES §1.7): status 200 with {@code
 * {"plainToken": ..., "encryptedToken": hex(HMAC-SHA256(secret token, plainToken))}}, within 3 s.
 * The component names are the JSON field names, so a caller may also serialise the record itself.
 *
 * @param plainToken the token Zoom sent in {@code payload.plainToken}
 * @param encryptedToken lower-case hex HMAC-SHA256 of {@code plainToken} under the secret token
 */
public record ZoomUrlValidationAnswer(String plainToken, String encryptedToken) {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The response body, e.g. {@code {"plainToken":"qgg8…","encryptedToken":"2a1b…"}}. */
  public String toJson() {
    ObjectNode body = JSON.createObjectNode();
    body.put("plainToken", plainToken);
    body.put("encryptedToken", encryptedToken);
    return JSON.writeValueAsString(body);
  }
}
