package org.sessionbridge.routes.calendar;

import org.sessionbridge.core.calendar.CalendarLink;

/** What the calendar routes tell the rest of the hub. Called outside any transaction. */
public interface CalendarEvents {

  /**
   * The link stopped working (consent revoked, calendar gone) and its work is parked: the practice
   * and the provider must act. {@code link} shows the new status.
   */
  void linkStopped(CalendarLink link, String reason);

  CalendarEvents NONE = (link, reason) -> {};
}
