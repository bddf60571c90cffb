package org.sessionbridge.config.feeds;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.sessionbridge.core.appointment.AppointmentChange;
import org.sessionbridge.core.port.AppointmentChangeHandler;

/**
 * Change counters per feed owner (provider, client) and practice: a cached feed is reused only
 * while its owner's counter is unchanged. Bumped by the outbox (every committed appointment change)
 * and by practice-setting changes. Other nodes learn of changes through the cache's short maximum
 * age instead (see {@code sessionbridge.feeds.cache-ttl}).
 */
public final class FeedGenerations implements AppointmentChangeHandler {

  private final ConcurrentHashMap<UUID, AtomicLong> counters = new ConcurrentHashMap<>();

  long of(UUID practiceId, UUID ownerId) {
    return get(practiceId) * 1_000_003L + get(ownerId);
  }

  public void bump(UUID id) {
    counters.computeIfAbsent(id, k -> new AtomicLong()).incrementAndGet();
  }

  private long get(UUID id) {
    AtomicLong counter = counters.get(id);
    return counter == null ? 0 : counter.get();
  }

  @Override
  public String name() {
    return "feed-cache";
  }

  @Override
  public void onChange(AppointmentChange change) {
    bump(change.providerId());
    change.clientIds().forEach(this::bump);
  }
}
