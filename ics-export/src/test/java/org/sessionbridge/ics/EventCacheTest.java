package org.sessionbridge.ics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class EventCacheTest {

  @Test
  void evictsTheLeastRecentlyUsedWhenFull() {
    var cache = new EventCache(100);
    List<IcsEvent> hot = Sessions.practiceFeed(20);
    long first = cache.tick();
    for (IcsEvent event : hot) {
      cache.put(event, new byte[] {1}, first);
    }
    for (int i = 0; i < 1_000; i++) {
      long tick = cache.tick();
      for (IcsEvent event : hot) {
        assertThat(cache.get(event, tick)).isNotNull();
      }
      cache.put(Sessions.inPerson("cold-" + i), new byte[] {2}, tick);
      assertThat(cache.size()).isLessThanOrEqualTo(100);
    }
    long last = cache.tick();
    assertThat(cache.get(Sessions.inPerson("cold-0"), last)).isNull();
    assertThat(cache.get(Sessions.inPerson("cold-999"), last)).isNotNull();
  }

  @Test
  void staysBoundedAndConsistentUnderConcurrentFeeds() throws Exception {
    var renderer = new FeedRenderer(200);
    var pool = Executors.newFixedThreadPool(4);
    try {
      var tasks = new ArrayList<Callable<byte[]>>();
      for (int t = 0; t < 8; t++) {
        int size = 60 + 30 * t;
        tasks.add(() -> renderer.render(Sessions.header(), Sessions.practiceFeed(size)));
      }
      for (int round = 0; round < 2; round++) {
        List<Future<byte[]>> results = pool.invokeAll(tasks);
        for (int t = 0; t < results.size(); t++) {
          byte[] expected =
              new FeedRenderer(0).render(Sessions.header(), Sessions.practiceFeed(60 + 30 * t));
          assertThat(results.get(t).get()).isEqualTo(expected);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(renderer.cachedEvents()).isLessThanOrEqualTo(200 + 4);
  }
}
