package org.sessionbridge.core.outbox;

/** What happened when one handler was offered one event. */
public enum DeliveryOutcome {
  /** The handler ran and its completion was committed together with whatever it wrote. */
  DELIVERED,
  /** The handler had already taken this event in an earlier attempt; it was not called again. */
  ALREADY_DONE,
  /**
   * The event is no longer pending and due: delivered, dead-lettered, or failed and backing off, by
   * another worker or node since it was batched.
   */
  NOT_PENDING
}
