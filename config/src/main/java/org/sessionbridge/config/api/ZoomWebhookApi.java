package org.sessionbridge.config.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.config.settings.SessionBridgeProperties;
import org.sessionbridge.connector.zoom.ZoomEvent;
import org.sessionbridge.connector.zoom.ZoomUrlValidationAnswer;
import org.sessionbridge.connector.zoom.ZoomWebhookCheck;
import org.sessionbridge.connector.zoom.ZoomWebhooks;
import org.sessionbridge.core.meeting.MeetingStore;
import org.sessionbridge.core.practice.VideoPlatform;
import org.sessionbridge.core.store.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /webhooks/zoom}: Zoom's event notifications, verified by {@code x-zm-signature}
 * (HMAC-SHA256 with {@code sessionbridge.zoom.webhook-secret-token}, timestamps older than five
 * minutes refused), answering Zoom's URL validation. Acting on an event is one database update (the
 * meeting is marked for a check); the meeting route reads it back and repairs it, so the answer
 * leaves well within Zoom's 3 s. A request seen before (same signature and timestamp) is
 * acknowledged and not acted on again.
 */
@RestController
@Tag(name = "Webhooks")
final class ZoomWebhookApi {

  private static final Logger log = LoggerFactory.getLogger(ZoomWebhookApi.class);

  private final @Nullable ZoomWebhooks webhooks;
  private final MeetingStore meetings;

  ZoomWebhookApi(SessionBridgeProperties properties, MeetingStore meetings, Clock clock) {
    String secret = properties.zoom().webhookSecretToken();
    this.webhooks = secret == null || secret.isBlank() ? null : new ZoomWebhooks(secret, clock);
    this.meetings = meetings;
  }

  @PostMapping(path = "/webhooks/zoom", consumes = "*/*")
  @Operation(
      summary = "Zoom event notifications (signed); answers endpoint.url_validation",
      description =
          "401 when the signature or timestamp does not verify, 503 until"
              + " sessionbridge.zoom.webhook-secret-token is set.")
  Object receive(
      @RequestHeader(name = "x-zm-request-timestamp", required = false) @Nullable String timestamp,
      @RequestHeader(name = "x-zm-signature", required = false) @Nullable String signature,
      @RequestBody(required = false) byte @Nullable [] body) {
    ZoomWebhooks verifier = webhooks;
    if (verifier == null) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "Zoom webhooks not configured",
          "the operator must set sessionbridge.zoom.webhook-secret-token to the Secret Token of"
              + " the Zoom app's event subscription");
    }
    byte[] raw = body == null ? new byte[0] : body;
    ZoomWebhookCheck check = verifier.verify(timestamp, signature, raw);
    if (!check.isAccepted()) {
      log.info("Zoom webhook refused: {}", check.refusal());
      throw ApiException.unauthorized(
          "the request is not signed by Zoom with our secret token or is too old ("
              + check.refusal()
              + ")");
    }
    ZoomEvent event;
    try {
      event = verifier.parse(raw);
    } catch (IllegalArgumentException e) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "Unreadable Zoom event", e.getMessage());
    }
    if (event.isUrlValidation()) {
      String plainToken = event.plainToken();
      if (plainToken == null || plainToken.isBlank()) {
        throw new ApiException(
            HttpStatus.BAD_REQUEST, "Unreadable Zoom event", "url_validation without plainToken");
      }
      ZoomUrlValidationAnswer answer = verifier.urlValidationAnswer(plainToken);
      return Map.of("plainToken", answer.plainToken(), "encryptedToken", answer.encryptedToken());
    }
    if (!meetings.firstReceipt("zoom", Sha256.hex(timestamp + ":" + signature))) {
      return Map.of("status", "duplicate");
    }
    String meetingId = event.meetingId();
    if (meetingId == null || !event.event().startsWith("meeting.")) {
      return Map.of("status", "ignored");
    }
    return meetings
        .byMeetingId(VideoPlatform.ZOOM, meetingId)
        .map(
            w -> {
              meetings.requestCheck(w.appointmentId());
              log.info(
                  "Zoom {} for the meeting of appointment {}: check queued",
                  event.event(),
                  w.appointmentId());
              return Map.of("status", "accepted");
            })
        .orElse(Map.of("status", "ignored"));
  }
}
