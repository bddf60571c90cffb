package org.sessionbridge.config.api;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.sessionbridge.core.calendar.CalendarLink;
import org.sessionbridge.core.calendar.CalendarStore;
import org.sessionbridge.core.calendar.Removal;
import org.sessionbridge.core.credential.ProviderTokenStore;
import org.sessionbridge.routes.calendar.CalendarBackfill;
import org.sessionbridge.routes.calendar.CalendarChannelKeeper;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Linking and unlinking providers' calendars, shared by the links API (a refresh token the practice
 * holds), the consent flow's callback and the provider's calendar choice: tokens are stored sealed
 * in the {@link ProviderTokenStore} (kind {@code GOOGLE} or {@code MICROSOFT}, account {@code
 * google:<providerId>} or {@code microsoft:<providerId>}) and the provider's links of that kind
 * parked for want of consent resumed; a new link that receives sessions is filled with the
 * provider's upcoming sessions; an unlinked calendar's push channels are stopped.
 */
@Component
final class CalendarLinks {

  private final CalendarStore calendars;
  private final CalendarBackfill backfill;
  private final ObjectProvider<CalendarChannelKeeper> channels;

  CalendarLinks(
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
    return authorize(store, practiceId, providerId, CalendarLink.Kind.GOOGLE, tokens);
  }

  /** Stores the tokens sealed and resumes the provider's parked links of that kind. */
  List<CalendarLink> authorize(
      ProviderTokenStore store,
      UUID practiceId,
      UUID providerId,
      CalendarLink.Kind kind,
      ProviderTokenStore.Tokens tokens) {
    store.save(practiceId, providerId, kind.credentialKind(), kind.accountId(providerId), tokens);
    // Links parked while the old consent was refused go ahead now.
    for (CalendarLink existing : links(practiceId, providerId, kind)) {
      if (existing.status() == CalendarLink.Status.NEEDS_REAUTHORIZATION) {
        calendars.resumeLink(existing.id());
      }
    }
    return links(practiceId, providerId, kind);
  }

  List<CalendarLink> googleLinks(UUID practiceId, UUID providerId) {
    return links(practiceId, providerId, CalendarLink.Kind.GOOGLE);
  }

  List<CalendarLink> links(UUID practiceId, UUID providerId, CalendarLink.Kind kind) {
    return calendars.links(practiceId, providerId).stream().filter(l -> l.kind() == kind).toList();
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
    return link(
        practiceId,
        providerId,
        CalendarLink.Kind.GOOGLE,
        calendarId,
        receivesSessions,
        busy,
        removal);
  }

  /** As above, for a calendar of either kind. */
  CalendarLink link(
      UUID practiceId,
      UUID providerId,
      CalendarLink.Kind kind,
      String calendarId,
      boolean receivesSessions,
      boolean busy,
      Removal removal) {
    CalendarLink link =
        calendars.link(practiceId, providerId, kind, calendarId, receivesSessions, busy, removal);
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
