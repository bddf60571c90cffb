package org.sessionbridge.config.wiring;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.connector.google.GoogleCalendarProvider;
import org.sessionbridge.connector.microsoft.OutlookCalendarProvider;
import org.sessionbridge.core.calendar.CalendarAccount;
import org.sessionbridge.core.calendar.CalendarChanges;
import org.sessionbridge.core.calendar.CalendarEvent;
import org.sessionbridge.core.calendar.CalendarInfo;
import org.sessionbridge.core.calendar.CalendarLink;
import org.sessionbridge.core.calendar.ExternalEvent;
import org.sessionbridge.core.calendar.Removal;
import org.sessionbridge.core.port.CalendarProvider;

/**
 * The calendar routes' one {@link CalendarProvider}: Google Calendar for {@code google:…} accounts,
 * Outlook (Microsoft Graph) for {@code microsoft:…} ones, as {@link StoredCalendarAccounts} names
 * them. Each vendor keeps its own guards (rate limits, breakers).
 */
public final class KindRoutedCalendarProvider implements CalendarProvider {

  private final GoogleCalendarProvider google;
  private final OutlookCalendarProvider outlook;

  KindRoutedCalendarProvider(GoogleCalendarProvider google, OutlookCalendarProvider outlook) {
    this.google = google;
    this.outlook = outlook;
  }

  private CalendarProvider of(CalendarAccount account) {
    return CalendarLink.Kind.ofAccount(account.id()) == CalendarLink.Kind.MICROSOFT
        ? outlook
        : google;
  }

  @Override
  public ExternalEvent upsert(CalendarAccount account, String calendarId, CalendarEvent event) {
    return of(account).upsert(account, calendarId, event);
  }

  @Override
  public boolean remove(
      CalendarAccount account, String calendarId, UUID appointmentId, Removal removal) {
    return of(account).remove(account, calendarId, appointmentId, removal);
  }

  @Override
  public CalendarChanges changes(
      CalendarAccount account, String calendarId, @Nullable String cursor) {
    return of(account).changes(account, calendarId, cursor);
  }

  @Override
  public List<CalendarInfo> calendars(CalendarAccount account) {
    return of(account).calendars(account);
  }

  @Override
  public Watch watch(
      CalendarAccount account,
      String calendarId,
      String channelId,
      String token,
      URI address,
      Duration ttl) {
    return of(account).watch(account, calendarId, channelId, token, address, ttl);
  }

  @Override
  public void stopWatch(CalendarAccount account, String channelId, String resourceId) {
    of(account).stopWatch(account, channelId, resourceId);
  }

  @Override
  public String toString() {
    return "KindRoutedCalendarProvider[" + google + ", " + outlook + "]";
  }
}
