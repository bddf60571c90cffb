package org.sessionbridge.config.api;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.sessionbridge.core.calendar.CalendarLink;
import org.sessionbridge.core.calendar.CalendarStore;
import org.sessionbridge.core.calendar.Removal;
import org.sessionbridge.core.credential.Connection;
import org.sessionbridge.core.credential.ProviderTokenStore;
import org.sessionbridge.routes.calendar.CalendarBackfill;
import org.sessionbridge.routes.calendar.CalendarChannelKeeper;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Linking and unlinking providers' calendars, shared by the links API (a refresh token the practice
 * holds), the consent flow's callback and the provider's calendar choice: tokens are stored sealed
 * in the {@link ProviderTokenStore} (kind {@code GOOGLE}, account {@code google:<providerId>}) and
 * the provider's links parked for want of consent resumed; a new link that receives sessions is
 * filled with the provider's upcoming sessions; an unlinked calendar's push channels are stopped.
 */
@Component
final class GoogleCalendarLinks {

  private final CalendarStore calendars;
  private final CalendarBackfill backfill;
  private final ObjectProvider<CalendarChannelKeeper> channels;

  GoogleCalendarLinks(
      CalendarStore calendars,
      CalendarBackfill backfill,
      ObjectProvider<CalendarChannelKeeper> channels) {
    this.calendars = calendars;
    this.backfill = backfill;
    this.channels = channels;
  }

  /** Stores the tokens sealed and resumes the provider's parked Google links; answers the links. */
  List<CalendarLink> authorize(
      ProviderTokenStore store,
      UUID practiceId,
      UUID providerId,
      ProviderTokenStore.Tokens tokens) {
    store.save(practiceId, providerId, Connection.Kind.GOOGLE, "google:" + providerId, tokens);
    // Links parked while the old consent was refused go ahead now.
    for (CalendarLink existing : googleLinks(practiceId, providerId)) {
      if (existing.status() == CalendarLink.Status.NEEDS_REAUTHORIZATION) {
        calendars.resumeLink(existing.id());
      }
    }
    return googleLinks(practiceId, providerId);
  }

  List<CalendarLink> googleLinks(UUID practiceId, UUID providerId) {
    return calendars.links(practiceId, providerId).stream()
        .filter(l -> l.kind() == CalendarLink.Kind.GOOGLE)
        .toList();
  }

  /**
   * Links one more of the provider's Google calendars (pulled at once) and, when it receives
   * sessions, plans the provider's upcoming sessions into it.
   */
  CalendarLink link(
      UUID practiceId,
      UUID providerId,
      String calendarId,
      boolean receivesSessions,
      boolean busy,
      Removal removal) {
    CalendarLink link =
        calendars.link(
            practiceId,
            providerId,
            CalendarLink.Kind.GOOGLE,
            calendarId,
            receivesSessions,
            busy,
            removal);
    backfill.backfill(link);
    return link;
  }

  /**
   * Unlinks the calendar (its busy blocks and event rows go; events already in the calendar stay)
   * and stops its push channels. Returns false when the practice has no such link.
   */
  boolean unlink(UUID practiceId, UUID linkId) {
    Optional<CalendarStore.ChannelWork> before = calendars.channels(linkId);
    if (!calendars.unlink(practiceId, linkId)) {
      return false;
    }
    CalendarChannelKeeper keeper = channels.getIfAvailable();
    if (keeper != null && before.isPresent()) {
      keeper.stopChannels(before.get());
    }
    return true;
  }
}
