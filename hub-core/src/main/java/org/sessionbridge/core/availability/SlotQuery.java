package org.sessionbridge.core.availability;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.sessionbridge.core.appointment.Modality;

/**
 * What slots to look for: those starting in {@code [from, to)}, {@code duration} long, on a grid of
 * {@code step}, for any of {@code modalities}.
 */
public record SlotQuery(
    Instant from, Instant to, Duration duration, Duration step, Set<Modality> modalities) {

  public SlotQuery {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("to must be after from");
    }
    if (duration.isNegative() || duration.isZero() || step.isNegative() || step.isZero()) {
      throw new IllegalArgumentException("duration and step must be positive");
    }
    if (modalities.isEmpty()) {
      throw new IllegalArgumentException("at least one modality");
    }
    modalities = Collections.unmodifiableSet(EnumSet.copyOf(modalities));
  }
}
