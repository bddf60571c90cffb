package org.sessionbridge.routes.notification;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where e-mail goes ({@code sessionbridge.notifications.smtp.*}). The password never appears in
 * {@link #toString()}.
 *
 * @param starttls require STARTTLS before authenticating
 * @param timeout connect, read and write timeout of one SMTP conversation
 */
public record SmtpSettings(
    String host,
    int port,
    @Nullable String username,
    @Nullable String password,
    String from,
    boolean starttls,
    Duration timeout) {

  public SmtpSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(from, "from");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535: " + port);
    }
  }

  @Override
  public String toString() {
    return "SmtpSettings[host="
        + host
        + ", port="
        + port
        + ", username="
        + (username == null ? "<unset>" : "<set>")
        + ", password="
        + (password == null ? "<unset>" : "<redacted>")
        + ", starttls="
        + starttls
        + "]";
  }
}
