/**
 * External calendars (Google, Outlook): the event the hub keeps in a provider's calendar for each
 * appointment, the account it is written with, and what reading a calendar's changes yields (busy
 * blocks, and the hub's own events as the provider left them). Plain Java; the port is {@link
 * org.sessionbridge.core.port.CalendarProvider}.
 */
@NullMarked
package org.sessionbridge.core.calendar;

import org.jspecify.annotations.NullMarked;
