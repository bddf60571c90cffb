package org.sessionbridge.routes.notification;

import org.jspecify.annotations.Nullable;

/**
 * One e-mail to one person: plain text, and for confirmations and notices the single-appointment
 * .ics as a {@code text/calendar; method=...} part. Holds PHI: {@link #toString()} says nothing.
 *
 * @param messageId the Message-ID without angle brackets, stable per notification row
 */
record Email(String to, String subject, String text, @Nullable Calendar calendar, String messageId)
    implements Rendered {

  /** The .ics bytes and their METHOD (REQUEST or CANCEL). */
  record Calendar(byte[] ics, String method) {}

  @Override
  public String toString() {
    return "Email[messageId=" + messageId + "]";
  }
}
