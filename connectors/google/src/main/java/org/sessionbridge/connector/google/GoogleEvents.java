package org.sessionbridge.connector.google;

import com.google.api.client.util.DateTime;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.EventAttendee;
import com.google.api.services.calendar.model.EventDateTime;
import com.google.api.services.calendar.model.Events;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.calendar.BusyBlock;
import org.sessionbridge.core.calendar.CalendarChanges;
import org.sessionbridge.core.calendar.CalendarEvent;
import org.sessionbridge.core.calendar.OwnEvent;

/**
 * Between the port's calendar types and Google's {@link Event} (API-NOTES §3.2, §3.3): the body we
 * write for an appointment, and what a page of changes means for availability.
 */
final class GoogleEvents {

  /** Our reference in {@code extendedProperties.private}: only this calendar's copy sees it. */
  static final String APPOINTMENT_PROPERTY = "sessionbridgeAppointment";

  static final String VERSION_PROPERTY = "sessionbridgeVersion";

  private GoogleEvents() {}

  /**
   * The whole event as we want it: sent as is by insert and by update (PUT), so an update also
   * undoes what the calendar's owner changed and restores a deleted event ({@code status} is always
   * sent).
   *
   * <p>The join link goes into {@code location} and, with the platform's instructions, at the end
   * of {@code description}. Not into {@code conferenceData}: Google accepts it only with {@code
   * conferenceDataVersion=1}, and a third-party conference there must come from a Calendar add-on
   * (API-NOTES §3.2); Meet is the only solution we could create, and it is not the session's link.
   * {@code visibility: private} shows people who share the calendar only "busy"; {@code reminders}
   * are left to the owner's calendar defaults.
   */
  static Event toGoogle(CalendarEvent event, String eventId) {
    Optional<String> joinUrl = event.join().map(j -> j.url().toString());
    Event body =
        new Event()
            .setId(eventId)
            .setSummary(event.title())
            .setStart(dateTime(event.start(), event.timeZone()))
            .setEnd(dateTime(event.end(), event.timeZone()))
            .setStatus(event.status() == CalendarEvent.Status.TENTATIVE ? "tentative" : "confirmed")
            .setTransparency("opaque")
            .setVisibility("private")
            .setExtendedProperties(
                new Event.ExtendedProperties()
                    .setPrivate(
                        Map.of(
                            APPOINTMENT_PROPERTY,
                            event.appointmentId().toString(),
                            VERSION_PROPERTY,
                            Long.toString(event.version()))));
    String description = description(event);
    if (!description.isEmpty()) {
      body.setDescription(description);
    }
    joinUrl.or(event::location).filter(l -> !l.isBlank()).ifPresent(body::setLocation);
    return body;
  }

  /** The policy's text, then the join link and the platform's instructions. */
  private static String description(CalendarEvent event) {
    StringBuilder text = new StringBuilder(event.description().strip());
    event
        .join()
        .ifPresent(
            join -> {
              if (text.length() > 0) {
                text.append("\n\n");
              }
              text.append("Join: ").append(join.url());
              if (!join.instructions().isBlank()) {
                text.append('\n').append(join.instructions().strip());
              }
            });
    return text.toString();
  }

  /** RFC 3339 with the zone's offset at that instant, plus the IANA zone. */
  private static EventDateTime dateTime(Instant instant, ZoneId zone) {
    int offsetMinutes = zone.getRules().getOffset(instant).getTotalSeconds() / 60;
    return new EventDateTime()
        .setDateTime(new DateTime(instant.toEpochMilli(), offsetMinutes))
        .setTimeZone(zone.getId());
  }

  /**
   * Folds pages of {@code events.list} into one {@link CalendarChanges}, later pages winning.
   *
   * <ul>
   *   <li>Our events (their id decodes to an appointment, see {@link GoogleEventIds}) become {@link
   *       OwnEvent}s, deleted when {@code status} is {@code cancelled}; they never count as busy.
   *   <li>Other events are busy when confirmed or tentative, {@code transparency} is not {@code
   *       transparent} and the owner did not decline them. All-day events ({@code date}) run from
   *       midnight to midnight in the calendar's time zone.
   *   <li>Other events that are cancelled, free or declined free their block.
   * </ul>
   */
  static final class Changes {
    private final Map<String, BusyBlock> busy = new LinkedHashMap<>();
    private final Set<String> freed = new LinkedHashSet<>();
    private final Map<String, OwnEvent> own = new LinkedHashMap<>();

    void add(Events page) {
      ZoneId calendarZone = zone(page.getTimeZone());
      List<Event> items = page.getItems() == null ? List.of() : page.getItems();
      for (Event item : items) {
        String id = item.getId();
        if (id == null || id.isEmpty()) {
          continue;
        }
        boolean cancelled = "cancelled".equals(item.getStatus());
        Optional<UUID> appointment = GoogleEventIds.appointmentOf(id);
        if (appointment.isPresent()) {
          own.put(id, ownEvent(appointment.get(), id, item, cancelled, calendarZone));
          continue;
        }
        Optional<BusyBlock> block =
            cancelled || "transparent".equals(item.getTransparency()) || declinedByOwner(item)
                ? Optional.empty()
                : busyBlock(id, item, calendarZone);
        if (block.isPresent()) {
          busy.put(id, block.get());
          freed.remove(id);
        } else {
          busy.remove(id);
          freed.add(id);
        }
      }
    }

    CalendarChanges result(boolean fullSync, String nextCursor) {
      return new CalendarChanges(
          fullSync,
          new ArrayList<>(busy.values()),
          fullSync ? Set.of() : freed,
          new ArrayList<>(own.values()),
          nextCursor);
    }

    private static OwnEvent ownEvent(
        UUID appointmentId, String id, Event item, boolean cancelled, ZoneId calendarZone) {
      OptionalLong version = OptionalLong.empty();
      Map<String, String> properties =
          item.getExtendedProperties() == null ? null : item.getExtendedProperties().getPrivate();
      if (properties != null
          && appointmentId.toString().equals(properties.get(APPOINTMENT_PROPERTY))) {
        String stored = properties.get(VERSION_PROPERTY);
        if (stored != null && stored.matches("\\d{1,18}")) {
          version = OptionalLong.of(Long.parseLong(stored));
        }
      }
      Optional<Instant> start =
          cancelled ? Optional.empty() : instant(item.getStart(), calendarZone);
      Optional<Instant> end = cancelled ? Optional.empty() : instant(item.getEnd(), calendarZone);
      return new OwnEvent(appointmentId, id, version, cancelled, start, end);
    }

    private static Optional<BusyBlock> busyBlock(String id, Event item, ZoneId calendarZone) {
      Optional<Instant> start = instant(item.getStart(), calendarZone);
      Optional<Instant> end = instant(item.getEnd(), calendarZone);
      if (start.isEmpty() || end.isEmpty() || !end.get().isAfter(start.get())) {
        return Optional.empty();
      }
      boolean allDay = item.getStart().getDate() != null;
      return Optional.of(new BusyBlock(id, start.get(), end.get(), allDay));
    }

    private static boolean declinedByOwner(Event item) {
      List<EventAttendee> attendees = item.getAttendees();
      if (attendees == null) {
        return false;
      }
      for (EventAttendee attendee : attendees) {
        if (Boolean.TRUE.equals(attendee.getSelf())
            && "declined".equals(attendee.getResponseStatus())) {
          return true;
        }
      }
      return false;
    }

    private static Optional<Instant> instant(@Nullable EventDateTime time, ZoneId calendarZone) {
      if (time == null) {
        return Optional.empty();
      }
      if (time.getDateTime() != null) {
        return Optional.of(Instant.ofEpochMilli(time.getDateTime().getValue()));
      }
      if (time.getDate() != null) {
        ZoneId zone = time.getTimeZone() != null ? zone(time.getTimeZone()) : calendarZone;
        LocalDate date = LocalDate.parse(time.getDate().toStringRfc3339().substring(0, 10));
        return Optional.of(date.atStartOfDay(zone).toInstant());
      }
      return Optional.empty();
    }

    private static ZoneId zone(@Nullable String id) {
      if (id == null || id.isBlank()) {
        return ZoneOffset.UTC;
      }
      try {
        return ZoneId.of(id);
      } catch (DateTimeException e) {
        return ZoneOffset.UTC;
      }
    }
  }
}
