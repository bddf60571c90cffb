package org.sessionbridge.connector.zoom;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks and reads Zoom webhook requests (API-NOTES §1.7) for one app's Secret Token (Marketplace,
 * "Event Subscriptions"). No HTTP here: the caller hands over the two headers and the raw body
 * bytes exactly as received, calls {@link #verify} first and only then {@link #parse}; Zoom expects
 * 200 or 204 within 3 s. Thread-safe.
 *
 * <p>Signature: {@code x-zm-signature} = {@code "v0=" + hex(HMAC-SHA256(secret token, "v0:" +
 * x-zm-request-timestamp + ":" + raw body))}, compared in constant time. URL validation: {@code
 * encryptedToken} = {@code hex(HMAC-SHA256(secret token, plainToken))}.
 */
public final class ZoomWebhooks {

  /** Our own choice; Zoom gives no number (API-NOTES §1.7). */
  static final Duration TOLERANCE = Duration.ofMinutes(5);

  /** Above this a timestamp is read as milliseconds (API-NOTES §1.7: some senders use ms). */
  private static final long MILLIS_THRESHOLD = 1_000_000_000_000L;

  private static final String HMAC = "HmacSHA256";
  private static final String SIGNATURE_PREFIX = "v0=";
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");
  private static final HexFormat HEX = HexFormat.of();

  private final SecretKeySpec key;
  private final Clock clock;
  private final JsonMapper json;

  /**
   * @param secretToken the app's webhook Secret Token
   * @param clock the time the timestamp header is checked against
   */
  public ZoomWebhooks(String secretToken, Clock clock) {
    if (secretToken == null || secretToken.isBlank()) {
      throw new IllegalArgumentException("the Zoom webhook secret token must not be blank");
    }
    this.key = new SecretKeySpec(secretToken.getBytes(StandardCharsets.UTF_8), HMAC);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.json = JsonMapper.builder().build();
  }

  /**
   * Whether a request is signed with our secret token and fresh (within {@link #TOLERANCE} of our
   * clock, either way). The timestamp header goes into the signed message verbatim.
   *
   * @param timestampHeader {@code x-zm-request-timestamp}
   * @param signatureHeader {@code x-zm-signature}
   * @param rawBody the request body as received, before any JSON parsing
   */
  public ZoomWebhookCheck verify(
      @Nullable String timestampHeader, @Nullable String signatureHeader, byte[] rawBody) {
    Objects.requireNonNull(rawBody, "rawBody");
    if (timestampHeader == null
        || timestampHeader.isBlank()
        || signatureHeader == null
        || signatureHeader.isBlank()) {
      return ZoomWebhookCheck.refused(ZoomWebhookCheck.Refusal.MISSING_HEADERS);
    }
    if (!DIGITS.matcher(timestampHeader).matches()) {
      return ZoomWebhookCheck.refused(ZoomWebhookCheck.Refusal.MALFORMED_TIMESTAMP);
    }
    if (!fresh(Long.parseLong(timestampHeader))) {
      return ZoomWebhookCheck.refused(ZoomWebhookCheck.Refusal.STALE);
    }
    Mac mac = mac();
    mac.update(("v0:" + timestampHeader + ":").getBytes(StandardCharsets.UTF_8));
    byte[] expected =
        (SIGNATURE_PREFIX + HEX.formatHex(mac.doFinal(rawBody))).getBytes(StandardCharsets.UTF_8);
    byte[] received = signatureHeader.getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, received)
        ? ZoomWebhookCheck.accepted()
        : ZoomWebhookCheck.refused(ZoomWebhookCheck.Refusal.BAD_SIGNATURE);
  }

  /**
   * The answer to {@code endpoint.url_validation}; send it only for a {@link #verify verified}
   * request.
   *
   * @param plainToken {@code payload.plainToken} of the event, see {@link ZoomEvent#plainToken()}
   */
  public ZoomUrlValidationAnswer urlValidationAnswer(String plainToken) {
    if (plainToken == null || plainToken.isBlank()) {
      throw new IllegalArgumentException("the url_validation plainToken must not be blank");
    }
    byte[] hmac = mac().doFinal(plainToken.getBytes(StandardCharsets.UTF_8));
    return new ZoomUrlValidationAnswer(plainToken, HEX.formatHex(hmac));
  }

  /**
   * Reads the envelope {@code {"event", "event_ts", "payload": {...}}} and the fields the waiting-
   * room guard needs. Settings absent from {@code payload.object.settings} stay {@code null}.
   *
   * @throws IllegalArgumentException when the body is not JSON or lacks {@code event} / {@code
   *     event_ts}; the message gives the position or field, never the body
   */
  public ZoomEvent parse(byte[] rawBody) {
    Objects.requireNonNull(rawBody, "rawBody");
    JsonNode root;
    try {
      root = json.readTree(rawBody);
    } catch (JacksonException e) {
      // Jackson's message quotes the offending token, which may be a secret: keep only the place.
      throw new IllegalArgumentException(
          "Zoom webhook body is not valid JSON" + where(e.getLocation()));
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("Zoom webhook body is not a JSON object");
    }
    JsonNode event = root.path("event");
    if (!event.isString() || event.asString().isBlank()) {
      throw new IllegalArgumentException("Zoom webhook body has no event");
    }
    JsonNode eventTs = root.path("event_ts");
    if (!eventTs.isIntegralNumber() || !eventTs.canConvertToLong()) {
      throw new IllegalArgumentException("Zoom webhook body has no numeric event_ts");
    }
    JsonNode payload = root.path("payload");
    JsonNode object = payload.path("object");
    JsonNode settings = object.path("settings");
    JsonNode plainToken = payload.path("plainToken");
    return new ZoomEvent(
        event.asString(),
        eventTs.asLong(),
        meetingId(object.path("id")),
        bool(settings.path("waiting_room")),
        bool(settings.path("join_before_host")),
        plainToken.isString() ? plainToken.asString() : null);
  }

  private boolean fresh(long timestamp) {
    Instant sent =
        timestamp > MILLIS_THRESHOLD
            ? Instant.ofEpochMilli(timestamp)
            : Instant.ofEpochSecond(timestamp);
    return Duration.between(sent, clock.instant()).abs().compareTo(TOLERANCE) <= 0;
  }

  private Mac mac() {
    try {
      Mac mac = Mac.getInstance(HMAC); // not thread-safe: one per call
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static @Nullable String meetingId(JsonNode id) {
    if (id.isIntegralNumber()) {
      return id.asString();
    }
    if (id.isString() && !id.asString().isBlank()) {
      return id.asString();
    }
    return null;
  }

  private static @Nullable Boolean bool(JsonNode value) {
    return value.isBoolean() ? value.asBoolean() : null;
  }

  private static String where(@Nullable TokenStreamLocation location) {
    return location == null
        ? ""
        : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  @Override
  public String toString() {
    return "ZoomWebhooks[secretToken=<redacted>]";
  }
}
