package org.sessionbridge.routes.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.core.calendar.CalendarAccount;
import org.sessionbridge.core.calendar.CalendarChanges;
import org.sessionbridge.core.calendar.CalendarEvent;
import org.sessionbridge.core.calendar.CalendarLink;
import org.sessionbridge.core.calendar.CalendarStore;
import org.sessionbridge.core.calendar.ExternalEvent;
import org.sessionbridge.core.calendar.Removal;
import org.sessionbridge.core.port.CalendarProvider;
import org.sessionbridge.core.port.CalendarProviderException;

/**
 * The channel keeper and the claim of {@link CalendarChannelRoute} against the real store (H2) and
 * a scripted provider: a channel is opened for an ACTIVE Google link, renewed a margin before it
 * expires with the old one stopped afterwards, and failures are retried later or park the link.
 */
class CalendarChannelKeeperTest {

  static final URI ADDRESS = URI.create("https://hub.example.org/webhooks/google");
  static final Duration TTL = Duration.ofDays(7);
  static final Duration MARGIN = Duration.ofDays(1);

  CalendarTestBed bed;
  ScriptedChannels google;
  CalendarChannelKeeper keeper;
  CalendarChannelRoute route;

  @BeforeEach
  void setUp() throws Exception {
    bed = new CalendarTestBed();
    google = new ScriptedChannels(bed);
    keeper =
        new CalendarChannelKeeper(
            bed.store,
            google,
            bed.accounts,
            bed.events,
            CalendarTestBed.RETRY,
            ADDRESS,
            TTL,
            MARGIN,
            bed.clock);
    route =
        new CalendarChannelRoute(
            bed.store,
            keeper,
            Duration.ofSeconds(1),
            CalendarTestBed.LEASE,
            10,
            Executors.newSingleThreadExecutor());
  }

  @AfterEach
  void tearDown() throws Exception {
    bed.close();
  }

  private int runOnce() {
    List<CalendarStore.ChannelWork> claimed = route.claim();
    claimed.forEach(keeper::keep);
    return claimed.size();
  }

  @Test
  void opensAChannelThenRenewsItBeforeExpiryAndStopsTheOldOne() {
    assertThat(runOnce()).isEqualTo(1);
    assertThat(google.watches).hasSize(1);
    Watched first = google.watches.get(0);
    assertThat(first.address()).isEqualTo(ADDRESS);
    assertThat(first.calendarId()).isEqualTo(CalendarTestBed.PRIMARY);
    assertThat(bed.store.notifyChannel(first.channelId(), first.token()))
        .isEqualTo(CalendarStore.ChannelCheck.VERIFIED);
    assertThat(bed.store.notifyChannel(first.channelId(), "forged"))
        .isEqualTo(CalendarStore.ChannelCheck.FORGED);

    // Nothing to do until the margin before expiry.
    assertThat(runOnce()).isZero();
    bed.clock.advance(TTL.minus(MARGIN).minusMinutes(1));
    assertThat(runOnce()).isZero();

    bed.clock.advance(Duration.ofMinutes(2));
    assertThat(runOnce()).isEqualTo(1);
    assertThat(google.watches).hasSize(2);
    Watched second = google.watches.get(1);
    assertThat(second.channelId()).isNotEqualTo(first.channelId());
    assertThat(google.stops).containsExactly(first.channelId() + "/res-" + first.channelId());
    // Only the newest channel's notifications are accepted.
    assertThat(bed.store.notifyChannel(second.channelId(), second.token()))
        .isEqualTo(CalendarStore.ChannelCheck.VERIFIED);
    assertThat(bed.store.notifyChannel(first.channelId(), first.token()))
        .isEqualTo(CalendarStore.ChannelCheck.UNKNOWN);
    assertThat(runOnce()).isZero();
    assertThat(keeper.openedCount()).isEqualTo(2);
    assertThat(keeper.stoppedCount()).isEqualTo(1);
  }

  @Test
  void aFailedWatchIsTriedAgainAfterTheBackoff() {
    google.failWatch.add(
        new CalendarProviderException.Retryable("watch calendar: 503", null, null));
    assertThat(runOnce()).isEqualTo(1);
    assertThat(google.watches).isEmpty();
    assertThat(keeper.failureCount()).isEqualTo(1);
    assertThat(runOnce()).isZero();

    bed.clock.advance(Duration.ofMinutes(6));
    assertThat(runOnce()).isEqualTo(1);
    assertThat(google.watches).hasSize(1);
    Watched opened = google.watches.get(0);
    assertThat(bed.store.notifyChannel(opened.channelId(), opened.token()))
        .isEqualTo(CalendarStore.ChannelCheck.VERIFIED);
    assertThat(google.stops).isEmpty();
  }

  @Test
  void aFailedStopKeepsTheOldChannelToStopLater() {
    runOnce();
    Watched first = google.watches.get(0);
    bed.clock.advance(TTL.minus(MARGIN).plusMinutes(1));
    google.failStop.add(new CalendarProviderException.Retryable("stop channel: 500", null, null));
    assertThat(runOnce()).isEqualTo(1);
    assertThat(google.watches).hasSize(2);
    assertThat(google.stops).isEmpty();

    bed.clock.advance(Duration.ofMinutes(6));
    assertThat(runOnce()).isEqualTo(1);
    assertThat(google.watches).hasSize(2); // the new channel is still good
    assertThat(google.stops).containsExactly(first.channelId() + "/res-" + first.channelId());
  }

  @Test
  void aRefusedAuthorisationParksTheLink() {
    google.failWatch.add(new CalendarProviderException.NotAuthorized("invalid_grant", null));
    assertThat(runOnce()).isEqualTo(1);
    CalendarLink link = bed.store.linkById(bed.google.id()).orElseThrow();
    assertThat(link.status()).isEqualTo(CalendarLink.Status.NEEDS_REAUTHORIZATION);
    assertThat(bed.events.stopped).hasSize(1);
    bed.clock.advance(Duration.ofDays(2));
    assertThat(runOnce()).isZero();
  }

  @Test
  void aLinkWithoutCredentialsIsParkedAndNotCalled() {
    bed.unauthorised.add(bed.google.id());
    assertThat(runOnce()).isEqualTo(1);
    assertThat(google.watches).isEmpty();
    assertThat(bed.store.linkById(bed.google.id()).orElseThrow().status())
        .isEqualTo(CalendarLink.Status.NEEDS_REAUTHORIZATION);
  }

  @Test
  void aChannelShorterThanTheMarginIsRenewedHalfwayNotInALoop() {
    google.granted = Duration.ofHours(2);
    assertThat(runOnce()).isEqualTo(1);
    assertThat(runOnce()).isZero();
    bed.clock.advance(Duration.ofMinutes(61));
    assertThat(runOnce()).isEqualTo(1);
    assertThat(google.watches).hasSize(2);
    assertThat(google.stops).hasSize(1);
  }

  record Watched(String calendarId, String channelId, String token, URI address) {}

  /** Channels only; events are not this test's business. */
  static final class ScriptedChannels implements CalendarProvider {
    final CalendarTestBed bed;
    final List<Watched> watches = new ArrayList<>();
    final List<String> stops = new ArrayList<>();
    final Deque<RuntimeException> failWatch = new ArrayDeque<>();
    final Deque<RuntimeException> failStop = new ArrayDeque<>();
    @Nullable Duration granted;

    ScriptedChannels(CalendarTestBed bed) {
      this.bed = bed;
    }

    @Override
    public Watch watch(
        CalendarAccount account,
        String calendarId,
        String channelId,
        String token,
        URI address,
        Duration ttl) {
      RuntimeException failure = failWatch.poll();
      if (failure != null) {
        throw failure;
      }
      watches.add(new Watched(calendarId, channelId, token, address));
      Instant now = bed.clock.instant();
      return new Watch("res-" + channelId, now.plus(granted == null ? ttl : granted));
    }

    @Override
    public void stopWatch(CalendarAccount account, String channelId, String resourceId) {
      RuntimeException failure = failStop.poll();
      if (failure != null) {
        throw failure;
      }
      stops.add(channelId + "/" + resourceId);
    }

    @Override
    public ExternalEvent upsert(CalendarAccount account, String calendarId, CalendarEvent event) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean remove(
        CalendarAccount account, String calendarId, UUID appointmentId, Removal removal) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CalendarChanges changes(
        CalendarAccount account, String calendarId, @Nullable String cursor) {
      throw new UnsupportedOperationException();
    }
  }
}
