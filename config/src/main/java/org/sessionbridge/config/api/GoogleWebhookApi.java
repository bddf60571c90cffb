package org.sessionbridge.config.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.calendar.CalendarStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /webhooks/google}: Google Calendar push notifications (API-NOTES §3.4). They carry no
 * body and no signature: the channel id names the link and the channel token (compared in constant
 * time with the hash stored for the channel) proves the sender knows our secret. Acting on one is a
 * single update (the link's pull is requested); the pull route reads the changes, so the answer is
 * immediate. Unknown channels answer 404, a wrong or missing token 401.
 *
 * <p>Channels are opened with {@code events.watch}, renewed before expiry and the replaced ones
 * stopped by the calendar-channels route (docs/CALENDARS.md); only a link's newest channel is
 * accepted. The polling fallback pulls every link whatever happens to pushes.
 */
@RestController
@Tag(name = "Webhooks")
final class GoogleWebhookApi {

  private static final Logger log = LoggerFactory.getLogger(GoogleWebhookApi.class);

  private final CalendarStore calendars;

  GoogleWebhookApi(CalendarStore calendars) {
    this.calendars = calendars;
  }

  @PostMapping(path = "/webhooks/google", consumes = "*/*")
  @Operation(
      summary = "Google Calendar push notifications (channel id and token verified)",
      description =
          "200 with the link's pull requested; 404 for an unknown channel, 401 for a"
              + " wrong token.")
  Map<String, String> receive(
      @RequestHeader(name = "X-Goog-Channel-ID", required = false) @Nullable String channelId,
      @RequestHeader(name = "X-Goog-Channel-Token", required = false) @Nullable String token,
      @RequestHeader(name = "X-Goog-Resource-State", required = false) @Nullable String state,
      @RequestBody(required = false) byte @Nullable [] body) {
    if (channelId == null || channelId.isBlank() || channelId.length() > 64) {
      throw new ApiException(
          HttpStatus.NOT_FOUND, "Unknown channel", "X-Goog-Channel-ID names no calendar channel");
    }
    CalendarStore.ChannelCheck check = calendars.notifyChannel(channelId, token);
    return switch (check) {
      case UNKNOWN ->
          throw new ApiException(
              HttpStatus.NOT_FOUND,
              "Unknown channel",
              "X-Goog-Channel-ID names no calendar channel");
      case FORGED -> {
        log.info("Google notification for channel {} refused: wrong channel token", channelId);
        throw ApiException.unauthorized("X-Goog-Channel-Token is not the channel's token");
      }
      case VERIFIED -> Map.of("status", "sync".equals(state) ? "synced" : "accepted");
    };
  }
}
