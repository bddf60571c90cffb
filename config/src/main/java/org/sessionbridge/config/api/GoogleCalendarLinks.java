package org.sessionbridge.config.api;

import java.util.List;
import java.util.UUID;
import org.sessionbridge.core.calendar.CalendarLink;
import org.sessionbridge.core.calendar.CalendarStore;
import org.sessionbridge.core.calendar.Removal;
import org.sessionbridge.core.credential.Connection;
import org.sessionbridge.core.credential.ProviderTokenStore;

/**
 * Storing a provider's Google consent, shared by the links API (a refresh token the practice holds)
 * and the consent flow's callback: the tokens sealed in the {@link ProviderTokenStore} (kind {@code
 * GOOGLE}, account {@code google:<providerId>}), and the provider's Google links parked for want of
 * consent resumed.
 */
final class GoogleCalendarLinks {

  private GoogleCalendarLinks() {}

  /** Stores the tokens sealed and resumes the provider's parked Google links; answers the links. */
  static List<CalendarLink> authorize(
      ProviderTokenStore store,
      CalendarStore calendars,
      UUID practiceId,
      UUID providerId,
      ProviderTokenStore.Tokens tokens) {
    store.save(practiceId, providerId, Connection.Kind.GOOGLE, "google:" + providerId, tokens);
    // Links parked while the old consent was refused go ahead now.
    for (CalendarLink existing : calendars.links(practiceId, providerId)) {
      if (existing.kind() == CalendarLink.Kind.GOOGLE
          && existing.status() == CalendarLink.Status.NEEDS_REAUTHORIZATION) {
        calendars.resumeLink(existing.id());
      }
    }
    return calendars.links(practiceId, providerId).stream()
        .filter(l -> l.kind() == CalendarLink.Kind.GOOGLE)
        .toList();
  }

  /** Links one more of the provider's Google calendars (pulled at once). */
  static CalendarLink link(
      CalendarStore calendars,
      UUID practiceId,
      UUID providerId,
      String calendarId,
      boolean busy,
      Removal removal) {
    return calendars.link(
        practiceId, providerId, CalendarLink.Kind.GOOGLE, calendarId, busy, removal);
  }
}
