package org.sessionbridge.ics;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.sessionbridge.ics.IcsEvent.JoinLink;
import org.sessionbridge.ics.IcsEvent.Vendor;

/** Test sessions: readable defaults, one change at a time through the withers. */
final class Sessions {

  static final Instant CHANGED = Instant.parse("2026-02-20T14:03:27Z");
  static final Instant START = Instant.parse("2026-03-10T15:00:00Z");

  static final String TEAMS_LINK =
      "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjQ5ZjM3%40thread.v2/0"
          + "?context=%7b%22Tid%22%3a%2272f988bf%22%7d";
  static final String MEET_LINK = "https://meet.google.com/abc-defg-hij";
  static final String ZOOM_LINK = "https://us02web.zoom.us/j/81234567890?pwd=Zm9vYmFyYmF6.1";

  /**
   * Everything a hostile or merely careless caller could put in a text field: line breaks of every
   * kind, TEXT delimiters, quotes, a BEL, a tab, accents, CJK and an emoji.
   */
  static final String HOSTILE =
      "Line1\r\nATTENDEE:mailto:evil@example.com\rX-INJECT:1\nEND:VEVENT;,\\ \"quoted\" 'apos'"
          + " Zoë Ünïcödé 日本語のテキスト 😀\u2028U2028\u0085NEL\u000BVT\u0007BEL\t tab";

  /** {@link #HOSTILE} after {@link IcsText#text}: every break is LF, the BEL is gone. */
  static final String HOSTILE_AS_TEXT =
      "Line1\nATTENDEE:mailto:evil@example.com\nX-INJECT:1\nEND:VEVENT;,\\ \"quoted\" 'apos'"
          + " Zoë Ünïcödé 日本語のテキスト 😀\nU2028\nNEL\nVTBEL\t tab";

  private Sessions() {}

  static IcsEvent inPerson(String uid) {
    return new IcsEvent(
        uid,
        0,
        CHANGED,
        START,
        START.plus(Duration.ofMinutes(50)),
        false,
        "Therapy session – J.D.",
        "Harbor Counseling, 12 Quay St, Suite 3",
        null,
        null,
        null);
  }

  static IcsEvent telehealth(String uid, Vendor vendor) {
    String url =
        switch (vendor) {
          case TEAMS -> TEAMS_LINK;
          case GOOGLE_MEET -> MEET_LINK;
          case OTHER -> ZOOM_LINK;
        };
    return withJoin(
        inPerson(uid),
        new JoinLink(
            url, "Join video session", vendor, "Open the link 5 minutes early; use headphones."));
  }

  static IcsEvent withJoin(IcsEvent e, JoinLink join) {
    return new IcsEvent(
        e.uid(),
        e.sequence(),
        e.lastModified(),
        e.start(),
        e.end(),
        e.cancelled(),
        e.summary(),
        e.location(),
        join,
        e.notes(),
        e.alarmBefore());
  }

  static IcsEvent withNotes(IcsEvent e, String notes) {
    return new IcsEvent(
        e.uid(),
        e.sequence(),
        e.lastModified(),
        e.start(),
        e.end(),
        e.cancelled(),
        e.summary(),
        e.location(),
        e.join(),
        notes,
        e.alarmBefore());
  }

  static IcsEvent withSummary(IcsEvent e, String summary) {
    return new IcsEvent(
        e.uid(),
        e.sequence(),
        e.lastModified(),
        e.start(),
        e.end(),
        e.cancelled(),
        summary,
        e.location(),
        e.join(),
        e.notes(),
        e.alarmBefore());
  }

  static IcsEvent withLocation(IcsEvent e, String location) {
    return new IcsEvent(
        e.uid(),
        e.sequence(),
        e.lastModified(),
        e.start(),
        e.end(),
        e.cancelled(),
        e.summary(),
        location,
        e.join(),
        e.notes(),
        e.alarmBefore());
  }

  static IcsEvent withAlarm(IcsEvent e, Duration before) {
    return new IcsEvent(
        e.uid(),
        e.sequence(),
        e.lastModified(),
        e.start(),
        e.end(),
        e.cancelled(),
        e.summary(),
        e.location(),
        e.join(),
        e.notes(),
        before);
  }

  static IcsEvent cancelled(IcsEvent e) {
    return new IcsEvent(
        e.uid(),
        e.sequence() + 1,
        e.lastModified().plusSeconds(3600),
        e.start(),
        e.end(),
        true,
        e.summary(),
        e.location(),
        e.join(),
        e.notes(),
        e.alarmBefore());
  }

  static IcsEvent changed(IcsEvent e, int sequence, Instant lastModified) {
    return new IcsEvent(
        e.uid(),
        sequence,
        lastModified,
        e.start(),
        e.end(),
        e.cancelled(),
        e.summary(),
        e.location(),
        e.join(),
        e.notes(),
        e.alarmBefore());
  }

  static IcsEvent at(IcsEvent e, Instant start, Duration length) {
    return new IcsEvent(
        e.uid(),
        e.sequence(),
        e.lastModified(),
        start,
        start.plus(length),
        e.cancelled(),
        e.summary(),
        e.location(),
        e.join(),
        e.notes(),
        e.alarmBefore());
  }

  static FeedHeader header() {
    return new FeedHeader(
        "Harbor Counseling – sessions",
        "4f1c2e7a-9b1d-4c55-8e0f-1a2b3c4d5e6f",
        CHANGED,
        ZoneId.of("America/New_York"),
        Duration.ofHours(1));
  }

  /**
   * A realistic provider feed: 60% telehealth (Teams, Meet, other) with instructions, every tenth
   * session cancelled, every other one with a 15-minute alarm, some with notes, accented names.
   */
  static List<IcsEvent> practiceFeed(int size) {
    var events = new ArrayList<IcsEvent>(size);
    Vendor[] vendors = Vendor.values();
    for (int i = 0; i < size; i++) {
      String uid = String.format("%08x-5a4e-4d2b-9c1f-%012x", 0x1a2b0000 + i, 0xabcdefL * (i + 1));
      Instant start = START.plus(Duration.ofHours(2L * i));
      IcsEvent e =
          at(
              withSummary(
                  inPerson(uid), i % 7 == 0 ? "Séance – Zoë B." : "Therapy session – J.D. " + i),
              start,
              Duration.ofMinutes(50));
      e = changed(e, i % 4, CHANGED.plusSeconds(i));
      if (i % 5 < 3) {
        Vendor vendor = vendors[i % vendors.length];
        e = withJoin(e, telehealth(uid, vendor).join());
      }
      if (i % 3 == 0) {
        e = withNotes(e, "To cancel or reschedule, call +1 555 0100 at least 24 hours ahead.");
      }
      if (i % 2 == 0) {
        e = withAlarm(e, Duration.ofMinutes(15));
      }
      if (i % 10 == 9) {
        e = cancelled(e);
      }
      events.add(e);
    }
    return events;
  }
}
