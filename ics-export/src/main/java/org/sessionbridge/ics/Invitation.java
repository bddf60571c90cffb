package org.sessionbridge.ics;

import java.util.List;

/**
 * A single-appointment iTIP object for e-mail (iMIP): METHOD:REQUEST for a booked or changed
 * session, METHOD:CANCEL for a cancelled one (decided by {@link IcsEvent#cancelled()}).
 *
 * @param event the session
 * @param organizer the provider
 * @param attendees who receives it (one client per invitation keeps group members private)
 */
public record Invitation(IcsEvent event, Person organizer, List<Person> attendees) {

  public Invitation {
    attendees = List.copyOf(attendees);
    if (attendees.isEmpty()) {
      throw new IllegalArgumentException("an invitation needs at least one attendee");
    }
  }

  /** A calendar user: mailto address and display name (CN). */
  public record Person(String email, String name) {
    @Override
    public String toString() {
      return "Person[<redacted>]";
    }
  }
}
