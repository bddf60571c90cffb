package org.sessionbridge.bench.ics;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.sessionbridge.ics.FeedHeader;
import org.sessionbridge.ics.FeedRenderer;
import org.sessionbridge.ics.IcsEvent;
import org.sessionbridge.ics.Invitation;
import org.sessionbridge.ics.InvitationRenderer;

/**
 * ICS rendering cost: a 500-event feed rendered cold (no cache: iCal4j builds and serialises every
 * VEVENT, then the octet-aware folding) and warm (every event's bytes come from the cache, as on a
 * poll of an unchanged feed), and one invitation. Scores are µs per feed; divide by 500 for µs per
 * event, and divide {@code gc.alloc.rate.norm} by 500 for bytes allocated per event.
 *
 * <p>Run from the repository root (2 shared cores: keep it modest):
 *
 * <pre>
 * mvn -q -pl bench -am install -DskipTests
 * mvn -q -pl bench dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
 * java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.openjdk.jmh.Main \
 *     IcsRenderBench -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class IcsRenderBench {

  static final int EVENTS = 500;

  /** The feed and both renderers; the warm one has already rendered the feed once. */
  @State(Scope.Benchmark)
  public static class Feed {
    FeedHeader header;
    List<IcsEvent> events;
    FeedRenderer uncached;
    FeedRenderer cached;
    InvitationRenderer invitations;
    Invitation invitation;

    @Setup
    public void setUp() {
      header = PracticeFeed.header();
      events = PracticeFeed.events(EVENTS);
      uncached = new FeedRenderer(0);
      cached = new FeedRenderer();
      cached.render(header, events);
      invitations =
          new InvitationRenderer(
              Clock.fixed(Instant.parse("2026-02-20T14:05:00Z"), ZoneOffset.UTC));
      invitation = PracticeFeed.invitation();
    }
  }

  @Benchmark
  public byte[] feedCold(Feed feed) {
    return feed.uncached.render(feed.header, feed.events);
  }

  @Benchmark
  public byte[] feedWarm(Feed feed) {
    return feed.cached.render(feed.header, feed.events);
  }

  @Benchmark
  public byte[] invitation(Feed feed) {
    return feed.invitations.render(feed.invitation);
  }
}
