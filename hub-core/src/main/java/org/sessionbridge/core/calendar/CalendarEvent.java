package org.sessionbridge.core.calendar;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The event the hub keeps in an external calendar for one appointment, as the calendar's owner may
 * see it. Title and description are already projected by the practice's privacy policy ({@link
 * org.sessionbridge.core.policy.CalendarPrivacy}): connectors write them as they are and add
 * nothing about clients.
 *
 * @param appointmentId the appointment; the connector derives the external event's id from it and
 *     stores it with the event so that it recognises the event when reading changes
 * @param version the appointment's version this event reflects (stored with the event)
 * @param title the event's title, already privacy-projected
 * @param description the event's body text, already privacy-projected; may be empty
 * @param start when the session starts
 * @param end when it ends, after {@code start}
 * @param timeZone the zone the appointment was booked in (calendars show the event in it)
 * @param location a place for in-person sessions; empty for none
 * @param join for telehealth sessions, the join link and the platform's join instructions
 * @param status whether the session is confirmed or tentative
 */
public record CalendarEvent(
    UUID appointmentId,
    long version,
    String title,
    String description,
    Instant start,
    Instant end,
    ZoneId timeZone,
    Optional<String> location,
    Optional<Join> join,
    Status status) {

  public CalendarEvent {
    Objects.requireNonNull(appointmentId, "appointmentId");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(timeZone, "timeZone");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(join, "join");
    Objects.requireNonNull(status, "status");
    if (version < 1) {
      throw new IllegalArgumentException("an appointment version starts at 1, not " + version);
    }
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("an event ends after it starts: " + start + " / " + end);
    }
  }

  /** Whether the session is firm or still pencilled in. */
  public enum Status {
    CONFIRMED,
    TENTATIVE
  }

  /**
   * How to join a telehealth session.
   *
   * @param url the participants' link; it may embed a passcode, so never log it
   * @param instructions the platform's join instructions (dial-in, passcode hints); may be empty
   */
  public record Join(URI url, String instructions) {
    public Join {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(instructions, "instructions");
    }

    @Override
    public String toString() {
      return "Join[url=<redacted>]";
    }
  }

  /** Ids and times only: title, description, location and join link may carry PHI or secrets. */
  @Override
  public String toString() {
    return "CalendarEvent[appointment="
        + appointmentId
        + ", version="
        + version
        + ", start="
        + start
        + ", end="
        + end
        + ", timeZone="
        + timeZone
        + ", telehealth="
        + join.isPresent()
        + ", status="
        + status
        + "]";
  }
}
