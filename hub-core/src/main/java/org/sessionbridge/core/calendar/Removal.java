package org.sessionbridge.core.calendar;

/** What happens to the external event of a cancelled appointment, as the practice prefers. */
public enum Removal {
  /** The event is deleted from the calendar. */
  DELETE,
  /**
   * The event is kept and marked cancelled (status {@code cancelled}); calendars that treat a
   * cancelled event as deleted (Google) hide it but can still return it.
   */
  MARK_CANCELLED
}
