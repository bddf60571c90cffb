package org.sessionbridge.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.sessionbridge.connector.microsoft.MicrosoftCredentials;
import org.sessionbridge.connector.microsoft.MicrosoftResilience;
import org.sessionbridge.connector.microsoft.MicrosoftSettings;
import org.sessionbridge.connector.microsoft.TeamsMeetingPlatform;
import org.sessionbridge.core.meeting.MeetingReference;
import org.sessionbridge.core.meeting.MeetingSpec;
import org.sessionbridge.core.meeting.PlatformMeeting;

/**
 * The baseline for the meeting route on Teams: the connector's own {@link TeamsMeetingPlatform}
 * (the same Graph client, body, lobby PATCH and guards the hub's route calls) making meetings from
 * a fixed number of threads, per meeting {@code create} (Graph's {@code createOrGet}, then the
 * lobby PATCH when the answer is not guarded) and {@code get} (the read-back the route makes), with
 * nothing else around it: no database, no claims, no polls. Its organizers are users of their own,
 * so nothing it does reaches the hub.
 */
final class BareTeamsLoop {

  private final TeamsMeetingPlatform teams;
  private final UUID practiceId = UUID.randomUUID();
  private final List<String> organizers;
  private final AtomicInteger serial = new AtomicInteger();
  private final String prefix = HexFormat.of().toHexDigits((short) 0xbeef);

  BareTeamsLoop(
      String graphBaseUrl, String loginBaseUrl, MicrosoftCredentials app, List<String> organizers) {
    this.teams =
        new TeamsMeetingPlatform(
            MicrosoftSettings.at(graphBaseUrl, loginBaseUrl),
            MicrosoftResilience.defaults(),
            practice -> Optional.of(app));
    this.organizers = List.copyOf(organizers);
  }

  /** Makes {@code count} meetings round-robin over the organizers from {@code threads} threads. */
  Duration run(int count, int threads) throws Exception {
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long begin = System.nanoTime();
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    meeting(organizers.get(i % organizers.size()));
                  }
                  return null;
                }));
      }
      for (Future<?> f : workers) {
        f.get();
      }
      return Duration.ofNanos(System.nanoTime() - begin);
    } finally {
      pool.shutdownNow();
    }
  }

  private void meeting(String organizer) {
    int n = serial.getAndIncrement();
    // sb- and 12 hex digits, like MeetingReference.of, in a range of its own.
    String reference = "sb-" + prefix + String.format("%08x", n);
    Instant start = Instant.parse("2031-01-06T13:00:00Z").plus(Duration.ofMinutes(60L * n));
    MeetingSpec spec =
        new MeetingSpec(
            reference,
            MeetingReference.topic(reference),
            start,
            Duration.ofMinutes(50),
            ZoneId.of("America/New_York"));
    PlatformMeeting made = teams.create(practiceId, organizer, spec);
    PlatformMeeting read = teams.get(practiceId, made.meetingId());
    if (!read.guarded()) {
      throw new IllegalStateException("meeting " + n + " read back without its lobby enforced");
    }
  }
}
