package org.sessionbridge.routes.calendar;

import java.util.Optional;
import java.util.UUID;
import org.sessionbridge.core.calendar.CalendarAccount;
import org.sessionbridge.core.calendar.CalendarLink;

/**
 * How the calendar routes authenticate for a linked calendar. The credential vault implements it;
 * tests supply their own.
 */
@FunctionalInterface
public interface CalendarAccounts {

  /**
   * The account to call the link's calendar with; empty when the hub holds no credentials for it
   * (treated like a refused authorisation: the link needs its owner to authorise again).
   */
  Optional<CalendarAccount> account(CalendarLink link);

  /**
   * The provider's account of that kind before any of its calendars is linked (to list them for the
   * provider to choose); empty when the hub holds no credentials for it.
   */
  default Optional<CalendarAccount> account(
      UUID practiceId, UUID providerId, CalendarLink.Kind kind) {
    return Optional.empty();
  }
}
