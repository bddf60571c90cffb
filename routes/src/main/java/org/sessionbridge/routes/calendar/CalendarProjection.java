package org.sessionbridge.routes.calendar;

import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.calendar.CalendarEvent;

/**
 * The text of the event in a provider's calendar besides the title (which {@link
 * org.sessionbridge.core.policy.CalendarPrivacy} makes): never the appointment's own title or
 * notes, which may carry clinical detail. The connector adds the join link and instructions.
 */
final class CalendarProjection {

  static final String LINK_FOLLOWS = "The video link will be added before the session.";

  private CalendarProjection() {}

  /** The event's body text: a hint while a telehealth session has no join link yet. */
  static String description(Modality modality, Optional<CalendarEvent.Join> join) {
    return modality == Modality.TELEHEALTH && join.isEmpty() ? LINK_FOLLOWS : "";
  }

  /** The practice's address for in-person sessions; none for telehealth. */
  static Optional<String> location(Modality modality, @Nullable String practiceLocation) {
    return modality == Modality.IN_PERSON && practiceLocation != null && !practiceLocation.isBlank()
        ? Optional.of(practiceLocation)
        : Optional.empty();
  }
}
