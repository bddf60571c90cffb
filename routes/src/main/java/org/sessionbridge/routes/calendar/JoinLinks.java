package org.sessionbridge.routes.calendar;

import java.util.Optional;
import java.util.UUID;
import org.sessionbridge.core.calendar.CalendarEvent;

/**
 * Where a telehealth appointment's join link comes from: the meeting the meeting route made (Zoom,
 * Teams), or the provider's link service (Doxy.me, VSee). The meeting's link appears after the
 * calendar event was planned; the meeting route then calls {@link
 * org.sessionbridge.core.calendar.CalendarStore#requestRefresh} and the push route asks again.
 */
@FunctionalInterface
public interface JoinLinks {

  /** The join link and instructions of the appointment, once known. */
  Optional<CalendarEvent.Join> join(UUID practiceId, UUID appointmentId);

  JoinLinks NONE = (practiceId, appointmentId) -> Optional.empty();
}
