/**
 * External calendars (Google, Outlook): the event the hub keeps in a provider's calendar for each
 * appointment, the account it is written with, and what reading a calendar's changes yields (busy
 * blocks, and the hub's own events as the provider left them). The port is {@link
 * org.sessionbridge.core.port.CalendarProvider}. The types are plain Java, and so is the drift
 * decision ({@link org.sessionbridge.core.calendar.Drift}); {@link
 * org.sessionbridge.core.calendar.CalendarStore} keeps links, wanted events, the audit and busy
 * blocks with Spring JDBC, like the meeting store.
 */
@NullMarked
package org.sessionbridge.core.calendar;

import org.jspecify.annotations.NullMarked;
