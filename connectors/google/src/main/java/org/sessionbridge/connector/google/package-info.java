/**
 * Google Calendar for SessionBridge: {@link
 * org.sessionbridge.connector.google.GoogleCalendarProvider} implements hub-core's {@link
 * org.sessionbridge.core.port.CalendarProvider} on Google's Calendar API v3 Java client, guarded by
 * Resilience4j. Wire facts: {@code shared/API-NOTES.md} §3.
 */
@NullMarked
package org.sessionbridge.connector.google;

import org.jspecify.annotations.NullMarked;
