package org.sessionbridge.ics;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Finished, folded VEVENT bytes keyed by the {@link IcsEvent} record itself. Records compare every
 * field, so any change that could alter the bytes (a new SEQUENCE, a reworded note, a moved start)
 * is a different key; stale entries are never served, they just age out.
 *
 * <p>Bounded by entry count, least recently used first, at the granularity of a <em>tick</em> (one
 * per rendered feed, so one atomic increment per feed rather than per event). Reads are lock-free
 * and write the entry's tick only when it moved. When a put takes the map over capacity, one thread
 * evicts the oldest quarter; the others do not wait, so the map can briefly hold a few more entries
 * than the capacity (about one per concurrent writer). The eviction sorts the ticks, O(n log n),
 * but frees a quarter of the capacity, so it is amortised to well under a microsecond per put.
 */
final class EventCache {

  private final int capacity;
  private final ConcurrentHashMap<IcsEvent, Entry> entries;
  private final AtomicLong ticks = new AtomicLong();
  private final ReentrantLock evicting = new ReentrantLock();

  EventCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("cache capacity must be at least 1: " + capacity);
    }
    this.capacity = capacity;
    this.entries = new ConcurrentHashMap<>(Math.min(capacity, 1 << 16));
  }

  /** A new tick: take one per feed and pass it to every get and put of that feed. */
  long tick() {
    return ticks.incrementAndGet();
  }

  byte @Nullable [] get(IcsEvent event, long tick) {
    Entry entry = entries.get(event);
    if (entry == null) {
      return null;
    }
    if (entry.lastUsed < tick) {
      entry.lastUsed = tick; // a racing older tick may win: fine for an eviction order
    }
    return entry.bytes;
  }

  void put(IcsEvent event, byte[] bytes, long tick) {
    entries.put(event, new Entry(bytes, tick));
    // Re-check after unlocking: puts that arrived while this thread was evicting found the lock
    // taken and left the excess to it. A put after the re-check finds the lock free and evicts
    // itself, so the excess stays at about one entry per concurrent writer.
    while (entries.size() > capacity && evicting.tryLock()) {
      try {
        evictOldest();
      } finally {
        evicting.unlock();
      }
    }
  }

  int size() {
    return entries.size();
  }

  private void evictOldest() {
    int target = capacity - capacity / 4;
    long[] used = new long[entries.size() + 64];
    int n = 0;
    for (Entry entry : entries.values()) {
      if (n == used.length) {
        break;
      }
      used[n++] = entry.lastUsed;
    }
    int excess = n - target;
    if (excess <= 0) {
      return;
    }
    Arrays.sort(used, 0, n);
    long cutoff = used[excess - 1];
    entries.values().removeIf(entry -> entry.lastUsed < cutoff);
    var it = entries.values().iterator();
    while (entries.size() > target && it.hasNext()) {
      if (it.next().lastUsed == cutoff) {
        it.remove();
      }
    }
  }

  private static final class Entry {
    final byte[] bytes;
    volatile long lastUsed;

    Entry(byte[] bytes, long tick) {
      this.bytes = bytes;
      this.lastUsed = tick;
    }
  }
}
