package org.sessionbridge.core.port;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.calendar.CalendarAccount;
import org.sessionbridge.core.calendar.CalendarChanges;
import org.sessionbridge.core.calendar.CalendarEvent;
import org.sessionbridge.core.calendar.CalendarInfo;
import org.sessionbridge.core.calendar.ExternalEvent;
import org.sessionbridge.core.calendar.Removal;

/**
 * An external calendar (Google, Outlook) in which the hub keeps one event per appointment and from
 * which it reads the owner's busy time. Implemented by a connector; called by the calendar push and
 * pull routes.
 *
 * <p><b>Idempotency.</b> {@link #upsert} and {@link #remove} are idempotent per appointment: the
 * external event's id is derived from the appointment id, so repeating a call after a crash or a
 * lost answer never leaves two events. Implementations may therefore retry them on their own.
 *
 * <p><b>Threading.</b> Thread-safe and blocking; any number of threads may call for any accounts.
 *
 * <p><b>Failures.</b> Every method throws only {@link CalendarProviderException} subtypes. Short
 * waits the vendor asks for may be spent inside the call; longer ones come back as {@link
 * CalendarProviderException.Retryable} with the time to wait. Messages carry operation, calendar
 * status and reason, never tokens, titles, descriptions or join links.
 */
public interface CalendarProvider {

  /**
   * Creates the appointment's event in {@code calendarId}, or replaces it with {@code event} when
   * it exists (also when the owner deleted or cancelled it: it is restored). Sends no invitations.
   *
   * @param calendarId the vendor's calendar id ({@code primary} for the owner's main calendar)
   * @return the event as stored
   * @throws CalendarProviderException.Gone the calendar does not exist or is no longer accessible
   */
  ExternalEvent upsert(CalendarAccount account, String calendarId, CalendarEvent event);

  /**
   * Removes the appointment's event as the practice prefers: deleted, or kept and marked cancelled.
   * An event that does not exist or was deleted already counts as removed.
   *
   * @return {@code true} if this call removed it, {@code false} if it was gone already
   */
  boolean remove(CalendarAccount account, String calendarId, UUID appointmentId, Removal removal);

  /**
   * Reads what changed in {@code calendarId} since {@code cursor}, following every page: the
   * owner's busy time (events that are not the hub's) and the hub's own events as the owner left
   * them. Without a cursor, reads everything within the connector's look-back (a full sync).
   * Persist {@link CalendarChanges#nextCursor()} only after applying the result; repeating a read
   * from the same cursor is harmless.
   *
   * @param cursor the {@link CalendarChanges#nextCursor()} of the previous read, or {@code null}
   * @throws CalendarProviderException.CursorExpired the calendar no longer accepts {@code cursor}:
   *     not an error, call again once without a cursor and replace what is held for the calendar
   */
  CalendarChanges changes(CalendarAccount account, String calendarId, @Nullable String cursor);

  /**
   * The calendars the account's owner can see, primary first, for them to pick where sessions go
   * and which count as busy.
   */
  default List<CalendarInfo> calendars(CalendarAccount account) {
    throw new UnsupportedOperationException("listing calendars is not supported");
  }

  /**
   * Opens a push channel on {@code calendarId} ({@code events.watch}): the vendor posts a
   * notification carrying {@code channelId} and {@code token} to {@code address} whenever the
   * calendar changes, until the channel expires or is {@link #stopWatch stopped}. Channels are not
   * renewed: open a new one before this one expires.
   *
   * @param ttl how long the channel should live; the vendor may grant less
   * @return the vendor's resource id (needed to stop the channel) and the granted expiry
   */
  default Watch watch(
      CalendarAccount account,
      String calendarId,
      String channelId,
      String token,
      URI address,
      Duration ttl) {
    throw new UnsupportedOperationException("push channels are not supported");
  }

  /**
   * Stops a channel opened by {@link #watch}. A channel that is gone already (expired, stopped)
   * counts as stopped.
   */
  default void stopWatch(CalendarAccount account, String channelId, String resourceId) {
    throw new UnsupportedOperationException("push channels are not supported");
  }

  /** An open push channel: the vendor's resource id and when the channel expires. */
  record Watch(String resourceId, Instant expiration) {
    public Watch {
      Objects.requireNonNull(resourceId, "resourceId");
      Objects.requireNonNull(expiration, "expiration");
    }
  }
}
