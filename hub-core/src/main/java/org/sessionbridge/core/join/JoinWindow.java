package org.sessionbridge.core.join;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a join link works: from {@code opensBefore} the start until {@code closesAfter} the end.
 * Outside it the link answers a page saying the session is not open yet, or has ended.
 */
public record JoinWindow(Duration opensBefore, Duration closesAfter) {

  public JoinWindow {
    Objects.requireNonNull(opensBefore, "opensBefore");
    Objects.requireNonNull(closesAfter, "closesAfter");
    if (opensBefore.isNegative() || closesAfter.isNegative()) {
      throw new IllegalArgumentException("join window margins must not be negative");
    }
  }

  /** Where {@code now} falls for a session from {@code start} to {@code end}. */
  public Phase phase(Instant start, Instant end, Instant now) {
    if (now.isBefore(opensAt(start))) {
      return Phase.NOT_YET;
    }
    return now.isBefore(closesAt(end)) ? Phase.OPEN : Phase.ENDED;
  }

  public Instant opensAt(Instant start) {
    return start.minus(opensBefore);
  }

  public Instant closesAt(Instant end) {
    return end.plus(closesAfter);
  }

  /** Before, inside or after the window. */
  public enum Phase {
    NOT_YET,
    OPEN,
    ENDED
  }
}
