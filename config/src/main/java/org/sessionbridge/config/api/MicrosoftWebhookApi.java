package org.sessionbridge.config.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.connector.microsoft.GraphWebhooks;
import org.sessionbridge.core.calendar.CalendarStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /webhooks/microsoft}: Microsoft Graph change and lifecycle notifications for Outlook
 * calendar subscriptions (API-NOTES §2). A subscription's creation is validated by Graph with
 * {@code ?validationToken=…}, echoed as {@code text/plain} at once. Every notification carries the
 * subscription's {@code clientState}, which the hub made {@code <channel id>.<token>}: the channel
 * names the link and the token is compared in constant time with the hash stored for it (only the
 * newest channel of a link is accepted). A verified notification requests the link's pull (the
 * delta read does the rest, so the answer is immediate: Graph wants it within 3 seconds); {@code
 * reauthorizationRequired} and {@code subscriptionRemoved} also have the channel route open a new
 * subscription; {@code missed} is covered by the pull. A body whose every item is forged or unknown
 * answers 401.
 */
@RestController
@Tag(name = "Webhooks")
final class MicrosoftWebhookApi {

  private static final Logger log = LoggerFactory.getLogger(MicrosoftWebhookApi.class);

  private final CalendarStore calendars;

  MicrosoftWebhookApi(CalendarStore calendars) {
    this.calendars = calendars;
  }

  @PostMapping(path = "/webhooks/microsoft", consumes = "*/*")
  @Operation(
      summary = "Microsoft Graph notifications (validation handshake, clientState verified)",
      description =
          "With validationToken: 200 text/plain echoing it. Otherwise 202 once the notifications"
              + " whose clientState matches have requested their calendar's pull; 401 when none"
              + " matches; 400 for a body that is not Graph's notification JSON.")
  ResponseEntity<?> receive(
      @RequestParam(name = "validationToken", required = false) @Nullable String validationToken,
      @RequestBody(required = false) byte @Nullable [] body) {
    if (validationToken != null) {
      GraphWebhooks.ValidationAnswer answer;
      try {
        answer = GraphWebhooks.validationAnswer(validationToken);
      } catch (IllegalArgumentException e) {
        throw new ApiException(
            HttpStatus.BAD_REQUEST, "Not a validation token", "validationToken is blank or long");
      }
      return ResponseEntity.status(answer.status())
          .contentType(MediaType.parseMediaType(answer.contentType()))
          .body(answer.body());
    }
    List<GraphWebhooks.Notification> items;
    try {
      items = GraphWebhooks.parse(body == null ? new byte[0] : body);
    } catch (IllegalArgumentException e) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "Not a Graph notification",
          "the body must be Graph's notification JSON {\"value\": [...]}");
    }
    int accepted = 0;
    int refused = 0;
    for (GraphWebhooks.Notification n : items) {
      String state = n.clientState();
      int dot = state.indexOf('.');
      if (dot <= 0 || dot > 64) {
        refused++;
        continue;
      }
      String channelId = state.substring(0, dot);
      CalendarStore.ChannelCheck check =
          calendars.notifyChannel(channelId, state.substring(dot + 1));
      if (check != CalendarStore.ChannelCheck.VERIFIED) {
        refused++;
        continue;
      }
      accepted++;
      if (n.lifecycle()
          .filter(
              l ->
                  l == GraphWebhooks.Lifecycle.REAUTHORIZATION_REQUIRED
                      || l == GraphWebhooks.Lifecycle.SUBSCRIPTION_REMOVED)
          .isPresent()) {
        calendars.channelNeedsRenewal(channelId);
        log.info(
            "Microsoft asked to renew the subscription of channel {} ({})",
            channelId,
            n.lifecycle().get());
      }
    }
    if (accepted == 0 && refused > 0) {
      log.info(
          "Microsoft notification refused: {} item(s) with an unknown or wrong clientState",
          refused);
      throw ApiException.unauthorized("clientState matches no calendar subscription");
    }
    return ResponseEntity.accepted().body(Map.of("accepted", accepted, "refused", refused));
  }
}
