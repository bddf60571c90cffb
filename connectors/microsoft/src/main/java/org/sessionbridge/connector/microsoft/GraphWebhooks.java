package org.sessionbridge.connector.microsoft;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP-free half of {@code POST /webhooks/microsoft} (API-NOTES §2.6): the validation
 * handshake, the {@code clientState} check of change notifications, and lifecycle notifications.
 *
 * <p>The caller (the hub's endpoint):
 *
 * <ol>
 *   <li>when the request has a {@code validationToken} query parameter, answers {@link
 *       #validationAnswer} at once: 200, {@code text/plain}, the (URL-decoded) token as the body,
 *       within Graph's 10 s;
 *   <li>otherwise reads the body as raw bytes and calls {@link #verify} with a lookup of the {@code
 *       clientState} it gave each subscription (the {@code token} of {@code watch}); items whose
 *       state does not match (compared in constant time) are refused and must be ignored;
 *   <li>answers 202 within 3 s and hands the accepted items off: a change means "pull this calendar
 *       now"; a {@link Lifecycle lifecycle event} means reauthorize or renew ({@code
 *       REAUTHORIZATION_REQUIRED}), subscribe again and resync ({@code SUBSCRIPTION_REMOVED}) or
 *       resync ({@code MISSED}).
 * </ol>
 *
 * <p>Messages never quote the body or a client state.
 */
public final class GraphWebhooks {

  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  /** Graph's validation tokens are short; anything longer is not one. */
  private static final int MAX_VALIDATION_TOKEN = 1024;

  private GraphWebhooks() {}

  /** What to answer Graph's validation request. */
  public record ValidationAnswer(int status, String contentType, String body) {}

  /**
   * The answer to {@code POST {notificationUrl}?validationToken=…}: 200 {@code text/plain} with the
   * token, already URL-decoded by the caller's framework, echoed unchanged.
   *
   * @throws IllegalArgumentException for a blank or implausibly long token (answer 400)
   */
  public static ValidationAnswer validationAnswer(String validationToken) {
    if (validationToken == null
        || validationToken.isBlank()
        || validationToken.length() > MAX_VALIDATION_TOKEN) {
      throw new IllegalArgumentException("not a Graph validation token");
    }
    return new ValidationAnswer(200, "text/plain; charset=utf-8", validationToken);
  }

  /** What a lifecycle notification asks for. */
  public enum Lifecycle {
    /** Renew (PATCH) or reauthorize the subscription soon. */
    REAUTHORIZATION_REQUIRED,
    /** Graph removed the subscription: subscribe again and resync with delta. */
    SUBSCRIPTION_REMOVED,
    /** Notifications were lost: resync with delta. */
    MISSED;

    static Optional<Lifecycle> of(@Nullable String value) {
      if (value == null) {
        return Optional.empty();
      }
      return switch (value) {
        case "reauthorizationRequired" -> Optional.of(REAUTHORIZATION_REQUIRED);
        case "subscriptionRemoved" -> Optional.of(SUBSCRIPTION_REMOVED);
        case "missed" -> Optional.of(MISSED);
        default -> Optional.empty();
      };
    }
  }

  /**
   * One item of a notification body. {@link #toString()} leaves out the client state.
   *
   * @param changeType {@code created}, {@code updated} or {@code deleted}; empty for lifecycle
   *     items
   * @param resourceId the changed event's id ({@code resourceData.id}); empty when not sent
   * @param lifecycle set for lifecycle notifications
   */
  public record Notification(
      String subscriptionId,
      Optional<String> changeType,
      Optional<String> resourceId,
      Optional<String> tenantId,
      String clientState,
      Optional<Instant> subscriptionExpiration,
      Optional<Lifecycle> lifecycle) {

    public Notification {
      Objects.requireNonNull(subscriptionId, "subscriptionId");
      Objects.requireNonNull(clientState, "clientState");
    }

    @Override
    public String toString() {
      return "Notification[subscription="
          + subscriptionId
          + ", changeType="
          + changeType.orElse("-")
          + ", lifecycle="
          + lifecycle.map(Enum::name).orElse("-")
          + ", clientState=<redacted>]";
    }
  }

  /**
   * The items whose {@code clientState} matched, and how many were refused (unknown subscription or
   * forged state).
   */
  public record Verified(List<Notification> accepted, int refused) {
    public Verified {
      accepted = List.copyOf(accepted);
    }
  }

  /**
   * Parses a change or lifecycle notification body ({@code {"value":[…]}}).
   *
   * @throws IllegalArgumentException the body is not such JSON (answer 400); the message names no
   *     body content
   */
  public static List<Notification> parse(byte[] rawBody) {
    JsonNode root;
    try {
      root = MAPPER.readTree(rawBody);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("the notification body is not JSON");
    }
    JsonNode value = root == null ? null : root.get("value");
    if (value == null || !value.isArray()) {
      throw new IllegalArgumentException("the notification body has no value array");
    }
    List<Notification> items = new ArrayList<>();
    int index = 0;
    for (JsonNode item : value) {
      String subscriptionId = text(item, "subscriptionId");
      if (subscriptionId == null) {
        throw new IllegalArgumentException("notification " + index + " has no subscriptionId");
      }
      Optional<Instant> expiration = Optional.empty();
      String expires = text(item, "subscriptionExpirationDateTime");
      if (expires != null) {
        try {
          expiration = Optional.of(OffsetDateTime.parse(expires).toInstant());
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException(
              "notification " + index + " has an unreadable subscriptionExpirationDateTime");
        }
      }
      String lifecycle = text(item, "lifecycleEvent");
      Optional<Lifecycle> event = Lifecycle.of(lifecycle);
      if (lifecycle != null && event.isEmpty()) {
        throw new IllegalArgumentException(
            "notification " + index + " has an unknown lifecycleEvent");
      }
      JsonNode data = item.get("resourceData");
      items.add(
          new Notification(
              subscriptionId,
              Optional.ofNullable(text(item, "changeType")).map(t -> t.toLowerCase(Locale.ROOT)),
              Optional.ofNullable(data == null ? null : text(data, "id")),
              Optional.ofNullable(text(item, "tenantId")),
              Objects.requireNonNullElse(text(item, "clientState"), ""),
              expiration,
              event));
      index++;
    }
    return List.copyOf(items);
  }

  /** Whether the item carries {@code expected}, compared in constant time. */
  public static boolean clientStateMatches(Notification notification, String expected) {
    return !expected.isEmpty()
        && MessageDigest.isEqual(
            notification.clientState().getBytes(StandardCharsets.UTF_8),
            expected.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Parses {@code rawBody} and keeps the items whose {@code clientState} matches the one the hub
   * gave their subscription.
   *
   * @param expectedClientState the hub's client state of a subscription id, empty when the hub
   *     knows no such subscription (its items are refused)
   * @throws IllegalArgumentException the body is not a notification body
   */
  public static Verified verify(
      byte[] rawBody, Function<String, Optional<String>> expectedClientState) {
    List<Notification> accepted = new ArrayList<>();
    int refused = 0;
    for (Notification n : parse(rawBody)) {
      Optional<String> expected = expectedClientState.apply(n.subscriptionId());
      if (expected != null && expected.isPresent() && clientStateMatches(n, expected.get())) {
        accepted.add(n);
      } else {
        refused++;
      }
    }
    return new Verified(accepted, refused);
  }

  private static @Nullable String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || !value.isString() ? null : value.asString();
  }
}
