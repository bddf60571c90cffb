package org.sessionbridge.ics;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.ComponentList;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.ParameterList;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.PropertyList;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.parameter.Cn;
import net.fortuna.ical4j.model.property.Attendee;
import net.fortuna.ical4j.model.property.Organizer;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableMethod;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;

/**
 * Renders the iTIP object (RFC 5546) of a per-appointment e-mail invitation (iMIP, RFC 6047):
 * {@code METHOD:REQUEST} for a booked or changed session, {@code METHOD:CANCEL} with {@code
 * STATUS:CANCELLED} for a cancelled one. Same UID, SEQUENCE, join-link placement and octet folding
 * as the feed; no X-WR-CALNAME, which MS-OXCICAL says must be omitted for a single appointment.
 *
 * <p>With a METHOD, DTSTAMP is when the message was created (RFC 5545 §3.8.7.2), so it comes from
 * the injected clock; LAST-MODIFIED stays the appointment's last change. Thread-safe.
 */
public final class InvitationRenderer {

  private static final String REQUEST = "REQUEST";
  private static final String CANCEL = "CANCEL";

  private final Clock clock;

  /**
   * @param clock source of DTSTAMP (the send time)
   */
  public InvitationRenderer(Clock clock) {
    this.clock = clock;
    var warmUp = new Invitation.Person("warm-up@example.invalid", "Warm Up");
    EventComponent.warmUp(participants(warmUp, List.of(warmUp), "warm-up"));
  }

  /**
   * Renders the invitation.
   *
   * @return the VCALENDAR as UTF-8 bytes, for a {@code text/calendar} MIME part whose type is
   *     {@link #contentType(Invitation)}
   * @throws IllegalArgumentException naming the event's UID when the event or an address cannot be
   *     rendered faithfully
   */
  public byte[] render(Invitation invitation) {
    // Content lines straight from the properties: an iCal4j Calendar would build a validator
    // instance and join everything into one String first (checklist §6 root cause 3).
    var lines = new ArrayList<String>(48);
    lines.add("BEGIN:VCALENDAR\r\n");
    for (Property property : calendarProperties(invitation)) {
      lines.add(property.toString());
    }
    lines.addAll(EventComponent.contentLines(event(invitation, clock.instant())));
    lines.add("END:VCALENDAR\r\n");
    return Folding.fold(lines);
  }

  /**
   * The MIME type of the part carrying {@link #render(Invitation)}: {@code text/calendar;
   * charset=UTF-8; method=REQUEST} (or {@code CANCEL}). The method is uppercase and equal to the
   * body's METHOD; Outlook rejects a mismatch and Tutanota a lowercase method (checklist K2).
   */
  public static String contentType(Invitation invitation) {
    return "text/calendar; charset=UTF-8; method=" + method(invitation);
  }

  static String method(Invitation invitation) {
    return invitation.event().cancelled() ? CANCEL : REQUEST;
  }

  /** The same invitation as an iCal4j model; tests compare {@link #render} with its output. */
  static Calendar model(Invitation invitation, Instant sentAt) {
    return new Calendar(
        new PropertyList(calendarProperties(invitation)),
        new ComponentList<>(List.of(event(invitation, sentAt))));
  }

  private static List<Property> calendarProperties(Invitation invitation) {
    return List.of(
        ImmutableVersion.VERSION_2_0,
        new ProdId(FeedRenderer.PRODID),
        ImmutableCalScale.GREGORIAN,
        CANCEL.equals(method(invitation)) ? ImmutableMethod.CANCEL : ImmutableMethod.REQUEST);
  }

  private static VEvent event(Invitation invitation, Instant sentAt) {
    IcsEvent event = invitation.event();
    List<Property> participants =
        participants(invitation.organizer(), invitation.attendees(), event.uid());
    return EventComponent.of(event, sentAt, participants);
  }

  private static List<Property> participants(
      Invitation.Person organizer, List<Invitation.Person> attendees, String uid) {
    var participants = new ArrayList<Property>(1 + attendees.size());
    participants.add(
        new Organizer(
            new ParameterList(named("ORGANIZER", organizer)),
            IcsText.mailto(organizer.email(), uid)));
    for (Invitation.Person attendee : attendees) {
      // ROLE=REQ-PARTICIPANT, PARTSTAT=NEEDS-ACTION and RSVP=FALSE are the RFC 5545 defaults
      // (§3.2.16, §3.2.12, §3.2.17), so they are left out: that keeps "ATTENDEE;CN=…:" on the
      // first physical line, which line-oriented consumers (and ics-validate's lint) expect.
      URI address = IcsText.mailto(attendee.email(), uid);
      participants.add(new Attendee(new ParameterList(named("ATTENDEE", attendee)), address));
    }
    return participants;
  }

  /**
   * The CN parameter, shortened when needed so that {@code NAME;CN="…":} fits the first 75-octet
   * line: a content line folded before its colon is legal, but consumers that split lines before
   * unfolding mistake it for a value without a name.
   */
  private static List<Parameter> named(String property, Invitation.Person person) {
    var params = new ArrayList<Parameter>(1);
    String name = IcsText.param(person.name());
    if (!name.isBlank()) {
      int room = 75 - (property.length() + ";CN=\"\":".length());
      params.add(new Cn(fitOctets(name, room)));
    }
    return params;
  }

  /** Cuts {@code text} at a code point so its UTF-8 form is at most {@code octets} long. */
  static String fitOctets(String text, int octets) {
    if (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= octets) {
      return text;
    }
    int budget = octets - 3; // the ellipsis is 3 octets
    StringBuilder out = new StringBuilder();
    int used = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (used + size > budget) {
        break;
      }
      out.appendCodePoint(cp);
      used += size;
      i += Character.charCount(cp);
    }
    return out.toString().strip() + "…";
  }
}
