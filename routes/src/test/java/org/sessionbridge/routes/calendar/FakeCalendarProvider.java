package org.sessionbridge.routes.calendar;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.calendar.BusyBlock;
import org.sessionbridge.core.calendar.CalendarAccount;
import org.sessionbridge.core.calendar.CalendarChanges;
import org.sessionbridge.core.calendar.CalendarEvent;
import org.sessionbridge.core.calendar.ExternalEvent;
import org.sessionbridge.core.calendar.OwnEvent;
import org.sessionbridge.core.calendar.Removal;
import org.sessionbridge.core.port.CalendarProvider;
import org.sessionbridge.core.port.CalendarProviderException;

/**
 * An in-memory calendar service behind the port, scripted by tests: one event per appointment per
 * calendar (the id derived from the appointment, as the real connectors do), the owner's busy
 * events, a change log read through cursors, the owner's own edits, failures queued per operation,
 * and a check that no two calls for the same appointment overlap.
 */
final class FakeCalendarProvider implements CalendarProvider {

  enum Op {
    UPSERT,
    REMOVE,
    CHANGES
  }

  /** Our event as the calendar has it. */
  static final class Event {
    final String externalId;
    final UUID appointmentId;
    long version;
    int etag;
    CalendarEvent written;
    Instant start;
    Instant end;
    boolean deleted;
    boolean cancelled;

    Event(String externalId, CalendarEvent written) {
      this.externalId = externalId;
      this.appointmentId = written.appointmentId();
      this.written = written;
      this.version = written.version();
      this.start = written.start();
      this.end = written.end();
    }
  }

  private final Map<String, Map<UUID, Event>> calendars = new HashMap<>();
  private final Map<String, Map<String, BusyBlock>> busy = new HashMap<>();

  /** Per calendar: change log of (seq, external id or appointment id). */
  private final Map<String, List<Change>> log = new HashMap<>();

  private final Map<Op, Deque<CalendarProviderException>> failures = new EnumMap<>(Op.class);
  private final Map<Op, AtomicInteger> calls = new EnumMap<>(Op.class);
  private final Set<String> inFlight = new HashSet<>();
  private final List<UUID> overlaps = new ArrayList<>();
  private final List<String> cursorsAsked = new ArrayList<>();
  private int seq;
  private int generation;
  private volatile long callMillis;

  private record Change(int seq, @Nullable String busyId, @Nullable UUID appointmentId) {}

  FakeCalendarProvider() {
    for (Op op : Op.values()) {
      failures.put(op, new ArrayDeque<>());
      calls.put(op, new AtomicInteger());
    }
  }

  // --- the port ------------------------------------------------------------------------------

  @Override
  public ExternalEvent upsert(CalendarAccount account, String calendarId, CalendarEvent event) {
    enter(Op.UPSERT, calendarId, event.appointmentId());
    try {
      synchronized (this) {
        Map<UUID, Event> events = calendars.computeIfAbsent(calendarId, k -> new LinkedHashMap<>());
        Event e = events.get(event.appointmentId());
        boolean created = e == null;
        if (created) {
          e = new Event(externalId(event.appointmentId()), event);
          events.put(event.appointmentId(), e);
        }
        e.written = event;
        e.version = event.version();
        e.start = event.start();
        e.end = event.end();
        e.deleted = false;
        e.cancelled = false;
        e.etag++;
        touch(calendarId, null, event.appointmentId());
        return new ExternalEvent(e.externalId, "etag-" + e.etag, event.version(), created);
      }
    } finally {
      leave(calendarId, event.appointmentId());
    }
  }

  @Override
  public boolean remove(
      CalendarAccount account, String calendarId, UUID appointmentId, Removal removal) {
    enter(Op.REMOVE, calendarId, appointmentId);
    try {
      synchronized (this) {
        Event e = calendars.getOrDefault(calendarId, Map.of()).get(appointmentId);
        if (e == null || e.deleted || e.cancelled) {
          return false;
        }
        if (removal == Removal.DELETE) {
          e.deleted = true;
        } else {
          e.cancelled = true;
        }
        e.etag++;
        touch(calendarId, null, appointmentId);
        return true;
      }
    } finally {
      leave(calendarId, appointmentId);
    }
  }

  @Override
  public CalendarChanges changes(
      CalendarAccount account, String calendarId, @Nullable String cursor) {
    calls.get(Op.CHANGES).incrementAndGet();
    synchronized (this) {
      cursorsAsked.add(String.valueOf(cursor));
      CalendarProviderException failure = failures.get(Op.CHANGES).poll();
      if (failure != null) {
        throw failure;
      }
    }
    pause();
    synchronized (this) {
      Map<UUID, Event> events = calendars.getOrDefault(calendarId, Map.of());
      Map<String, BusyBlock> blocks = busy.getOrDefault(calendarId, Map.of());
      String next = "g" + generation + "-" + seq;
      if (cursor == null) {
        List<OwnEvent> own = new ArrayList<>();
        for (Event e : events.values()) {
          own.add(own(e));
        }
        return new CalendarChanges(true, List.copyOf(blocks.values()), Set.of(), own, next);
      }
      String[] parts = cursor.substring(1).split("-", 2);
      int from = Integer.parseInt(parts[1]);
      if (Integer.parseInt(parts[0]) != generation) {
        throw new CalendarProviderException.CursorExpired("410 fullSyncRequired", null);
      }
      List<BusyBlock> changed = new ArrayList<>();
      Set<String> freed = new HashSet<>();
      Map<UUID, OwnEvent> own = new LinkedHashMap<>();
      Set<String> busySeen = new HashSet<>();
      for (Change c : log.getOrDefault(calendarId, List.of())) {
        if (c.seq() <= from) {
          continue;
        }
        if (c.busyId() != null && busySeen.add(c.busyId())) {
          BusyBlock b = blocks.get(c.busyId());
          if (b == null) {
            freed.add(c.busyId());
          } else {
            changed.add(b);
          }
        }
        if (c.appointmentId() != null) {
          own.put(c.appointmentId(), own(events.get(c.appointmentId())));
        }
      }
      return new CalendarChanges(false, changed, freed, List.copyOf(own.values()), next);
    }
  }

  // --- the owner's hand ----------------------------------------------------------------------

  synchronized void ownerAddsBusy(String calendarId, String id, Instant start, Instant end) {
    busy.computeIfAbsent(calendarId, k -> new LinkedHashMap<>())
        .put(id, new BusyBlock(id, start, end, false));
    touch(calendarId, id, null);
  }

  synchronized void ownerFrees(String calendarId, String id) {
    busy.getOrDefault(calendarId, new HashMap<>()).remove(id);
    touch(calendarId, id, null);
  }

  synchronized void ownerMoves(String calendarId, UUID appointmentId, Instant start, Instant end) {
    Event e = event(calendarId, appointmentId).orElseThrow();
    e.start = start;
    e.end = end;
    e.etag++;
    touch(calendarId, null, appointmentId);
  }

  synchronized void ownerDeletes(String calendarId, UUID appointmentId) {
    Event e = event(calendarId, appointmentId).orElseThrow();
    e.deleted = true;
    e.etag++;
    touch(calendarId, null, appointmentId);
  }

  /** Every cursor handed out so far stops working (Google: 410 after a while, or at will). */
  synchronized void expireCursors() {
    generation++;
  }

  // --- scripting and inspection --------------------------------------------------------------

  synchronized void failNext(Op op, CalendarProviderException e) {
    failures.get(op).add(e);
  }

  /** Makes every upsert and remove take this long (to let concurrent workers collide). */
  void callTakes(long millis) {
    callMillis = millis;
  }

  int calls(Op op) {
    return calls.get(op).get();
  }

  synchronized List<String> cursorsAsked() {
    return List.copyOf(cursorsAsked);
  }

  synchronized List<UUID> overlaps() {
    return List.copyOf(overlaps);
  }

  synchronized Optional<Event> event(String calendarId, UUID appointmentId) {
    return Optional.ofNullable(calendars.getOrDefault(calendarId, Map.of()).get(appointmentId));
  }

  synchronized Collection<Event> events(String calendarId) {
    return List.copyOf(calendars.getOrDefault(calendarId, Map.of()).values());
  }

  static String externalId(UUID appointmentId) {
    return "sb" + appointmentId.toString().replace("-", "");
  }

  private void enter(Op op, String calendarId, UUID appointmentId) {
    calls.get(op).incrementAndGet();
    CalendarProviderException failure;
    synchronized (this) {
      if (!inFlight.add(calendarId + "/" + appointmentId)) {
        overlaps.add(appointmentId);
      }
      failure = failures.get(op).poll();
    }
    if (failure != null) {
      leave(calendarId, appointmentId);
      throw failure;
    }
    pause();
  }

  private synchronized void leave(String calendarId, UUID appointmentId) {
    inFlight.remove(calendarId + "/" + appointmentId);
  }

  private void pause() {
    long millis = callMillis;
    if (millis > 0) {
      try {
        Thread.sleep(millis); // a slow vendor, so that concurrent calls would overlap
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void touch(String calendarId, @Nullable String busyId, @Nullable UUID appointmentId) {
    seq++;
    log.computeIfAbsent(calendarId, k -> new ArrayList<>())
        .add(new Change(seq, busyId, appointmentId));
  }

  private static OwnEvent own(Event e) {
    boolean gone = e.deleted || e.cancelled;
    return new OwnEvent(
        e.appointmentId,
        e.externalId,
        OptionalLong.of(e.version),
        gone,
        gone ? Optional.empty() : Optional.of(e.start),
        gone ? Optional.empty() : Optional.of(e.end));
  }
}
