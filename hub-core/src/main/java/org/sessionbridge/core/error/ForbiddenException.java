package org.sessionbridge.core.error;

/**
 * The practice may do this, but not through the staff member who is acting (HTTP 403), e.g. a
 * PROVIDER granting the telehealth role. {@code field} names where the actor was given.
 */
public final class ForbiddenException extends RuntimeException {

  private final String field;

  public ForbiddenException(String field, String reason) {
    super(reason);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
