package org.sessionbridge.core.notification;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A practice's reminder settings: how long before a session reminders go out ({@value #MIN_MINUTES}
 * to {@value #MAX_MINUTES} minutes, {@value #DEFAULT_MINUTES} by default) and whether clients with
 * a phone number also get a text message (off by default).
 */
public record NotificationSettings(int reminderMinutes, boolean smsEnabled) {

  public static final int MIN_MINUTES = 15;
  public static final int MAX_MINUTES = 30;
  public static final int DEFAULT_MINUTES = 20;
  public static final NotificationSettings DEFAULTS =
      new NotificationSettings(DEFAULT_MINUTES, false);

  public NotificationSettings {
    if (reminderMinutes < MIN_MINUTES || reminderMinutes > MAX_MINUTES) {
      throw new IllegalArgumentException(
          "reminder minutes must be " + MIN_MINUTES + " to " + MAX_MINUTES);
    }
  }

  public Duration lead() {
    return Duration.ofMinutes(reminderMinutes);
  }

  /** These settings with the given values changed; {@code null} keeps one. */
  public NotificationSettings with(@Nullable Integer minutes, @Nullable Boolean sms) {
    return new NotificationSettings(
        minutes == null ? reminderMinutes : minutes, sms == null ? smsEnabled : sms);
  }
}
