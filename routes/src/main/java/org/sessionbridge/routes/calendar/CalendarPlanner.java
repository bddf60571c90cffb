package org.sessionbridge.routes.calendar;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.sessionbridge.core.appointment.AppointmentChange;
import org.sessionbridge.core.appointment.AppointmentStatus;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.calendar.CalendarEvent;
import org.sessionbridge.core.calendar.CalendarLink;
import org.sessionbridge.core.calendar.CalendarStore;
import org.sessionbridge.core.policy.CalendarPrivacy;
import org.sessionbridge.core.port.AppointmentChangeHandler;
import org.sessionbridge.core.practice.Client;
import org.sessionbridge.core.practice.PracticeSettings;
import org.sessionbridge.core.practice.PracticeStore;

/**
 * The outbox handler of the calendar push route: records what each appointment version wants in
 * every calendar its provider linked (the event, privacy-projected for the provider, or its
 * removal), and the removal from calendars of a provider it no longer belongs to. Calendars linked
 * only to count as busy receive nothing. Only database writes, inside the delivery transaction, so
 * each version is planned exactly once; the calendar calls happen later in {@link
 * CalendarPushRoute}.
 *
 * <p>Links that stopped working are planned too (their rows wait parked), so that nothing is
 * dropped while the owner re-authorises.
 */
public final class CalendarPlanner implements AppointmentChangeHandler {

  public static final String NAME = "calendar-plan";

  private final CalendarStore store;
  private final PracticeStore practices;
  private final JoinLinks joinLinks;

  public CalendarPlanner(CalendarStore store, PracticeStore practices, JoinLinks joinLinks) {
    this.store = store;
    this.practices = practices;
    this.joinLinks = joinLinks;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void onChange(AppointmentChange change) {
    List<CalendarLink> links = store.links(change.practiceId(), change.providerId());
    Set<UUID> linkIds = new HashSet<>();
    if (links.stream().anyMatch(CalendarLink::receivesSessions)) {
      boolean present = change.status() == AppointmentStatus.BOOKED;
      CalendarEvent event = event(change);
      for (CalendarLink link : links) {
        if (link.receivesSessions()) {
          linkIds.add(link.id());
          store.plan(link, change.modality(), event, present);
        }
      }
    }
    store.planRemovalElsewhere(change.appointmentId(), change.version(), linkIds);
  }

  /** The event as the provider sees it: no client name unless the practice opted in. */
  CalendarEvent event(AppointmentChange change) {
    PracticeSettings settings = practices.settings(change.practiceId());
    List<Client> clients = new ArrayList<>();
    for (UUID id : change.clientIds()) {
      practices.client(change.practiceId(), id).ifPresent(clients::add);
    }
    String title =
        CalendarPrivacy.providerSummary(change.modality(), clients, settings.feedClientLabel());
    Optional<CalendarEvent.Join> join =
        change.modality() == Modality.TELEHEALTH
            ? joinLinks.join(change.practiceId(), change.appointmentId())
            : Optional.empty();
    return new CalendarEvent(
        change.appointmentId(),
        change.version(),
        title,
        CalendarProjection.description(change.modality(), join),
        change.start(),
        change.end(),
        change.timeZone(),
        CalendarProjection.location(change.modality(), settings.location()),
        join,
        CalendarEvent.Status.CONFIRMED);
  }
}
