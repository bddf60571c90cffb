package org.sessionbridge.config.feeds;

import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.appointment.Appointment;
import org.sessionbridge.core.appointment.AppointmentBook;
import org.sessionbridge.core.error.InvalidInputException;
import org.sessionbridge.core.error.NotFoundException;
import org.sessionbridge.core.join.JoinPassLinks;
import org.sessionbridge.core.meeting.MeetingStore;
import org.sessionbridge.core.practice.Client;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.core.practice.Staff;
import org.sessionbridge.ics.IcsEvent;
import org.sessionbridge.ics.Invitation;
import org.sessionbridge.ics.InvitationRenderer;

/**
 * Single-appointment invitations (iTIP over e-mail): one per client, so a group session never shows
 * a client the others' addresses. METHOD:REQUEST for a booked session, METHOD:CANCEL once it is
 * cancelled; the MIME type carries the same method.
 */
public final class Invitations {

  /** The bytes and the content type to send them with. */
  public record Rendered(byte[] body, String contentType) {}

  private final AppointmentBook book;
  private final PracticeStore practices;
  private final MeetingStore meetings;
  private final InvitationRenderer renderer;
  private final FeedSettings settings;
  private final @Nullable JoinPassLinks joinLinks;

  Invitations(
      AppointmentBook book,
      PracticeStore practices,
      MeetingStore meetings,
      InvitationRenderer renderer,
      FeedSettings settings,
      @Nullable JoinPassLinks joinLinks) {
    this.joinLinks = joinLinks;
    this.book = book;
    this.practices = practices;
    this.meetings = meetings;
    this.renderer = renderer;
    this.settings = settings;
  }

  public Rendered invite(UUID practiceId, UUID appointmentId, @Nullable UUID clientId) {
    Appointment a =
        book.find(practiceId, appointmentId)
            .orElseThrow(() -> new NotFoundException("appointment"));
    UUID recipient;
    if (clientId != null) {
      if (!a.clientIds().contains(clientId)) {
        throw InvalidInputException.rule("clientId", "this client is not in the appointment");
      }
      recipient = clientId;
    } else if (a.clientIds().size() == 1) {
      recipient = a.clientIds().get(0);
    } else {
      throw InvalidInputException.malformed(
          "clientId",
          "a group session needs clientId: each client gets an invitation of their own");
    }
    CalendarEntries entries =
        new CalendarEntries(
            practices,
            meetings,
            practiceId,
            practices.settings(practiceId),
            CalendarEntries.Audience.CLIENT,
            settings.alarmBefore(),
            joinLinks,
            recipient);
    IcsEvent event = entries.entry(a);
    Staff provider = Objects.requireNonNull(entries.provider(a.providerId()));
    Client client = Objects.requireNonNull(entries.client(recipient));
    Invitation invitation =
        new Invitation(
            event,
            new Invitation.Person(provider.email(), provider.name()),
            List.of(new Invitation.Person(client.email(), client.name())));
    return new Rendered(renderer.render(invitation), InvitationRenderer.contentType(invitation));
  }
}
