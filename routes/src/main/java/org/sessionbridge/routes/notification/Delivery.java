package org.sessionbridge.routes.notification;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What one send came to. Reasons name a status or an exception type, never an address, a phone
 * number or a name.
 */
sealed interface Delivery {

  /** Accepted by the mail server or the SMS gateway. */
  record Accepted() implements Delivery {}

  /** Refused for good (an unknown address, a gateway's 4xx): do not send again. */
  record Refused(String reason) implements Delivery {}

  /** Not accepted this time; try again, not before {@code after} when the other side said so. */
  record Retry(String reason, @Nullable Duration after) implements Delivery {}
}
