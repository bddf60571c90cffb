package org.sessionbridge.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sessionbridge.connector.zoom.fake.ZoomFake;

/**
 * Watches booked telehealth appointments until the hub's API shows each one's join link and then
 * its SYNCED state. To keep its own load on the hub small it asks the API about an appointment only
 * once the Zoom fake holds a meeting carrying that appointment's reference (the route made the
 * create call), and then until the API shows it: a few GETs per appointment, on one thread.
 */
final class MeetingWatch {

  private static final Pattern REFERENCE = Pattern.compile("\\((sb-[0-9a-f]{12})\\)");

  /** One booking: when its 201 arrived, and when the API first showed its join link and SYNCED. */
  static final class Booking {
    final String id;
    final String reference;
    final int key;
    final long bookedAt;
    long joinUrlAt;
    long syncedAt;
    String meetingId = "";

    Booking(String id, String reference, int key, long bookedAt) {
      this.id = id;
      this.reference = reference;
      this.key = key;
      this.bookedAt = bookedAt;
    }

    double joinMillis() {
      return (joinUrlAt - bookedAt) / 1e6;
    }

    double syncedMillis() {
      return (syncedAt - bookedAt) / 1e6;
    }
  }

  private final ZoomFake zoom;
  private final HubApi api;
  private final List<String> apiKeys;
  private final ConcurrentLinkedQueue<Booking> arrivals = new ConcurrentLinkedQueue<>();
  private final Set<String> madeAtZoom = new HashSet<>();
  private int zoomSeen;
  private int apiCalls;

  MeetingWatch(ZoomFake zoom, HubApi api, List<String> apiKeys) {
    this.zoom = zoom;
    this.api = api;
    this.apiKeys = List.copyOf(apiKeys);
    this.zoomSeen = zoom.meetings().size();
  }

  void add(Booking b) {
    arrivals.add(b);
  }

  /** GET /api/v1/appointments/{id} calls made so far. */
  int apiCalls() {
    return apiCalls;
  }

  /**
   * Watches until {@code expected} bookings have arrived and all show SYNCED; answers them. Fails
   * after {@code timeout}.
   */
  List<Booking> await(int expected, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Booking> all = new ArrayList<>();
    List<Booking> open = new ArrayList<>();
    while (true) {
      for (Booking b = arrivals.poll(); b != null; b = arrivals.poll()) {
        all.add(b);
        open.add(b);
      }
      if (all.size() == expected && open.isEmpty()) {
        return all;
      }
      List<ZoomFake.Meeting> meetings = zoom.meetings();
      for (int i = zoomSeen; i < meetings.size(); i++) {
        Matcher m = REFERENCE.matcher(meetings.get(i).topic());
        if (m.find()) {
          madeAtZoom.add(m.group(1));
        }
      }
      zoomSeen = meetings.size();
      boolean asked = false;
      for (Iterator<Booking> it = open.iterator(); it.hasNext(); ) {
        Booking b = it.next();
        if (!madeAtZoom.contains(b.reference)) {
          continue;
        }
        asked = true;
        apiCalls++;
        HubApi.Answer a = api.get("/api/v1/appointments/" + b.id, apiKeys.get(b.key));
        long now = System.nanoTime();
        if (a.status() != 200) {
          throw new IllegalStateException("GET appointment answered " + a.summary());
        }
        String body = a.body();
        int t = body.indexOf("\"telehealth\"");
        String telehealth = t < 0 ? "" : body.substring(t);
        if (b.joinUrlAt == 0 && telehealth.matches("(?s).*\"joinUrl\"\\s*:\\s*\"http.*")) {
          b.joinUrlAt = now;
          b.meetingId = HubApi.text(telehealth, "meetingId");
        }
        if (telehealth.matches("(?s).*\"state\"\\s*:\\s*\"SYNCED\".*")
            && telehealth.matches("(?s).*\"waitingRoom\"\\s*:\\s*\"ENFORCED\".*")) {
          if (b.joinUrlAt == 0) {
            b.joinUrlAt = now;
            b.meetingId = HubApi.text(telehealth, "meetingId");
          }
          b.syncedAt = now;
          it.remove();
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            open.size()
                + " of "
                + expected
                + " appointments not SYNCED "
                + timeout.toSeconds()
                + " s after booking began ("
                + (expected - all.size())
                + " not booked)");
      }
      if (!asked) {
        Thread.sleep(2);
      }
    }
  }
}
