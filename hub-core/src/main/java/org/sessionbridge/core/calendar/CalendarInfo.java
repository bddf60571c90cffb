package org.sessionbridge.core.calendar;

import java.util.Objects;

/**
 * One of the calendars an account can see, as offered to its owner when they pick where sessions go
 * and what counts as busy.
 *
 * @param id the vendor's calendar id, what a link stores
 * @param name the owner's name for it (shown only to the owner on the choice page)
 * @param primary whether it is the account's main calendar
 * @param writable whether the hub could put sessions in it (owner or writer access)
 */
public record CalendarInfo(String id, String name, boolean primary, boolean writable) {
  public CalendarInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
  }
}
