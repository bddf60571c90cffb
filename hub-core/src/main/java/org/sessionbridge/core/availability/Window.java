package org.sessionbridge.core.availability;

import java.time.Instant;

/**
 * One occurrence of a working section as instants: once a week, except on a day when clocks spring
 * forward over all of it (see {@link SlotCalculator} for the DST rules).
 */
public record Window(Span span, WorkingSection section) {

  public Instant start() {
    return span.start();
  }

  public Instant end() {
    return span.end();
  }
}
