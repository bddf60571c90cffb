package org.sessionbridge.connector.microsoft.fake;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A change-notification subscription as the fake holds it (a snapshot). {@link #toString()} leaves
 * out the client state.
 */
public record GraphFakeSubscription(
    String id,
    String resource,
    String changeType,
    String notificationUrl,
    @Nullable String lifecycleNotificationUrl,
    String clientState,
    Instant expiration,
    boolean deleted) {

  @Override
  public String toString() {
    return "GraphFakeSubscription[id="
        + id
        + ", resource="
        + resource
        + ", changeType="
        + changeType
        + ", expiration="
        + expiration
        + ", deleted="
        + deleted
        + ", clientState=<redacted>]";
  }
}
