package org.sessionbridge.core.error;

/**
 * The request is valid but clashes with the current state (HTTP 409), e.g. rescheduling a cancelled
 * session.
 */
public final class ConflictException extends RuntimeException {

  private final String field;

  public ConflictException(String field, String reason) {
    super(reason);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
