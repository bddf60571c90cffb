package org.sessionbridge.routes.calendar;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.calendar.CalendarAccount;
import org.sessionbridge.core.calendar.CalendarLink;
import org.sessionbridge.core.calendar.CalendarStore;
import org.sessionbridge.core.port.CalendarProvider;
import org.sessionbridge.core.port.CalendarProviderException;
import org.sessionbridge.routes.outbox.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one push channel open per ACTIVE Google link (docs/CALENDARS.md): for a link claimed by
 * {@link CalendarChannelRoute} it first stops an old channel left over from an earlier renewal,
 * then, when the link has no confirmed channel or it expires within the renewal margin, opens a new
 * one ({@link CalendarStore#openChannel} stores the new id and token hash before Google is called,
 * so the channel's first notification is already accepted) and stops the channel it replaced. Only
 * the newest channel's notifications are accepted; the new channel's {@code sync} message asks for
 * a pull, so nothing is missed while the old one is being stopped.
 *
 * <p>Failures never escape: a refused authorisation parks the link as the push and pull routes do,
 * a gone calendar too, anything else is tried again after a backoff (the polling fallback keeps
 * pulling meanwhile).
 */
public final class CalendarChannelKeeper {

  private static final Logger log = LoggerFactory.getLogger(CalendarChannelKeeper.class);

  private final CalendarStore store;
  private final CalendarProvider provider;
  private final CalendarAccounts accounts;
  private final CalendarEvents events;
  private final RetryPolicy retry;
  private final Map<CalendarLink.Kind, URI> addresses;
  private final Duration ttl;
  private final Duration renewalMargin;
  private final Clock clock;
  private final AtomicLong opened = new AtomicLong();
  private final AtomicLong stopped = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  /**
   * @param address where Google posts notifications ({@code {public-base-url}/webhooks/google})
   * @param ttl the life asked for each channel (Google grants at most about 7 days)
   * @param renewalMargin how long before a channel's expiry a new one is opened
   */
  public CalendarChannelKeeper(
      CalendarStore store,
      CalendarProvider provider,
      CalendarAccounts accounts,
      CalendarEvents events,
      RetryPolicy retry,
      URI address,
      Duration ttl,
      Duration renewalMargin,
      Clock clock) {
    this(
        store,
        provider,
        accounts,
        events,
        retry,
        Map.of(CalendarLink.Kind.GOOGLE, address),
        ttl,
        renewalMargin,
        clock);
  }

  /**
   * @param addresses where each vendor posts notifications ({@code /webhooks/google}, {@code
   *     /webhooks/microsoft}); links of a kind without one get no channel (they are polled)
   */
  public CalendarChannelKeeper(
      CalendarStore store,
      CalendarProvider provider,
      CalendarAccounts accounts,
      CalendarEvents events,
      RetryPolicy retry,
      Map<CalendarLink.Kind, URI> addresses,
      Duration ttl,
      Duration renewalMargin,
      Clock clock) {
    this.addresses = Map.copyOf(addresses);
    this.store = store;
    this.provider = provider;
    this.accounts = accounts;
    this.events = events;
    this.retry = retry;
    this.ttl = ttl;
    this.renewalMargin = renewalMargin;
    this.clock = clock;
  }

  public Duration renewalMargin() {
    return renewalMargin;
  }

  public long openedCount() {
    return opened.get();
  }

  public long stoppedCount() {
    return stopped.get();
  }

  public long failureCount() {
    return failures.get();
  }

  /** Opens, renews or stops the claimed link's channels; never throws. */
  public void keep(CalendarStore.ChannelWork work) {
    CalendarLink link = work.link();
    try {
      CalendarAccount account =
          accounts
              .account(link)
              .orElseThrow(
                  () ->
                      new CalendarProviderException.NotAuthorized(
                          "the hub holds no credentials for calendar link " + link.id(), null));
      if (work.oldChannelId() != null && work.oldResourceId() != null) {
        stop(account, link, work.oldChannelId(), work.oldResourceId());
      }
      URI address = addresses.get(link.kind());
      if (address == null) {
        store.failChannel(
            link.id(),
            clock.instant().plus(renewalMargin),
            "no push address for " + link.kind() + " calendars: polled only");
        return;
      }
      if (work.needsChannel(clock.instant().plus(renewalMargin))) {
        CalendarStore.Channel channel = store.openChannel(link.id());
        CalendarProvider.Watch watch =
            provider.watch(account, link.calendarId(), channel.id(), channel.token(), address, ttl);
        store.channelOpened(
            link.id(), channel.id(), watch.resourceId(), watch.expiration(), nextCheck(watch));
        opened.incrementAndGet();
        log.info(
            "calendar link {}: push channel {} open until {}",
            link.id(),
            channel.id(),
            watch.expiration());
        if (work.channelId() != null && work.resourceId() != null) {
          stop(account, link, work.channelId(), work.resourceId());
        }
      }
    } catch (CalendarProviderException.Retryable e) {
      retryLater(work, e.retryAfter().orElse(null), e.getMessage());
    } catch (CalendarProviderException.NotAuthorized e) {
      park(link, CalendarLink.Status.NEEDS_REAUTHORIZATION, e.getMessage());
    } catch (CalendarProviderException.Gone e) {
      park(link, CalendarLink.Status.CALENDAR_GONE, e.getMessage());
    } catch (RuntimeException e) {
      log.warn("push channel work of calendar link {} failed", link.id(), e);
      retryLater(work, null, e.getClass().getName() + ": " + e.getMessage());
    }
  }

  /**
   * Stops the push channels of a link being unlinked, so Google stops posting for it before the
   * channels expire. Best effort, never throws: a channel that could not be stopped expires on its
   * own, and its notifications are refused meanwhile (no link knows the channel any more). Call it
   * after the link is gone from the store, with what {@link CalendarStore#channels} read before.
   */
  public void stopChannels(CalendarStore.ChannelWork work) {
    CalendarLink link = work.link();
    Optional<CalendarAccount> account;
    try {
      account = accounts.account(link);
    } catch (RuntimeException e) {
      account = Optional.empty();
    }
    if (account.isEmpty()) {
      if (work.channelId() != null) {
        log.info(
            "calendar link {} unlinked: no credentials to stop its push channel; it expires by {}",
            link.id(),
            work.expiresAt());
      }
      return;
    }
    stopQuietly(account.get(), link, work.channelId(), work.resourceId());
    stopQuietly(account.get(), link, work.oldChannelId(), work.oldResourceId());
  }

  private void stopQuietly(
      CalendarAccount account,
      CalendarLink link,
      @Nullable String channelId,
      @Nullable String resourceId) {
    if (channelId == null || resourceId == null) {
      return;
    }
    try {
      provider.stopWatch(account, channelId, resourceId);
      stopped.incrementAndGet();
      log.info("calendar link {} unlinked: push channel {} stopped", link.id(), channelId);
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      log.info(
          "calendar link {} unlinked: push channel {} not stopped ({}); it expires on its own",
          link.id(),
          channelId,
          e.getClass().getSimpleName());
    }
  }

  /**
   * When to look at the link again: a margin before the channel expires, or halfway through its
   * life when Google granted less than the margin (never in a tight loop).
   */
  private Instant nextCheck(CalendarProvider.Watch watch) {
    Instant now = clock.instant();
    Instant renewAt = watch.expiration().minus(renewalMargin);
    if (renewAt.isAfter(now)) {
      return renewAt;
    }
    Duration life = Duration.between(now, watch.expiration());
    Duration half = life.isNegative() ? Duration.ZERO : life.dividedBy(2);
    return now.plus(half.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : half);
  }

  private void stop(CalendarAccount account, CalendarLink link, String channelId, String resource) {
    provider.stopWatch(account, channelId, resource);
    store.oldChannelStopped(link.id(), channelId);
    stopped.incrementAndGet();
    log.info("calendar link {}: old push channel {} stopped", link.id(), channelId);
  }

  private void retryLater(
      CalendarStore.ChannelWork work, @Nullable Duration retryAfter, @Nullable String message) {
    failures.incrementAndGet();
    Duration backoff =
        retry.backoffAfter(work.attempts() + 1, ThreadLocalRandom.current()::nextDouble);
    Duration wait = retryAfter != null && retryAfter.compareTo(backoff) > 0 ? retryAfter : backoff;
    Instant at = clock.instant().plus(wait);
    store.failChannel(work.link().id(), at, String.valueOf(message));
  }

  private void park(CalendarLink link, CalendarLink.Status status, @Nullable String message) {
    failures.incrementAndGet();
    String reason = String.valueOf(message);
    store.failChannel(link.id(), clock.instant().plus(renewalMargin), reason);
    store.parkLink(link.id(), status, reason);
    log.warn("calendar link {} stopped: {}", link.id(), status);
    store.linkById(link.id()).ifPresent(now -> events.linkStopped(now, reason));
  }
}
