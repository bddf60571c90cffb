package org.sessionbridge.routes.notification;

/**
 * One text message. Holds PHI: {@link #toString()} says nothing.
 *
 * @param idempotencyKey the notification row's id: the gateway sends a key once
 */
record Sms(String to, String text, String idempotencyKey) implements Rendered {

  @Override
  public String toString() {
    return "Sms[key=" + idempotencyKey + "]";
  }
}
