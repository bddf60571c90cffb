/**
 * Microsoft Graph for SessionBridge, on the Graph Java SDK v6 (Kiota over OkHttp 5): {@link
 * org.sessionbridge.connector.microsoft.TeamsMeetingPlatform} implements hub-core's {@link
 * org.sessionbridge.core.port.MeetingPlatform} for Teams online meetings, {@link
 * org.sessionbridge.connector.microsoft.OutlookCalendarProvider} its {@link
 * org.sessionbridge.core.port.CalendarProvider} for Outlook calendars; both guarded by Resilience4j
 * per mailbox. Wire facts: {@code shared/API-NOTES.md} §2.
 */
@NullMarked
package org.sessionbridge.connector.microsoft;

import org.jspecify.annotations.NullMarked;
