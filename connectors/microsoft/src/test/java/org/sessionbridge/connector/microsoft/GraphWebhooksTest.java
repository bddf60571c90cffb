package org.sessionbridge.connector.microsoft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Validation echo, clientState check and lifecycle parsing (API-NOTES §2.6). */
class GraphWebhooksTest {

  private static final String CHANGE =
      "{\"value\":[{\"subscriptionId\":\"sub-1\",\"subscriptionExpirationDateTime\":\"2026-03-08T10:00:00Z\","
          + "\"clientState\":\"s3cret-state\",\"changeType\":\"updated\",\"resource\":\"Users/u/Events/e1\","
          + "\"tenantId\":\"t\",\"resourceData\":{\"@odata.type\":\"#Microsoft.Graph.Event\",\"id\":\"e1\"}},"
          + "{\"subscriptionId\":\"sub-1\",\"clientState\":\"forged\",\"changeType\":\"deleted\","
          + "\"resourceData\":{\"id\":\"e2\"}},"
          + "{\"subscriptionId\":\"sub-unknown\",\"clientState\":\"s3cret-state\",\"changeType\":\"created\"}]}";

  @Test
  void theValidationTokenIsEchoedAsPlainText() {
    GraphWebhooks.ValidationAnswer answer =
        GraphWebhooks.validationAnswer(
            "Validation: Testing client application reachability for subscription Request-Id: 1");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.contentType()).startsWith("text/plain");
    assertThat(answer.body())
        .isEqualTo(
            "Validation: Testing client application reachability for subscription Request-Id: 1");
    assertThatThrownBy(() -> GraphWebhooks.validationAnswer(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void onlyItemsWithTheSubscriptionsOwnClientStateAreAccepted() {
    GraphWebhooks.Verified verified =
        GraphWebhooks.verify(
            CHANGE.getBytes(StandardCharsets.UTF_8),
            id -> Optional.ofNullable(Map.of("sub-1", "s3cret-state").get(id)));

    assertThat(verified.refused()).isEqualTo(2);
    assertThat(verified.accepted())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.subscriptionId()).isEqualTo("sub-1");
              assertThat(n.changeType()).contains("updated");
              assertThat(n.resourceId()).contains("e1");
              assertThat(n.subscriptionExpiration())
                  .contains(Instant.parse("2026-03-08T10:00:00Z"));
              assertThat(n.lifecycle()).isEmpty();
              assertThat(n.toString()).doesNotContain("s3cret-state");
            });
  }

  @Test
  void aPrefixOfTheStateOrAnEmptyStateIsRefused() {
    GraphWebhooks.Notification n =
        GraphWebhooks.parse(CHANGE.getBytes(StandardCharsets.UTF_8)).get(0);

    assertThat(GraphWebhooks.clientStateMatches(n, "s3cret-state")).isTrue();
    assertThat(GraphWebhooks.clientStateMatches(n, "s3cret")).isFalse();
    assertThat(GraphWebhooks.clientStateMatches(n, "")).isFalse();
  }

  @Test
  void lifecycleEventsAreParsed() {
    String body =
        "{\"value\":["
            + "{\"subscriptionId\":\"a\",\"clientState\":\"x\",\"lifecycleEvent\":\"reauthorizationRequired\"},"
            + "{\"subscriptionId\":\"b\",\"clientState\":\"x\",\"lifecycleEvent\":\"subscriptionRemoved\"},"
            + "{\"subscriptionId\":\"c\",\"clientState\":\"x\",\"lifecycleEvent\":\"missed\"}]}";

    assertThat(GraphWebhooks.parse(body.getBytes(StandardCharsets.UTF_8)))
        .extracting(n -> n.lifecycle().orElseThrow())
        .containsExactly(
            GraphWebhooks.Lifecycle.REAUTHORIZATION_REQUIRED,
            GraphWebhooks.Lifecycle.SUBSCRIPTION_REMOVED,
            GraphWebhooks.Lifecycle.MISSED);
  }

  @Test
  void malformedBodiesAreRefusedWithoutQuotingThem() {
    assertThatThrownBy(
            () -> GraphWebhooks.parse("not json s3cret".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(
            () ->
                GraphWebhooks.parse(
                    "{\"value\":[{\"clientState\":\"x\"}]}".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("subscriptionId");
    assertThatThrownBy(
            () ->
                GraphWebhooks.parse(
                    "{\"value\":[{\"subscriptionId\":\"a\",\"lifecycleEvent\":\"bogus\"}]}"
                        .getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("lifecycleEvent");
  }
}
