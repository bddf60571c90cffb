package org.sessionbridge.routes.notification;

/** A notification made ready to send ({@link Email}, {@link Sms}), or why nothing is sent. */
sealed interface Rendered permits Email, Sms, Rendered.Skip {

  /** Nothing to send: the reason is stored on the row (no PHI). */
  record Skip(String reason) implements Rendered {}
}
