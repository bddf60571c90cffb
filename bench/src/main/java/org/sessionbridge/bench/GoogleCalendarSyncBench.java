package org.sessionbridge.bench;

import static org.sessionbridge.bench.BenchSupport.created;
import static org.sessionbridge.bench.BenchSupport.deleteTree;
import static org.sessionbridge.bench.BenchSupport.fixed;
import static org.sessionbridge.bench.BenchSupport.list;
import static org.sessionbridge.bench.BenchSupport.loadAverage;
import static org.sessionbridge.bench.BenchSupport.positive;
import static org.sessionbridge.bench.BenchSupport.randomKey;
import static org.sessionbridge.bench.BenchSupport.seconds;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.connector.google.fake.GoogleFake;

/**
 * Calendar sync through the whole hub versus a bare connector loop, and push notification to busy
 * block. One in-process {@link GoogleFake} (every Calendar API call takes {@code --google-latency}
 * ms, optionally Google's per-user rate limit); for each settings profile one hub from the fat jar
 * as a child JVM pointed at it through the contract properties, with one practice whose {@code
 * --providers} providers each link their primary Google calendar (refresh token from the fake's
 * token endpoint). Each round, the leg order rotating; round 0 is warm-up:
 *
 * <ul>
 *   <li><b>route</b>: {@code --events} IN_PERSON bookings from {@code --booking-threads} API
 *       clients, round-robin over the providers; events/s = events ÷ (first booking sent → the fake
 *       holds every one of them);
 *   <li><b>bare</b>: the connector's {@code GoogleCalendarProvider} inserting as many events with
 *       {@code sessionbridge.calendars.workers} threads, its rate limit lifted, into a second
 *       calendar of the same users (so the hub is not notified of them);
 *   <li><b>limited</b>: the same loop with the connector's default limits (8 requests/s per
 *       account), as the hub runs it.
 * </ul>
 *
 * Then {@code --busy-samples} times, one at a time: a provider adds an event of their own in
 * Google; the fake notifies the hub on its channel as Google does ({@code X-Goog-Channel-ID}, the
 * channel's token, {@code X-Goog-Resource-State: exists}) and the harness polls {@code GET
 * …/calendars/{link}/busy} until the block is there. Profile {@code polling} opens no channel (a
 * public base URL Google cannot reach) so that only the polling fallback brings busy time.
 */
public final class GoogleCalendarSyncBench {

  private static final String USAGE =
      """
      usage: java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \\
               org.sessionbridge.bench.GoogleCalendarSyncBench [options]
        --jar PATH              hub fat jar (config/target/sessionbridge.jar)
        --out PATH              also write the Markdown report here
        --events N              events per leg and round (100)
        --rounds N              rounds; the first is warm-up and not counted (4)
        --providers N           providers, each with a linked Google calendar (10)
        --booking-threads N     concurrent API clients booking in the route leg (4)
        --workers N             sessionbridge.calendars.workers, and the bare loop's threads (4)
        --profiles LIST         default,tuned,polling (default,tuned,polling)
                                tuned = 50 ms polls; polling = tuned without push channels,
                                pull-interval --poll-interval
        --baselines LIST        bare,limited (both)
        --google-latency MS     every Calendar API call takes at least MS ms at the fake (150)
        --google-rate-limit N   the fake refuses a user's calls beyond N per second (0: off)
        --busy-samples N        push → busy samples per profile (20; polling: half)
        --poll-interval D       the polling profile's sessionbridge.calendars.pull-interval (5s)
        --setting S             one more hub setting, e.g. --setting=--a.b=c (repeatable)
        --keep                  keep the data directories and hub logs
      """;

  private static final String CLIENT_ID = "bench-hub.apps.googleusercontent.com";
  private static final String CLIENT_SECRET = "bench-hub-secret";
  private static final String PROPERTY = "sessionbridgeAppointment";
  private static final Duration LEG_TIMEOUT = Duration.ofMinutes(5);
  private static final ZoneId ZONE = ZoneId.of("America/New_York");
  private static final LocalDateTime FIRST = LocalDateTime.of(2030, 1, 7, 8, 0);

  private record Options(
      Path jar,
      @Nullable Path out,
      int events,
      int rounds,
      int providers,
      int bookingThreads,
      int workers,
      List<String> profiles,
      List<String> baselines,
      int latencyMillis,
      int rateLimit,
      int busySamples,
      String pollInterval,
      List<String> settings,
      boolean keep) {}

  private record Provider(String id, String email, String link) {}

  /** Calls the fake answered during one leg, per event. */
  private record Calls(
      double inserts, double updates, double lists, double watches, double requests, int limited) {
    static Calls between(GoogleFake.Counts before, GoogleFake.Counts after, int events) {
      double n = events;
      return new Calls(
          (after.inserts() - before.inserts()) / n,
          (after.updates() - before.updates()) / n,
          (after.lists() - before.lists()) / n,
          (after.watches() - before.watches()) / n,
          (after.apiRequests() - before.apiRequests()) / n,
          after.rateLimited() - before.rateLimited());
    }
  }

  private record Leg(
      String name, int round, double perSecond, double bookingSeconds, Calls calls) {}

  private record Profile(
      String name, List<Leg> legs, List<Double> busyMillis, List<String> notes) {}

  private final Options options;
  private final GoogleFake google;
  private final ChildProcesses children = new ChildProcesses();
  private final HttpClient http = HubApi.newClient();
  private final String operatorKey = randomKey();
  private final HubLogs logs = new HubLogs();
  private final Path scratch;
  private final AtomicInteger slot = new AtomicInteger();
  private final List<String> users = new ArrayList<>();
  private final Map<String, String> bareCalendars = new HashMap<>();

  private GoogleCalendarSyncBench(Options options, GoogleFake google) throws IOException {
    this.options = options;
    this.google = google;
    this.scratch = Files.createTempDirectory("sessionbridge-google-bench-");
  }

  public static void main(String[] args) throws Exception {
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.print(USAGE);
      return;
    }
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("GoogleCalendarSyncBench: " + e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    int status;
    // First HTTP server of this JVM: the fake sets sun.net.httpserver.nodelay before it exists.
    try (GoogleFake google = GoogleFake.start(0)) {
      google.addClient(CLIENT_ID, CLIENT_SECRET);
      GoogleCalendarSyncBench bench = new GoogleCalendarSyncBench(options, google);
      Runtime.getRuntime().addShutdownHook(new Thread(bench.children::stopAll, "bench-stop-hubs"));
      status = bench.run("GoogleCalendarSyncBench " + String.join(" ", args));
    }
    System.exit(status);
  }

  private int run(String commandLine) throws IOException {
    for (int p = 0; p < options.providers(); p++) {
      String email = "dr-" + p + "@bench.example.org";
      google.addUser(email, ZONE);
      users.add(email);
      bareCalendars.put(email, google.addCalendar(email, "bench bare loop", ZONE));
    }
    String loadAtStart = loadAverage();
    List<BareGoogleLoop.Target> targets = new ArrayList<>();
    for (String email : users) {
      targets.add(
          new BareGoogleLoop.Target(
              "bare:" + email, bareCalendars.get(email), google.issueAccessToken(email)));
    }
    BareGoogleLoop bare = new BareGoogleLoop(google.baseUrl() + "/", targets);
    // The limits apply from here on; setting up (tokens, channels) is not measured.
    google.latency(Duration.ofMillis(options.latencyMillis()));
    google.perUserRateLimit(options.rateLimit(), GoogleFake.RateLimitAnswer.FORBIDDEN_403);
    List<Profile> results = new ArrayList<>();
    int status = 0;
    try {
      for (String profile : options.profiles()) {
        results.add(measure(profile, bare));
      }
    } catch (Exception e) {
      status = 1;
      results.add(new Profile("aborted", List.of(), List.of(), List.of("run aborted: " + e)));
      progress("aborted: " + e);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    } finally {
      children.stopAll();
    }
    String markdown = render(commandLine, loadAtStart, results);
    System.out.print(markdown);
    Path out = options.out();
    if (out != null) {
      Path parent = out.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(out, markdown, StandardCharsets.UTF_8);
      progress("report written to " + out);
    }
    if (!options.keep()) {
      deleteTree(scratch);
    } else {
      progress("kept data directories and hub logs in " + scratch);
    }
    return status;
  }

  private List<String> profileSettings(String profile) {
    List<String> tuned =
        List.of(
            "--sessionbridge.outbox.poll-interval=50ms",
            "--sessionbridge.calendars.poll-interval=50ms",
            "--sessionbridge.calendars.pull-check-interval=50ms");
    return switch (profile) {
      case "default" -> List.of();
      case "tuned" -> tuned;
      case "polling" -> {
        List<String> s = new ArrayList<>(tuned);
        // Google cannot post to plain http elsewhere than loopback: no channel is opened.
        s.add("--sessionbridge.public-base-url=http://hub.bench.invalid");
        s.add("--sessionbridge.calendars.pull-interval=" + options.pollInterval());
        yield s;
      }
      default -> throw new IllegalArgumentException("unknown profile " + profile);
    };
  }

  private Profile measure(String profile, BareGoogleLoop bare) throws Exception {
    Path dir = Files.createDirectories(scratch.resolve(profile));
    byte[] seal = new byte[32];
    new SecureRandom().nextBytes(seal);
    List<String> settings = new ArrayList<>();
    settings.add(
        "--sessionbridge.security.encryption-keys.bench="
            + Base64.getEncoder().encodeToString(seal));
    settings.add("--sessionbridge.security.active-key-id=bench");
    settings.add("--sessionbridge.google.calendar-root-url=" + google.baseUrl() + "/");
    settings.add("--sessionbridge.google.oauth-base-url=" + google.baseUrl());
    settings.add("--sessionbridge.google.client-id=" + CLIENT_ID);
    settings.add("--sessionbridge.google.client-secret=" + CLIENT_SECRET);
    if (!profile.equals("polling")) {
      // Push channels post to the hub's own port (Spring resolves the placeholder).
      settings.add("--sessionbridge.public-base-url=http://127.0.0.1:${server.port}");
    }
    settings.add("--sessionbridge.calendars.workers=" + options.workers());
    settings.addAll(profileSettings(profile));
    settings.addAll(options.settings());
    List<String> notes = new ArrayList<>();
    List<Leg> legs = new ArrayList<>();
    List<Double> busy = new ArrayList<>();
    progress("profile " + profile + ": starting the hub");
    Path log = dir.resolve("hub.log");
    HubProcess hub =
        HubProcess.launch(
            children, http, options.jar(), dir.resolve("data"), log, operatorKey, settings);
    try (hub) {
      progress("profile " + profile + ": hub UP after " + hub.startup().toMillis() + " ms");
      HubApi api = new HubApi(http, hub.base());
      int channelsBefore = google.liveChannels();
      Duration latency = Duration.ofMillis(options.latencyMillis());
      google.latency(Duration.ZERO);
      String key = practice(api);
      List<Provider> providers = new ArrayList<>();
      for (String email : users) {
        providers.add(provider(api, key, email));
      }
      String client =
          HubApi.text(
              created(
                  api.post(
                      "/api/v1/clients",
                      key,
                      "{\"name\":\"Client\",\"email\":\"client@bench.example.org\"}"),
                  "POST /api/v1/clients"),
              "id");
      if (!profile.equals("polling")) {
        awaitUntil(
            () -> google.liveChannels() >= channelsBefore + providers.size(),
            Duration.ofMinutes(1),
            "a push channel per link");
      }
      google.latency(latency);
      List<String> order = new ArrayList<>();
      order.add("route");
      order.addAll(options.baselines());
      for (int round = 0; round < options.rounds(); round++) {
        List<String> rotated = new ArrayList<>(order);
        Collections.rotate(rotated, -round);
        for (String leg : rotated) {
          GoogleFake.Counts before = google.counts();
          Leg result;
          if (leg.equals("route")) {
            double[] r = route(api, key, client, providers, notes);
            result =
                new Leg(
                    leg,
                    round,
                    options.events() / r[0],
                    r[1],
                    Calls.between(before, google.counts(), options.events()));
          } else {
            Duration wall = bare.run(options.events(), options.workers(), leg.equals("limited"));
            result =
                new Leg(
                    leg,
                    round,
                    options.events() / seconds(wall),
                    0,
                    Calls.between(before, google.counts(), options.events()));
          }
          legs.add(result);
          progress(
              String.format(
                  Locale.ROOT,
                  "profile %s round %d%s %s: %.1f events/s",
                  profile,
                  round,
                  round == 0 ? " (warm-up)" : "",
                  leg,
                  result.perSecond()));
        }
      }
      int samples =
          profile.equals("polling")
              ? Math.max(1, options.busySamples() / 2)
              : options.busySamples();
      busy.addAll(busyLatency(api, key, providers, samples, notes));
      progress(
          String.format(
              Locale.ROOT, "profile %s: push → busy p50 %.0f ms", profile, percentile(busy, 50)));
      HubProcess.Stop stop = hub.stop();
      if (!stop.graceful()) {
        notes.add("the hub had to be killed");
      }
    } finally {
      logs.scan(log);
    }
    return new Profile(profile, legs, busy, notes);
  }

  // -------------------------------------------------------------------- setup

  private String practice(HubApi api) throws Exception {
    return HubApi.text(
        created(
            api.post(
                "/api/v1/practices",
                operatorKey,
                "{\"name\":\"Bench\",\"timeZone\":\"America/New_York\"}"),
            "POST /api/v1/practices"),
        "apiKey");
  }

  private Provider provider(HubApi api, String key, String email) throws Exception {
    String id =
        HubApi.text(
            created(
                api.post(
                    "/api/v1/providers",
                    key,
                    "{\"name\":\"Provider\",\"email\":\""
                        + email
                        + "\",\"timeZone\":\"America/New_York\"}"),
                "POST /api/v1/providers"),
            "id");
    String link =
        HubApi.text(
            created(
                api.post(
                    "/api/v1/providers/" + id + "/calendars",
                    key,
                    "{\"kind\":\"GOOGLE\",\"refreshToken\":\"" + refreshToken(email) + "\"}"),
                "POST /api/v1/providers/{id}/calendars"),
            "id");
    return new Provider(id, email, link);
  }

  /** What a practice system holds after its own consent flow: the user's refresh token. */
  private String refreshToken(String email) {
    return google.issueRefreshToken(CLIENT_ID, email);
  }

  // ------------------------------------------------------------------- legs

  /**
   * Books the leg's appointments from the booking threads and waits until the fake holds one event
   * for each: {seconds from the first booking to the last event, seconds spent booking}.
   */
  private double[] route(
      HubApi api, String key, String client, List<Provider> providers, List<String> notes)
      throws Exception {
    int count = options.events();
    Set<String> booked = ConcurrentHashMap.newKeySet();
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(options.bookingThreads());
    long begin = System.nanoTime();
    long booking;
    try {
      List<Future<?>> clients = new ArrayList<>();
      for (int t = 0; t < options.bookingThreads(); t++) {
        clients.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    booked.add(book(api, key, client, providers.get(i % providers.size())));
                  }
                  return null;
                }));
      }
      for (Future<?> f : clients) {
        f.get();
      }
      booking = System.nanoTime();
    } finally {
      pool.shutdownNow();
    }
    long deadline = System.nanoTime() + LEG_TIMEOUT.toNanos();
    Map<String, Integer> seen;
    while (true) {
      seen = ours(providers, booked);
      if (seen.size() == count) {
        break;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + seen.size() + " of " + count + " events reached Google in " + LEG_TIMEOUT);
      }
      Thread.sleep(10);
    }
    long end = System.nanoTime();
    long doubled = seen.values().stream().filter(n -> n != 1).count();
    if (doubled > 0) {
      notes.add(doubled + " appointments with more than one event");
    }
    return new double[] {(end - begin) / 1e9, (booking - begin) / 1e9};
  }

  /** Events of ours in the providers' primary calendars, by appointment, for these appointments. */
  private Map<String, Integer> ours(List<Provider> providers, Set<String> appointments) {
    Map<String, Integer> found = new HashMap<>();
    for (Provider p : providers) {
      for (GoogleFake.StoredEvent e : google.events(p.email())) {
        String appointment = e.privateProperties().get(PROPERTY);
        if (appointment != null && appointments.contains(appointment) && !e.cancelled()) {
          found.merge(appointment, 1, Integer::sum);
        }
      }
    }
    return found;
  }

  private String book(HubApi api, String key, String client, Provider provider)
      throws IOException, InterruptedException {
    int n = slot.getAndIncrement();
    LocalDateTime start = FIRST.plusDays(n / 10).plusHours(n % 10);
    String body =
        "{\"providerId\":\""
            + provider.id()
            + "\",\"clientIds\":[\""
            + client
            + "\"],\"start\":\""
            + offset(start)
            + "\",\"end\":\""
            + offset(start.plusMinutes(50))
            + "\",\"timeZone\":\"America/New_York\",\"modality\":\"IN_PERSON\"}";
    return HubApi.text(
        created(api.post("/api/v1/appointments", key, body), "POST /api/v1/appointments"), "id");
  }

  /**
   * One at a time: a provider adds an event of their own in Google (the fake notifies the hub's
   * channel, as Google does), and the time until the hub's busy endpoint lists it.
   */
  private List<Double> busyLatency(
      HubApi api, String key, List<Provider> providers, int samples, List<String> notes)
      throws Exception {
    List<Double> millis = new ArrayList<>();
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < samples; i++) {
      Provider p = providers.get(i % providers.size());
      Thread.sleep(100 + random.nextInt(400));
      Instant start = Instant.parse("2032-03-01T09:00:00Z").plus(Duration.ofHours(i));
      String path = "/api/v1/providers/" + p.id() + "/calendars/" + p.link() + "/busy";
      long begin = System.nanoTime();
      String id =
          google.userAddsEvent(p.email(), "Own event", start, start.plusSeconds(1800), false);
      long deadline = begin + Duration.ofMinutes(2).toNanos();
      while (true) {
        HubApi.Answer a = api.get(path, key);
        if (a.status() == 200 && a.body().contains("\"" + id + "\"")) {
          millis.add((System.nanoTime() - begin) / 1e6);
          break;
        }
        if (System.nanoTime() > deadline) {
          notes.add("busy block " + i + " not seen within 2 minutes");
          break;
        }
        Thread.sleep(5);
      }
    }
    return millis;
  }

  // ------------------------------------------------------------------ report

  private String render(String commandLine, String loadAtStart, List<Profile> profiles) {
    StringBuilder r = new StringBuilder();
    r.append("# Google calendar sync: route versus bare connector loop, push → busy\n\n");
    r.append("`").append(commandLine).append("`\n\n");
    r.append(
        String.format(
            Locale.ROOT,
            "- machine: %d CPUs, load average %s at start, %s at end; Java %s%n"
                + "- %d events per leg, %d rounds (round 0 warm-up), %d providers (one linked"
                + " calendar each), %d booking threads, calendars.workers = bare threads = %d%n"
                + "- every Calendar API call takes at least %d ms at the fake; fake per-user"
                + " limit: %s%n%n",
            Runtime.getRuntime().availableProcessors(),
            loadAtStart,
            loadAverage(),
            System.getProperty("java.version"),
            options.events(),
            options.rounds(),
            options.providers(),
            options.bookingThreads(),
            options.workers(),
            options.latencyMillis(),
            options.rateLimit() == 0 ? "off" : options.rateLimit() + " requests/s"));
    r.append(
        "| profile | route events/s | bare events/s | limited events/s | **route ÷ bare** |"
            + " route ÷ limited | push → busy p50 / p90 / max ms (n) |\n");
    r.append("|---|---:|---:|---:|---:|---:|---|\n");
    for (Profile p : profiles) {
      double route = median(p.legs(), "route");
      double bare = median(p.legs(), "bare");
      double limited = median(p.legs(), "limited");
      r.append(
          String.format(
              Locale.ROOT,
              "| `%s` | %s | %s | %s | **%s** | %s | %s / %s / %s (%d) |%n",
              p.name(),
              fixed(route, 1),
              fixed(bare, 1),
              fixed(limited, 1),
              fixed(route / bare, 3),
              fixed(route / limited, 3),
              fixed(percentile(p.busyMillis(), 50), 0),
              fixed(percentile(p.busyMillis(), 90), 0),
              fixed(percentile(p.busyMillis(), 100), 0),
              p.busyMillis().size()));
    }
    r.append("\nPer leg (round 0 is warm-up); calls at the fake per event:\n\n");
    r.append(
        "| profile | round | leg | events/s | booking s | inserts | updates | lists | watches |"
            + " all requests | refused by the fake's limit |\n");
    r.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Profile p : profiles) {
      for (Leg l : p.legs()) {
        r.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %s | %.1f | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %d |%n",
                p.name(),
                l.round(),
                l.name(),
                l.perSecond(),
                l.name().equals("route") ? fixed(l.bookingSeconds(), 2) : "—",
                l.calls().inserts(),
                l.calls().updates(),
                l.calls().lists(),
                l.calls().watches(),
                l.calls().requests(),
                l.calls().limited()));
      }
    }
    r.append("\nPush → busy samples (ms), in order:\n\n");
    for (Profile p : profiles) {
      r.append("- `").append(p.name()).append("`: ");
      r.append(String.join(", ", p.busyMillis().stream().map(v -> fixed(v, 0)).toList()));
      r.append('\n');
    }
    List<String> notes = new ArrayList<>();
    profiles.forEach(p -> p.notes().forEach(n -> notes.add(p.name() + ": " + n)));
    r.append("\nNotes: ").append(notes.isEmpty() ? "none" : String.join("; ", notes));
    r.append("\n\nHub log lines at WARN/ERROR (").append(logs.hubs()).append(" hubs):\n\n");
    if (logs.counts().isEmpty()) {
      r.append("- none\n");
    }
    logs.counts()
        .forEach((line, n) -> r.append("- ").append(n).append(" × ").append(line).append('\n'));
    return r.toString();
  }

  private static double median(List<Leg> legs, String name) {
    return percentile(
        legs.stream()
            .filter(l -> l.round() > 0 && l.name().equals(name))
            .map(Leg::perSecond)
            .toList(),
        50);
  }

  static double percentile(List<Double> values, double p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = values.stream().sorted(Comparator.naturalOrder()).toList();
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  // ------------------------------------------------------------------ plumbing

  @FunctionalInterface
  private interface Condition {
    boolean met() throws Exception;
  }

  private static void awaitUntil(Condition condition, Duration patience, String what)
      throws Exception {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!condition.met()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no " + what + " within " + patience);
      }
      Thread.sleep(50);
    }
  }

  private static Options parse(String... args) {
    Path jar = null;
    Path out = null;
    int events = 100;
    int rounds = 4;
    int providers = 10;
    int bookingThreads = 4;
    int workers = 4;
    List<String> profiles = List.of("default", "tuned", "polling");
    List<String> baselines = List.of("bare", "limited");
    int latency = 150;
    int rateLimit = 0;
    int busySamples = 20;
    String pollInterval = "5s";
    List<String> settings = new ArrayList<>();
    boolean keep = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (name.equals("--keep")) {
        keep = true;
        continue;
      }
      if (value == null) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        value = args[++i];
      }
      switch (name) {
        case "--jar" -> jar = Path.of(value);
        case "--out" -> out = Path.of(value);
        case "--events" -> events = positive(name, value);
        case "--rounds" -> rounds = positive(name, value);
        case "--providers" -> providers = positive(name, value);
        case "--booking-threads" -> bookingThreads = positive(name, value);
        case "--workers" -> workers = positive(name, value);
        case "--profiles" -> profiles = list(name, value, Set.of("default", "tuned", "polling"));
        case "--baselines" -> baselines = list(name, value, Set.of("bare", "limited"));
        case "--google-latency" -> latency = Integer.parseInt(value);
        case "--google-rate-limit" -> rateLimit = Integer.parseInt(value);
        case "--busy-samples" -> busySamples = positive(name, value);
        case "--poll-interval" -> pollInterval = value;
        case "--setting" -> settings.add(value);
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    if (jar == null) {
      jar = Path.of("config/target/sessionbridge.jar");
      if (!Files.isRegularFile(jar)) {
        jar = Path.of("../config/target/sessionbridge.jar");
      }
    }
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("no hub jar at " + jar + ": build it or pass --jar");
    }
    return new Options(
        jar,
        out,
        events,
        rounds,
        providers,
        bookingThreads,
        workers,
        profiles,
        baselines,
        latency,
        rateLimit,
        busySamples,
        pollInterval,
        List.copyOf(settings),
        keep);
  }

  private static String offset(LocalDateTime local) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(local.atZone(ZONE));
  }

  private static void progress(String message) {
    System.err.println("[google-bench] " + message);
  }
}
