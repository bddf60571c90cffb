package org.sessionbridge.ics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.sessionbridge.ics.Sessions.HOSTILE;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.sessionbridge.ics.IcsEvent.JoinLink;
import org.sessionbridge.ics.IcsEvent.Vendor;
import org.sessionbridge.ics.Invitation.Person;

/**
 * Writes sample feeds and invitations to {@code target/ics-samples/} and runs {@code
 * shared/tools/ics-validate} on them: a byte-level lint, Mozilla ical.js and python-icalendar,
 * parsers nobody on this project wrote. With {@code CI=true} the validator must be there.
 */
class IcsValidateTest {

  private static final List<Path> VALIDATOR_CANDIDATES =
      List.of(
          Path.of("../../shared/tools/ics-validate"), // from ics-export/ (Maven's working dir)
          Path.of("../shared/tools/ics-validate")); // from the repository root

  @Test
  void samplesPassTheIndependentValidators() throws Exception {
    Path validator =
        VALIDATOR_CANDIDATES.stream().filter(Files::isExecutable).findFirst().orElse(null);
    if ("true".equals(System.getenv("CI"))) {
      assertThat(validator)
          .as("CI=true but shared/tools/ics-validate is missing: " + VALIDATOR_CANDIDATES)
          .isNotNull();
    }
    Assumptions.assumeTrue(validator != null, "shared/tools/ics-validate is not checked out");

    List<Path> samples = writeSamples(Path.of("target", "ics-samples"));
    var command = new ArrayList<String>();
    command.add(validator.toAbsolutePath().normalize().toString());
    samples.forEach(p -> command.add(p.toAbsolutePath().toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    // First use installs ical.js (npm) and python3-icalendar (apt): allow for it.
    String output;
    try (var out = process.getInputStream()) {
      output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail("ics-validate did not finish:\n" + output);
    }
    System.out.println(output);
    assertThat(process.exitValue()).as("ics-validate output:%n%s", output).isZero();
    assertThat(output).contains("ok");
  }

  static List<Path> writeSamples(Path dir) throws IOException {
    Files.createDirectories(dir);
    var feeds = new FeedRenderer(0);
    var invitations =
        new InvitationRenderer(Clock.fixed(Instant.parse("2026-02-20T14:05:00Z"), ZoneOffset.UTC));
    Map<String, byte[]> samples = new LinkedHashMap<>();

    samples.put("feed-practice.ics", feeds.render(Sessions.header(), Sessions.practiceFeed(60)));

    IcsEvent hostile =
        new IcsEvent(
            "hostile-1",
            4,
            Sessions.CHANGED,
            Sessions.START,
            Sessions.START.plusSeconds(3000),
            false,
            HOSTILE,
            HOSTILE,
            new JoinLink(Sessions.TEAMS_LINK, HOSTILE, Vendor.TEAMS, HOSTILE),
            HOSTILE,
            Duration.ofMinutes(15));
    IcsEvent hostileInPerson =
        Sessions.withNotes(Sessions.withLocation(Sessions.inPerson("hostile-2"), HOSTILE), HOSTILE);
    IcsEvent group =
        Sessions.withSummary(
            Sessions.telehealth("group-1", Vendor.GOOGLE_MEET),
            "Group therapy – Tuesday circle (6 members): A.B., C.D.; E.F. & G.H.");
    var hostileHeader =
        new FeedHeader(
            "Zoë's \"sessions\"; Ünïcödé, 日本語\r\nX-EVIL:1",
            "cal-hostile",
            Sessions.CHANGED,
            ZoneId.of("Europe/Berlin"),
            Duration.ofMinutes(30));
    samples.put(
        "feed-hostile.ics",
        feeds.render(
            hostileHeader,
            List.of(
                hostile, hostileInPerson, group, Sessions.cancelled(Sessions.inPerson("c-1")))));

    samples.put("feed-dst-edges.ics", feeds.render(Sessions.header(), dstEdges()));

    Person provider = new Person("dr.rivera@harbor.example", "Dr. Ana \"Ana\" Rivera, PhD");
    IcsEvent session =
        Sessions.withAlarm(Sessions.telehealth("invite-1", Vendor.TEAMS), Duration.ofMinutes(30));
    samples.put(
        "invitation-request.ics",
        invitations.render(
            new Invitation(session, provider, List.of(new Person("jd@example.com", "J.D.")))));
    samples.put(
        "invitation-cancel.ics",
        invitations.render(
            new Invitation(
                Sessions.cancelled(session),
                provider,
                List.of(new Person("jd@example.com", "J.D.")))));
    samples.put(
        "invitation-hostile.ics",
        invitations.render(
            new Invitation(
                hostile,
                new Person("dr@harbor.example", HOSTILE),
                List.of(new Person("zoe@example.com", HOSTILE)))));

    var paths = new ArrayList<Path>();
    for (Map.Entry<String, byte[]> sample : samples.entrySet()) {
      Wire.assertWellFormed(sample.getValue());
      paths.add(Files.write(dir.resolve(sample.getKey()), sample.getValue()));
    }
    return paths;
  }

  /** Sessions across 2026 DST changes, entered in local time and rendered in UTC. */
  static List<IcsEvent> dstEdges() {
    var edges = new ArrayList<IcsEvent>();
    record Local(String uid, String zone, String time) {}
    for (Local local :
        List.of(
            // New York springs forward 2026-03-08 02:00 -> 03:00: 01:30 EST ends in EDT.
            new Local("dst-ny-spring", "America/New_York", "2026-03-08T01:30"),
            // ... and falls back 2026-11-01 02:00 -> 01:00: 01:30 happens twice.
            new Local("dst-ny-fall", "America/New_York", "2026-11-01T01:30"),
            // Berlin falls back 2026-10-25 03:00 -> 02:00.
            new Local("dst-berlin-fall", "Europe/Berlin", "2026-10-25T02:30"),
            new Local("dst-berlin-spring", "Europe/Berlin", "2026-03-29T01:45"),
            // Sydney falls back 2026-04-05 03:00 -> 02:00 and springs forward 2026-10-04.
            new Local("dst-sydney-fall", "Australia/Sydney", "2026-04-05T02:30"),
            new Local("dst-sydney-spring", "Australia/Sydney", "2026-10-04T01:30"))) {
      Instant start = LocalDateTime.parse(local.time()).atZone(ZoneId.of(local.zone())).toInstant();
      edges.add(
          Sessions.withAlarm(
              Sessions.at(
                  Sessions.telehealth(local.uid(), Vendor.OTHER), start, Duration.ofMinutes(50)),
              Duration.ofMinutes(15)));
    }
    return edges;
  }
}
