package org.sessionbridge.connector.microsoft;

import com.microsoft.graph.models.BodyType;
import com.microsoft.graph.models.DateTimeTimeZone;
import com.microsoft.graph.models.Event;
import com.microsoft.graph.models.FreeBusyStatus;
import com.microsoft.graph.models.ItemBody;
import com.microsoft.graph.models.Location;
import com.microsoft.graph.models.ResponseType;
import com.microsoft.graph.models.Sensitivity;
import com.microsoft.graph.models.SingleValueLegacyExtendedProperty;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.calendar.BusyBlock;
import org.sessionbridge.core.calendar.CalendarChanges;
import org.sessionbridge.core.calendar.CalendarEvent;
import org.sessionbridge.core.calendar.OwnEvent;

/**
 * Between the port's calendar types and Graph's {@link Event} (API-NOTES §2.2 to §2.4): the event
 * we write for an appointment, and what pages of a calendar-view delta mean for availability.
 */
final class OutlookEvents {

  /** SessionBridge's property set for single-value extended properties (a fixed, random GUID). */
  static final String PROPERTY_SET = "{5b0d8f3e-1c2a-4e6b-9d7f-3a8c2e4b6d10}";

  /** Our appointment id, by which {@code upsert} and {@code remove} find our event. */
  static final String APPOINTMENT_PROPERTY =
      "String " + PROPERTY_SET + " Name sessionbridgeAppointment";

  static final String VERSION_PROPERTY = "String " + PROPERTY_SET + " Name sessionbridgeVersion";

  /** {@code active}, or {@code cancelled} after a {@code MARK_CANCELLED} removal. */
  static final String STATUS_PROPERTY = "String " + PROPERTY_SET + " Name sessionbridgeStatus";

  static final String CANCELLED_PREFIX = "Cancelled: ";

  private static final Pattern TRANSACTION =
      Pattern.compile(
          "sb-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-v(\\d{1,18})");
  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

  private OutlookEvents() {}

  /**
   * The {@code transactionId} of the create of an appointment's event at {@code version}: stable
   * across retries of that create (Graph then does not make a second event), and recognisable in
   * delta pages, which return no extended properties.
   */
  static String transactionId(UUID appointmentId, long version) {
    return "sb-" + appointmentId + "-v" + version;
  }

  /** The appointment of one of our events, from its {@code transactionId}. */
  static Optional<UUID> appointmentOf(@Nullable String transactionId) {
    if (transactionId == null) {
      return Optional.empty();
    }
    Matcher m = TRANSACTION.matcher(transactionId);
    return m.matches() ? Optional.of(UUID.fromString(m.group(1))) : Optional.empty();
  }

  /**
   * The whole event as we want it, sent by create and by update (PATCH), so an update also undoes
   * the owner's edits of our event. {@code isOnlineMeeting} is never set: Exchange would create a
   * second Teams meeting for the event, whose lobby nobody guards; the hub's meeting (Teams or
   * Zoom) is linked in {@code location} and at the end of the body instead. {@code sensitivity:
   * private} shows people who share the calendar only "busy". No attendees: nobody is e-mailed.
   */
  static Event toGraph(CalendarEvent event, boolean create) {
    Event body = new Event();
    body.setSubject(event.title());
    ItemBody text = new ItemBody();
    text.setContentType(BodyType.Text);
    text.setContent(description(event));
    body.setBody(text);
    body.setStart(dateTime(event.start(), event.timeZone()));
    body.setEnd(dateTime(event.end(), event.timeZone()));
    body.setShowAs(
        event.status() == CalendarEvent.Status.TENTATIVE
            ? FreeBusyStatus.Tentative
            : FreeBusyStatus.Busy);
    body.setSensitivity(Sensitivity.Private);
    body.setIsAllDay(false);
    Location location = new Location();
    location.setDisplayName(
        event.join().map(j -> j.url().toString()).or(event::location).orElse(""));
    body.setLocation(location);
    body.setSingleValueExtendedProperties(
        List.of(
            property(APPOINTMENT_PROPERTY, event.appointmentId().toString()),
            property(VERSION_PROPERTY, Long.toString(event.version())),
            property(STATUS_PROPERTY, "active")));
    if (create) {
      body.setTransactionId(transactionId(event.appointmentId(), event.version()));
    }
    return body;
  }

  static SingleValueLegacyExtendedProperty property(String id, String value) {
    SingleValueLegacyExtendedProperty property = new SingleValueLegacyExtendedProperty();
    property.setId(id);
    property.setValue(value);
    return property;
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

  /** Local time in the appointment's zone with the IANA zone, which Graph accepts. */
  private static DateTimeTimeZone dateTime(Instant instant, ZoneId zone) {
    DateTimeTimeZone time = new DateTimeTimeZone();
    time.setDateTime(LOCAL.format(LocalDateTime.ofInstant(instant, zone)));
    time.setTimeZone(zone.getId());
    return time;
  }

  /** A {@code dateTimeTimeZone} as an instant; UTC when the zone is missing or unknown. */
  static Optional<Instant> instant(@Nullable DateTimeTimeZone time) {
    if (time == null || time.getDateTime() == null) {
      return Optional.empty();
    }
    ZoneId zone = ZoneOffset.UTC;
    if (time.getTimeZone() != null && !time.getTimeZone().isBlank()) {
      try {
        zone = ZoneId.of(time.getTimeZone());
      } catch (DateTimeException notIana) {
        zone =
            ZoneOffset.UTC; // we ask for UTC (Prefer: outlook.timezone); Windows names are not read
      }
    }
    try {
      return Optional.of(LocalDateTime.parse(time.getDateTime()).atZone(zone).toInstant());
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Folds delta pages into one {@link CalendarChanges}, later items winning.
   *
   * <ul>
   *   <li>{@code @removed} items (deleted, or moved out of the window) free their block. Graph
   *       sends only the id, so a deleted event of ours is reported in {@code freed} too.
   *   <li>Our events (their {@code transactionId} names an appointment) become {@link OwnEvent}s,
   *       never busy; deleted when {@code isCancelled}. Delta returns no extended properties, so
   *       the stored version is not reported.
   *   <li>Other events are busy when {@code showAs} is busy, oof, tentative or workingElsewhere,
   *       they are not cancelled and the owner did not decline them; otherwise their block is
   *       freed.
   * </ul>
   */
  static final class Changes {
    private final Map<String, BusyBlock> busy = new LinkedHashMap<>();
    private final Set<String> freed = new LinkedHashSet<>();
    private final Map<String, OwnEvent> own = new LinkedHashMap<>();
    private final Set<String> removed = new LinkedHashSet<>();

    /**
     * Ids Graph reported as {@code @removed}: deleted, or only moved out of the delta's window
     * (Graph says the same for both). The caller tells them apart by reading each one.
     */
    Set<String> removed() {
      return removed;
    }

    /** A removed item that still exists: ours (by its transactionId) or someone else's. */
    void stillThere(Event item) {
      String id = item.getId();
      Optional<UUID> appointment = appointmentOf(item.getTransactionId());
      if (id == null || appointment.isEmpty()) {
        return; // not ours: its block stays freed (out of the window)
      }
      freed.remove(id);
      boolean cancelled = Boolean.TRUE.equals(item.getIsCancelled());
      own.put(
          id,
          new OwnEvent(
              appointment.get(),
              id,
              OptionalLong.empty(),
              cancelled,
              cancelled ? Optional.empty() : instant(item.getStart()),
              cancelled ? Optional.empty() : instant(item.getEnd())));
    }

    void add(List<Event> items) {
      for (Event item : items) {
        String id = item.getId();
        if (id == null || id.isEmpty()) {
          continue;
        }
        if (item.getAdditionalData() != null && item.getAdditionalData().containsKey("@removed")) {
          busy.remove(id);
          own.remove(id);
          freed.add(id);
          removed.add(id);
          continue;
        }
        removed.remove(id);
        boolean cancelled = Boolean.TRUE.equals(item.getIsCancelled());
        Optional<UUID> appointment = appointmentOf(item.getTransactionId());
        if (appointment.isPresent()) {
          own.put(
              id,
              new OwnEvent(
                  appointment.get(),
                  id,
                  OptionalLong.empty(),
                  cancelled,
                  cancelled ? Optional.empty() : instant(item.getStart()),
                  cancelled ? Optional.empty() : instant(item.getEnd())));
          continue;
        }
        Optional<BusyBlock> block =
            cancelled || !busyStatus(item.getShowAs()) || declinedByOwner(item)
                ? Optional.empty()
                : busyBlock(id, item);
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

    private static boolean busyStatus(@Nullable FreeBusyStatus showAs) {
      return showAs == FreeBusyStatus.Busy
          || showAs == FreeBusyStatus.Oof
          || showAs == FreeBusyStatus.Tentative
          || showAs == FreeBusyStatus.WorkingElsewhere;
    }

    private static boolean declinedByOwner(Event item) {
      return item.getResponseStatus() != null
          && item.getResponseStatus().getResponse() == ResponseType.Declined;
    }

    private static Optional<BusyBlock> busyBlock(String id, Event item) {
      Optional<Instant> start = instant(item.getStart());
      Optional<Instant> end = instant(item.getEnd());
      if (start.isEmpty() || end.isEmpty() || !end.get().isAfter(start.get())) {
        return Optional.empty();
      }
      return Optional.of(
          new BusyBlock(id, start.get(), end.get(), Boolean.TRUE.equals(item.getIsAllDay())));
    }
  }
}
