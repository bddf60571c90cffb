package org.sessionbridge.routes.notification;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP SMS gateway ({@code sessionbridge.notifications.sms.*}): messages are posted to {@code
 * {base-url}/messages}. The token never appears in {@link #toString()}.
 *
 * @param token sent as {@code Authorization: Bearer} when set
 * @param from the sender id or number the gateway should use, when set
 */
public record SmsSettings(
    URI baseUrl, @Nullable String token, @Nullable String from, Duration timeout) {

  public SmsSettings {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(timeout, "timeout");
  }

  /** Where messages are posted. */
  public URI messagesUrl() {
    String base = baseUrl.toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + "/messages");
  }

  @Override
  public String toString() {
    return "SmsSettings[baseUrl="
        + baseUrl
        + ", token="
        + (token == null ? "<unset>" : "<redacted>")
        + "]";
  }
}
