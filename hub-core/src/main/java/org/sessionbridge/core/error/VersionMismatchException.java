package org.sessionbridge.core.error;

/** An {@code If-Match} precondition named a version that is no longer current (HTTP 412). */
public final class VersionMismatchException extends RuntimeException {

  private final long current;

  public VersionMismatchException(long expected, long current) {
    super(
        "the appointment is at version "
            + current
            + ", not "
            + expected
            + "; read it again and retry");
    this.current = current;
  }

  public long current() {
    return current;
  }
}
