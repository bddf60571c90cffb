package org.sessionbridge.routes.calendar;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.sessionbridge.core.appointment.Appointment;
import org.sessionbridge.core.appointment.AppointmentBook;
import org.sessionbridge.core.appointment.AppointmentChange;
import org.sessionbridge.core.appointment.AppointmentStatus;
import org.sessionbridge.core.appointment.ChangeType;
import org.sessionbridge.core.calendar.CalendarLink;
import org.sessionbridge.core.calendar.CalendarStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;

/**
 * Fills a newly linked calendar with the provider's sessions booked before it was linked: every
 * booked appointment that has not ended yet (up to {@link #LIMIT} of them) is planned as the outbox
 * handler would plan its current version; the push route then creates the events.
 *
 * <p><b>Races.</b> Planning is versioned: an appointment changed while the backfill runs is either
 * planned by the outbox handler (it sees the link) at its newer version, or read here at that
 * version; a row the handler inserted first makes this insert a duplicate, which is skipped (the
 * handler's version is at least as new). Running the backfill twice plans nothing new.
 */
public final class CalendarBackfill {

  /** How far ahead sessions are copied: all of them, in practice. */
  static final Duration HORIZON = Duration.ofDays(3660);

  /** At most this many sessions per link; later ones arrive as they change. */
  public static final int LIMIT = 5000;

  private static final Logger log = LoggerFactory.getLogger(CalendarBackfill.class);

  private final AppointmentBook book;
  private final CalendarStore store;
  private final CalendarPlanner planner;
  private final Clock clock;

  public CalendarBackfill(
      AppointmentBook book, CalendarStore store, CalendarPlanner planner, Clock clock) {
    this.book = book;
    this.store = store;
    this.planner = planner;
    this.clock = clock;
  }

  /** Plans the provider's upcoming sessions into {@code link}; returns how many rows were added. */
  public int backfill(CalendarLink link) {
    if (!link.receivesSessions()) {
      return 0;
    }
    Instant now = clock.instant();
    List<Appointment> upcoming =
        book.list(
            link.practiceId(),
            link.providerId(),
            now,
            now.plus(HORIZON),
            AppointmentStatus.BOOKED,
            LIMIT);
    int planned = 0;
    for (Appointment a : upcoming) {
      AppointmentChange current =
          new AppointmentChange(
              0L,
              a.practiceId(),
              a.id(),
              a.version(),
              ChangeType.BOOKED,
              a.providerId(),
              a.clientIds(),
              a.start(),
              a.end(),
              a.timeZone(),
              a.modality(),
              a.videoPlatform(),
              a.status(),
              a.title(),
              a.updatedAt());
      try {
        if (store.plan(link, a.modality(), planner.event(current), true)) {
          planned++;
        }
      } catch (DuplicateKeyException e) {
        // The outbox handler planned it first, at this version or a newer one.
      }
    }
    if (upcoming.size() == LIMIT) {
      log.warn(
          "calendar link {}: backfilled the first {} upcoming sessions only", link.id(), LIMIT);
    }
    log.info("calendar link {}: {} upcoming sessions planned into it", link.id(), planned);
    return planned;
  }
}
