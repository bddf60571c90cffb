package org.sessionbridge.bench.ics;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.sessionbridge.ics.FeedHeader;
import org.sessionbridge.ics.IcsEvent;
import org.sessionbridge.ics.IcsEvent.JoinLink;
import org.sessionbridge.ics.IcsEvent.Vendor;
import org.sessionbridge.ics.Invitation;
import org.sessionbridge.ics.Invitation.Person;

/**
 * A realistic provider feed: 60% telehealth (Teams, Google Meet, other in turn) with client
 * instructions, every tenth session cancelled, every other one with a 15-minute alarm, a third with
 * a cancellation note, initials-only summaries with some accented names.
 */
final class PracticeFeed {

  static final Instant CHANGED = Instant.parse("2026-02-20T14:03:27Z");
  static final Instant FIRST_START = Instant.parse("2026-03-02T14:00:00Z");

  private static final String[] LINKS = {
    "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjQ5ZjM3ZTctYzQ2%40thread.v2/0"
        + "?context=%7b%22Tid%22%3a%2272f988bf-86f1%22%2c%22Oid%22%3a%22d6ec%22%7d",
    "https://meet.google.com/abc-defg-hij",
    "https://us02web.zoom.us/j/81234567890?pwd=Zm9vYmFyYmF6cXV4LjE"
  };
  private static final String INSTRUCTIONS =
      "Please join 5 minutes early from a quiet, private room. Use headphones if you can. If the"
          + " link does not open, call the practice at +1 555 0100.";
  private static final String NOTES =
      "To cancel or reschedule, call +1 555 0100 at least 24 hours ahead.";
  private static final String[] NAMES = {"J.D.", "A.K.", "Zoë B.", "M.R.", "Séverine L.", "T.O."};

  private PracticeFeed() {}

  static FeedHeader header() {
    return new FeedHeader(
        "Harbor Counseling – Dr. Rivera",
        "4f1c2e7a-9b1d-4c55-8e0f-1a2b3c4d5e6f",
        CHANGED,
        ZoneId.of("America/New_York"),
        Duration.ofHours(1));
  }

  static List<IcsEvent> events(int size) {
    var events = new ArrayList<IcsEvent>(size);
    Vendor[] vendors = Vendor.values();
    for (int i = 0; i < size; i++) {
      String uid =
          String.format("%08x-5a4e-4d2b-9c1f-%012x", 0x1a2b0000 + i, 0x9e3779b97fL * (i + 1));
      Instant start = FIRST_START.plus(Duration.ofMinutes(60L * (i % 8) + 1440L * (i / 8)));
      boolean telehealth = i % 5 < 3;
      JoinLink join =
          telehealth
              ? new JoinLink(
                  LINKS[i % LINKS.length],
                  "Join video session",
                  vendors[i % vendors.length],
                  INSTRUCTIONS)
              : null;
      events.add(
          new IcsEvent(
              uid,
              i % 4,
              CHANGED.plusSeconds(97L * i),
              start,
              start.plus(Duration.ofMinutes(50)),
              i % 10 == 9,
              "Therapy session – " + NAMES[i % NAMES.length],
              telehealth ? null : "Harbor Counseling, 12 Quay St, Suite 3, Portland, ME 04101",
              join,
              i % 3 == 0 ? NOTES : null,
              i % 2 == 0 ? Duration.ofMinutes(15) : null));
    }
    return events;
  }

  static Invitation invitation() {
    IcsEvent session = events(1).get(0);
    return new Invitation(
        session,
        new Person("dr.rivera@harbor.example", "Dr. Ana Rivera"),
        List.of(new Person("jd@example.com", "J.D.")));
  }
}
