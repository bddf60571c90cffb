/**
 * The calendar routes: the outbox handler that plans each appointment's event in every calendar its
 * provider linked, the push route that brings those calendars in line, and the pull route that
 * reads busy time back and puts right what the owner changed in our events.
 */
@NullMarked
package org.sessionbridge.routes.calendar;

import org.jspecify.annotations.NullMarked;
