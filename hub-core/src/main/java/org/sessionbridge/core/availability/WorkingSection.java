package org.sessionbridge.core.availability;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.practice.VideoPlatform;

/**
 * A weekly stretch of a provider's working time, in wall-clock time of the provider's zone.
 *
 * @param day the day of the week it starts and ends on (sections do not cross midnight)
 * @param start the first minute of the section
 * @param end when the section ends (exclusive)
 * @param modality the sessions it is for
 * @param platforms the video services offered in it; {@code null} means all the provider's
 */
public record WorkingSection(
    DayOfWeek day,
    LocalTime start,
    LocalTime end,
    SectionModality modality,
    @Nullable Set<VideoPlatform> platforms) {

  public WorkingSection {
    Objects.requireNonNull(day, "day");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(modality, "modality");
    if (platforms != null) {
      platforms =
          Collections.unmodifiableSet(
              platforms.isEmpty()
                  ? EnumSet.noneOf(VideoPlatform.class)
                  : EnumSet.copyOf(platforms));
    }
  }

  /** Whether {@code modality} sessions may take place in the section. */
  public boolean offers(Modality modality) {
    return this.modality.offers(modality);
  }

  /**
   * The video services offered in the section: those it names, or else all the provider's ({@code
   * services}).
   */
  public Set<VideoPlatform> platformsAmong(Set<VideoPlatform> services) {
    return platforms != null ? platforms : services;
  }
}
