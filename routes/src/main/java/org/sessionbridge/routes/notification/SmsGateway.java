package org.sessionbridge.routes.notification;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A generic HTTP SMS gateway (docs/NOTIFICATIONS.md, "SMS gateway contract"): one JSON POST per
 * message to {@code {base-url}/messages} with {@code Authorization: Bearer {token}} and {@code
 * Idempotency-Key: {notification id}}, so a message sent again after a crash is sent once by the
 * gateway. 2xx is accepted; 408, 425, 429 and 5xx are retried (honouring {@code Retry-After}); any
 * other 4xx is a refusal for good. Reasons carry the status only: a gateway may echo the number.
 */
public final class SmsGateway {

  private final SmsSettings settings;
  private final HttpClient http;
  private final Clock clock;

  public SmsGateway(SmsSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.timeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** Sends {@code sms}; never throws for a gateway failure. */
  Delivery send(Sms sms) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(settings.messagesUrl())
            .timeout(settings.timeout())
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .header("Idempotency-Key", sms.idempotencyKey())
            .POST(HttpRequest.BodyPublishers.ofString(body(sms)));
    if (settings.token() != null && !settings.token().isBlank()) {
      request.header("Authorization", "Bearer " + settings.token());
    }
    HttpResponse<Void> answer;
    try {
      answer = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      return new Delivery.Retry("SMS gateway unreachable: " + e.getClass().getSimpleName(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Delivery.Retry("interrupted", null);
    }
    int status = answer.statusCode();
    if (status / 100 == 2) {
      return new Delivery.Accepted();
    }
    if (status == 408 || status == 425 || status == 429 || status / 100 == 5) {
      return new Delivery.Retry(
          "SMS gateway answered HTTP " + status,
          retryAfter(answer.headers().firstValue("Retry-After"), clock.instant()).orElse(null));
    }
    return new Delivery.Refused("SMS gateway refused: HTTP " + status);
  }

  /** {@code Retry-After} as seconds or an HTTP date; empty when absent or unreadable. */
  static Optional<Duration> retryAfter(Optional<String> header, Instant now) {
    if (header.isEmpty() || header.get().isBlank()) {
      return Optional.empty();
    }
    String value = header.get().strip();
    try {
      long seconds = Long.parseLong(value);
      return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        Duration wait = Duration.between(now, at);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException unreadable) {
        return Optional.empty();
      }
    }
  }

  private String body(Sms sms) {
    StringBuilder json = new StringBuilder("{\"to\":").append(quote(sms.to()));
    @Nullable String from = settings.from();
    if (from != null && !from.isBlank()) {
      json.append(",\"from\":").append(quote(from));
    }
    json.append(",\"text\":").append(quote(sms.text()));
    json.append(",\"reference\":").append(quote(sms.idempotencyKey())).append('}');
    return json.toString();
  }

  /** A JSON string literal (routes has no JSON library; the gateway contract is this small). */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
