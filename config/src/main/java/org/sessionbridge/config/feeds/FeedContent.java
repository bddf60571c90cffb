package org.sessionbridge.config.feeds;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.appointment.Appointment;
import org.sessionbridge.core.appointment.AppointmentBook;
import org.sessionbridge.core.appointment.FeedWindow;
import org.sessionbridge.core.feed.Feed;
import org.sessionbridge.core.feed.FeedOwner;
import org.sessionbridge.core.feed.FeedStore;
import org.sessionbridge.core.join.JoinPassLinks;
import org.sessionbridge.core.meeting.MeetingStore;
import org.sessionbridge.core.practice.Practice;
import org.sessionbridge.core.practice.PracticeSettings;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.core.practice.Staff;
import org.sessionbridge.ics.FeedHeader;
import org.sessionbridge.ics.FeedRenderer;
import org.sessionbridge.ics.IcsEvent;

/**
 * Renders a feed from the store and keeps the result per feed while its owner's data is unchanged
 * (see {@link FeedGenerations}) and for at most {@code cache-ttl}. Output is deterministic: the
 * same data gives the same bytes, hence a strong ETag; Last-Modified is the latest moment anything
 * in the feed changed, entered or left the window, computed from the data (not from when this node
 * rendered), so every node answers the same.
 */
final class FeedContent {

  /** A rendered feed and its validators. */
  record Rendered(
      byte[] body,
      String etag,
      Instant lastModified,
      String httpDate,
      long generation,
      long renderedAt) {}

  private final FeedStore feeds;
  private final PracticeStore practices;
  private final MeetingStore meetings;
  private final AppointmentBook book;
  private final FeedRenderer renderer;
  private final FeedGenerations generations;
  private final FeedSettings settings;
  private final Clock clock;
  private final Map<UUID, Rendered> rendered = new ConcurrentHashMap<>();
  private final Map<String, CachedFeed> bySecret = new ConcurrentHashMap<>();

  private record CachedFeed(Optional<Feed> feed, long at) {}

  private final @Nullable JoinPassLinks joinLinks;

  FeedContent(
      FeedStore feeds,
      PracticeStore practices,
      MeetingStore meetings,
      AppointmentBook book,
      FeedRenderer renderer,
      FeedGenerations generations,
      FeedSettings settings,
      Clock clock,
      @Nullable JoinPassLinks joinLinks) {
    this.joinLinks = joinLinks;
    this.feeds = feeds;
    this.practices = practices;
    this.meetings = meetings;
    this.book = book;
    this.renderer = renderer;
    this.generations = generations;
    this.settings = settings;
    this.clock = clock;
  }

  /** The feed behind a secret (revoked or not), remembered briefly so polls cost no query. */
  Optional<Feed> resolve(String secret) {
    long now = clock.millis();
    CachedFeed cached = bySecret.get(secret);
    if (cached != null && now - cached.at() < settings.cacheTtl().toMillis()) {
      return cached.feed();
    }
    Optional<Feed> feed = feeds.resolve(secret);
    // Only live feeds are remembered: an unknown and a revoked secret then cost the same lookup,
    // so answer times do not tell a guesser that a secret once existed.
    if (feed.isPresent() && !feed.get().revoked()) {
      if (bySecret.size() > 100_000) {
        bySecret.clear();
      }
      bySecret.put(secret, new CachedFeed(feed, now));
    }
    return feed;
  }

  /** Forget everything about a feed on this node (after revocation). */
  void evict(UUID feedId) {
    rendered.remove(feedId);
    bySecret.values().removeIf(c -> c.feed().map(f -> f.id().equals(feedId)).orElse(false));
  }

  Rendered render(Feed feed) {
    long generation = generations.of(feed.practiceId(), feed.ownerId());
    long now = clock.millis();
    Rendered cached = rendered.get(feed.id());
    if (cached != null
        && cached.generation() == generation
        && now - cached.renderedAt() < settings.cacheTtl().toMillis()) {
      return cached;
    }
    Rendered fresh = renderNow(feed, generation, now);
    rendered.put(feed.id(), fresh);
    return fresh;
  }

  private Rendered renderNow(Feed feed, long generation, long nowMillis) {
    Instant now = Instant.ofEpochMilli(nowMillis);
    Instant from = now.minus(Duration.ofDays(settings.pastDays()));
    Instant to = now.plus(Duration.ofDays(settings.futureDays()));
    Instant cancelledSince = now.minus(settings.cancelledGrace());
    Practice practice = practices.practice(feed.practiceId()).orElseThrow();
    PracticeSettings practiceSettings = practices.settings(feed.practiceId());
    FeedWindow window =
        book.feedSessions(
            feed.practiceId(),
            feed.ownerKind() == FeedOwner.PROVIDER,
            feed.ownerId(),
            from,
            to,
            cancelledSince);

    // Content also changes when sessions leave the window; date that change from the data too.
    Instant lastModified = feed.createdAt();
    if (practiceSettings.updatedAt() != null) {
      lastModified = max(lastModified, practiceSettings.updatedAt());
    }
    if (window.lastEndedBefore() != null) {
      lastModified = max(lastModified, window.lastEndedBefore().plus(Duration.between(from, now)));
    }
    if (window.lastCancelledBefore() != null) {
      lastModified =
          max(lastModified, window.lastCancelledBefore().plus(settings.cancelledGrace()));
    }
    CalendarEntries entries =
        new CalendarEntries(
            practices,
            meetings,
            feed.practiceId(),
            practiceSettings,
            feed.ownerKind() == FeedOwner.PROVIDER
                ? CalendarEntries.Audience.PROVIDER
                : CalendarEntries.Audience.CLIENT,
            settings.alarmBefore(),
            joinLinks,
            feed.ownerKind() == FeedOwner.CLIENT ? feed.ownerId() : null);
    List<IcsEvent> events = new ArrayList<>(window.sessions().size());
    String ownerName = ownerName(feed, entries);
    for (Appointment a : window.sessions()) {
      lastModified = max(lastModified, a.updatedAt());
      Instant arrival = a.start().minus(Duration.ofDays(settings.futureDays()));
      if (arrival.isBefore(now)) {
        lastModified = max(lastModified, arrival);
      }
      events.add(entries.entry(a));
    }
    Instant servicesChanged = entries.servicesChangedAt();
    if (servicesChanged != null) {
      lastModified = max(lastModified, servicesChanged);
    }
    lastModified = lastModified.truncatedTo(ChronoUnit.SECONDS);
    FeedHeader header =
        new FeedHeader(
            practice.name() + " – " + ownerName,
            feed.id().toString(),
            lastModified,
            practice.timeZone(),
            settings.refreshInterval());
    byte[] body = renderer.render(header, events);
    return new Rendered(
        body,
        etag(body),
        lastModified,
        FeedServingFilter.httpDate(lastModified),
        generation,
        nowMillis);
  }

  private static String ownerName(Feed feed, CalendarEntries entries) {
    if (feed.ownerKind() == FeedOwner.PROVIDER) {
      Staff s = entries.provider(feed.ownerId());
      return s == null ? "sessions" : s.name();
    }
    return "my sessions";
  }

  static String etag(byte[] body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      return "\""
          + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 27)
          + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
