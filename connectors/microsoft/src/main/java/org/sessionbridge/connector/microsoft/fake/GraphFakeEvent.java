package org.sessionbridge.connector.microsoft.fake;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An Outlook event as the fake holds it (a snapshot). {@link #toString()} leaves out the subject.
 *
 * @param transactionId the client's idempotency key, null when none was sent
 * @param extendedProperties single-value extended properties, by id
 * @param deleted deleted by the API or by the owner
 */
public record GraphFakeEvent(
    String id,
    String calendarId,
    String subject,
    Instant start,
    Instant end,
    boolean allDay,
    String showAs,
    @Nullable String transactionId,
    Map<String, String> extendedProperties,
    String changeKey,
    boolean deleted) {

  @Override
  public String toString() {
    return "GraphFakeEvent[id="
        + id
        + ", start="
        + start
        + ", end="
        + end
        + ", showAs="
        + showAs
        + ", transactionId="
        + transactionId
        + ", deleted="
        + deleted
        + ", subject=<redacted>]";
  }
}
