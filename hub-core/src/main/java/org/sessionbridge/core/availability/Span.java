package org.sessionbridge.core.availability;

import java.time.Instant;
import java.util.Objects;

/** A half-open stretch of time {@code [start, end)}. */
public record Span(Instant start, Instant end) {

  public Span {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("a span ends after it starts");
    }
  }

  public boolean overlaps(Instant from, Instant to) {
    return start.isBefore(to) && end.isAfter(from);
  }

  public boolean contains(Instant from, Instant to) {
    return !start.isAfter(from) && !end.isBefore(to);
  }
}
