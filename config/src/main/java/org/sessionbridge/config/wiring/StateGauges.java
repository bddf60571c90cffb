package org.sessionbridge.config.wiring;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One gauge per state of a work table ({@code name{state=…}}), all read from one count query: the
 * counts are taken once and reused for a second, so a scrape asks the database once, not once per
 * state.
 */
final class StateGauges<S extends Enum<S>> {

  private static final long REUSE_NANOS = 1_000_000_000L;

  private final Supplier<Map<S, Long>> counts;
  private Map<S, Long> last = Map.of();
  private long takenAt;
  private boolean taken;

  private StateGauges(Supplier<Map<S, Long>> counts) {
    this.counts = counts;
  }

  static <S extends Enum<S>> void register(
      MeterRegistry registry,
      String name,
      String description,
      Class<S> states,
      Supplier<Map<S, Long>> counts) {
    StateGauges<S> gauges = new StateGauges<>(counts);
    for (S state : states.getEnumConstants()) {
      Gauge.builder(name, gauges, g -> g.count(state))
          .tag("state", state.name())
          .description(description)
          // Nothing else holds the gauges' state; Micrometer keeps only weak references otherwise.
          .strongReference(true)
          .register(registry);
    }
  }

  private synchronized double count(S state) {
    long now = System.nanoTime();
    if (!taken || now - takenAt > REUSE_NANOS) {
      last = counts.get();
      takenAt = now;
      taken = true;
    }
    return last.getOrDefault(state, 0L);
  }
}
