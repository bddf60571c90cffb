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
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.connector.zoom.fake.ZoomFake;
import org.sessionbridge.core.meeting.MeetingReference;

/**
 * Meeting provisioning through the whole hub versus the bare HTTP calls (issue #4). One in-process
 * {@link ZoomFake}; for each settings profile one hub started from the fat jar as a child JVM and
 * pointed at the fake, with practices whose providers are Zoom hosts. Each round, in alternating
 * order:
 *
 * <ul>
 *   <li><b>route</b>: book {@code --meetings} TELEHEALTH appointments on Zoom through the API from
 *       {@code --booking-threads} clients and wait until the API shows every one SYNCED with its
 *       waiting room ENFORCED: meetings/s over the wall time from the first booking, and per
 *       appointment the time from its 201 to its join link (and SYNCED) first shown by GET;
 *   <li><b>bare</b>: the same Zoom calls per meeting from a bare OkHttp loop ({@link BareZoomLoop})
 *       with as many threads as the route has workers, against the same fake;
 *   <li><b>limited</b>: the same loop behind the connector's own per-account rate limiters.
 * </ul>
 *
 * The first round is warm-up and not counted. Then a paced phase books {@code --paced} appointments
 * at {@code --paced-rate}/s, below the route's ceiling, for the latency without a queue. Prints a
 * Markdown report (and writes it to {@code --out}). See docs/BENCHMARKS.md.
 */
public final class ZoomProvisioningBench {

  private static final String USAGE =
      """
      usage: java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \\
               org.sessionbridge.bench.ZoomProvisioningBench [options]
        --jar PATH              hub fat jar (config/target/sessionbridge.jar)
        --out PATH              also write the Markdown report here
        --meetings N            meetings per leg and round (100)
        --rounds N              rounds; the first is warm-up and not counted (4)
        --practices N           practices, each with its own Zoom account (1)
        --hosts N               providers (Zoom hosts) per practice (20)
        --booking-threads N     concurrent API clients booking in the route leg (4)
        --workers N             sessionbridge.meetings.workers, and the bare loop's threads (4)
        --profiles LIST         hub settings to measure: default,tuned,pro (default,tuned);
                                pro = tuned + Zoom Pro rate limits (MEDIUM 20/s, LIGHT 30/s)
        --zoom-latency MS       every Zoom API call takes at least MS ms, like Zoom over the
                                internet (0: the fake answers at once)
        --baselines LIST        bare loops beside the route: bare,limited (both)
        --paced N               appointments booked at --paced-rate after the rounds (40; 0: none)
        --paced-rate R          bookings per second in the paced phase (4)
        --hub-jvm-option OPT    an option for the hub JVM, e.g. -XX:StartFlightRecording=… (repeat)
        --setting S             one more hub setting, e.g. --setting=--a.b=c (repeatable)
        --keep                  keep the data directories and hub logs
      """;

  /** What the profiles add to the hub's command line. */
  private static final Map<String, List<String>> PROFILES =
      Map.of(
          "default",
          List.of(),
          "tuned",
          List.of(
              "--sessionbridge.outbox.poll-interval=50ms",
              "--sessionbridge.meetings.poll-interval=50ms"),
          "pro",
          List.of(
              "--sessionbridge.outbox.poll-interval=50ms",
              "--sessionbridge.meetings.poll-interval=50ms",
              "--sessionbridge.zoom.resilience.medium-per-period=20",
              "--sessionbridge.zoom.resilience.light-per-period=30"));

  private static final Duration LEG_TIMEOUT = Duration.ofMinutes(5);
  private static final ZoneId ZONE = ZoneId.of("America/New_York");
  private static final LocalDateTime FIRST = LocalDateTime.of(2030, 1, 7, 8, 0);

  private record Options(
      Path jar,
      @Nullable Path out,
      int meetings,
      int rounds,
      int practices,
      int hosts,
      int bookingThreads,
      int workers,
      List<String> profiles,
      List<String> baselines,
      int paced,
      double pacedRate,
      List<String> jvmOptions,
      List<String> settings,
      boolean keep,
      int zoomLatencyMillis) {}

  /** One practice on the hub: its API key, providers (one per host) and a client. */
  private record Practice(String apiKey, List<String> providers, String client) {}

  /** Calls the fake answered during one leg, per meeting made. */
  private record Calls(
      double creates,
      double gets,
      double lists,
      double updates,
      double deletes,
      double tokens,
      double requests) {
    static Calls between(ZoomFake.Counts before, ZoomFake.Counts after, int meetings) {
      double m = meetings;
      return new Calls(
          (after.creates() - before.creates()) / m,
          (after.gets() - before.gets()) / m,
          (after.lists() - before.lists()) / m,
          (after.updates() - before.updates()) / m,
          (after.deletes() - before.deletes()) / m,
          after.tokenGrants() - before.tokenGrants(),
          (after.apiRequests() - before.apiRequests()) / m);
    }

    String row() {
      return String.format(
          Locale.ROOT,
          "%.2f | %.2f | %.2f | %.2f | %.2f | %.0f | %.2f",
          creates,
          gets,
          lists,
          updates,
          deletes,
          tokens,
          requests);
    }
  }

  /** One leg of one round. */
  private record Leg(
      String name, int round, double perSecond, Calls calls, List<MeetingWatch.Booking> bookings) {
    double joinP(double p) {
      return percentile(bookings.stream().map(MeetingWatch.Booking::joinMillis).toList(), p);
    }

    double syncedP(double p) {
      return percentile(bookings.stream().map(MeetingWatch.Booking::syncedMillis).toList(), p);
    }
  }

  private final Options options;
  private final ChildProcesses children = new ChildProcesses();
  private final HttpClient http = HubApi.newClient();
  private final String operatorKey = randomKey();
  private final HubLogs logs = new HubLogs();
  private final Path scratch;
  private final StringBuilder report = new StringBuilder();
  private final AtomicInteger slot = new AtomicInteger();
  private final List<String> notes = new ArrayList<>();
  private final ZoomFake zoom;

  private ZoomProvisioningBench(Options options, ZoomFake zoom) throws IOException {
    this.options = options;
    this.zoom = zoom;
    this.scratch = Files.createTempDirectory("sessionbridge-zoom-bench-");
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
      System.err.println("ZoomProvisioningBench: " + e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    // First HTTP server of this JVM: the fake sets sun.net.httpserver.nodelay before it exists.
    int status;
    try (ZoomFake zoom = ZoomFake.start(0)) {
      zoom.latency(Duration.ofMillis(options.zoomLatencyMillis()));
      ZoomProvisioningBench bench = new ZoomProvisioningBench(options, zoom);
      Runtime.getRuntime().addShutdownHook(new Thread(bench.children::stopAll, "bench-stop-hubs"));
      status = bench.run("ZoomProvisioningBench " + String.join(" ", args));
    }
    System.exit(status);
  }

  private int run(String commandLine) throws IOException {
    int status = 0;
    // Each profile runs on a fresh hub, whose own count of creates per host starts at 0.
    int perHost = ceilDiv(options.rounds() * options.meetings() + options.paced(), hostCount());
    if (perHost > 100) {
      throw new IllegalArgumentException(
          "the hub allows 100 creates per Zoom host and UTC day and this run would make "
              + perHost
              + " per host on one hub: add --hosts or --practices, or lower --meetings/--rounds");
    }
    List<BareZoomLoop.Account> accounts = new ArrayList<>();
    for (int p = 0; p < options.practices(); p++) {
      String account = "bench-acc-" + p;
      zoom.addAccount(account, "bench-client-" + p, "bench-secret-" + p);
      List<String> hosts = new ArrayList<>();
      for (int h = 0; h < options.hosts(); h++) {
        String email = "host-" + p + "-" + h + "@bench.example.org";
        zoom.addUser(account, email);
        hosts.add(email);
      }
      accounts.add(
          new BareZoomLoop.Account(account, "bench-client-" + p, "bench-secret-" + p, hosts));
    }
    // The hub keeps its own count of 100 per host and day (checked above); the fake's budget is
    // shared by both hubs and the bare loops, so it is raised out of the way.
    zoom.dailyCreateUpdateLimit(1_000_000);
    BareZoomLoop bare = new BareZoomLoop(zoom.baseUrl(), accounts);

    header(commandLine);
    Map<String, List<Leg>> results = new LinkedHashMap<>();
    Map<String, List<Leg>> paced = new LinkedHashMap<>();
    try {
      for (String profile : options.profiles()) {
        List<Leg> legs = new ArrayList<>();
        List<Leg> pacedLegs = new ArrayList<>();
        results.put(profile, legs);
        paced.put(profile, pacedLegs);
        measure(profile, accounts, bare, legs, pacedLegs);
      }
    } catch (Exception e) {
      status = 1;
      notes.add("run aborted: " + e);
      progress("aborted: " + e);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    } finally {
      children.stopAll();
    }
    render(results, paced);
    String markdown = report.toString();
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

  private int hostCount() {
    return options.practices() * options.hosts();
  }

  private void measure(
      String profile,
      List<BareZoomLoop.Account> accounts,
      BareZoomLoop bare,
      List<Leg> legs,
      List<Leg> pacedLegs)
      throws Exception {
    Path dir = Files.createDirectories(scratch.resolve(profile));
    byte[] seal = new byte[32];
    new SecureRandom().nextBytes(seal);
    List<String> settings = new ArrayList<>();
    // A throw-away sealing key for this hub's data directory only.
    settings.add(
        "--sessionbridge.security.encryption-keys.bench="
            + Base64.getEncoder().encodeToString(seal));
    settings.add("--sessionbridge.security.active-key-id=bench");
    settings.add("--sessionbridge.zoom.api-base-url=" + zoom.baseUrl() + "/v2");
    settings.add("--sessionbridge.zoom.oauth-base-url=" + zoom.baseUrl());
    settings.add("--sessionbridge.meetings.workers=" + options.workers());
    settings.addAll(PROFILES.get(profile));
    settings.addAll(options.settings());
    progress("profile " + profile + ": starting the hub");
    Path log = dir.resolve("hub.log");
    HubProcess hub =
        HubProcess.launch(
            children,
            http,
            options.jar(),
            dir.resolve("data"),
            log,
            operatorKey,
            options.jvmOptions(),
            settings);
    try (hub) {
      progress("profile " + profile + ": hub UP after " + hub.startup().toMillis() + " ms");
      HubApi api = new HubApi(http, hub.base());
      List<Practice> practices = new ArrayList<>();
      for (BareZoomLoop.Account a : accounts) {
        practices.add(setUp(api, a));
      }
      List<String> legOrder = new ArrayList<>();
      legOrder.add("route");
      legOrder.addAll(options.baselines());
      for (int round = 0; round < options.rounds(); round++) {
        List<String> order = new ArrayList<>(legOrder);
        java.util.Collections.rotate(order, -round);
        for (String leg : order) {
          ZoomFake.Counts before = zoom.counts();
          Leg result;
          if (leg.equals("route")) {
            MeasuredRoute r = route(api, practices, options.meetings());
            result =
                new Leg(
                    leg,
                    round,
                    options.meetings() / seconds(r.wall()),
                    Calls.between(before, zoom.counts(), options.meetings()),
                    r.bookings());
          } else {
            Duration wall = bare.run(options.meetings(), options.workers(), leg.equals("limited"));
            result =
                new Leg(
                    leg,
                    round,
                    options.meetings() / seconds(wall),
                    Calls.between(before, zoom.counts(), options.meetings()),
                    List.of());
          }
          legs.add(result);
          progress(
              String.format(
                  Locale.ROOT,
                  "profile %s round %d%s %s: %.1f meetings/s",
                  profile,
                  round,
                  round == 0 ? " (warm-up)" : "",
                  leg,
                  result.perSecond()));
        }
      }
      if (options.paced() > 0) {
        ZoomFake.Counts before = zoom.counts();
        MeasuredRoute r = pacedRoute(api, practices);
        pacedLegs.add(
            new Leg(
                "paced",
                0,
                options.paced() / seconds(r.wall()),
                Calls.between(before, zoom.counts(), options.paced()),
                r.bookings()));
        progress("profile " + profile + ": paced phase done");
      }
      HubProcess.Stop stop = hub.stop();
      if (!stop.graceful()) {
        notes.add("profile " + profile + ": the hub had to be killed");
      }
    } finally {
      logs.scan(log);
    }
  }

  private Practice setUp(HubApi api, BareZoomLoop.Account account) throws Exception {
    String key =
        HubApi.text(
            created(
                api.post(
                    "/api/v1/practices",
                    operatorKey,
                    "{\"name\":\"Bench "
                        + account.accountId()
                        + "\",\"timeZone\":\"America/New_York\"}"),
                "POST /api/v1/practices"),
            "apiKey");
    List<String> providers = new ArrayList<>();
    for (String host : account.hosts()) {
      String id =
          HubApi.text(
              created(
                  api.post(
                      "/api/v1/providers",
                      key,
                      "{\"name\":\"Provider\",\"email\":\""
                          + host
                          + "\",\"timeZone\":\"America/New_York\"}"),
                  "POST /api/v1/providers"),
              "id");
      HubApi.Answer service =
          api.post("/api/v1/providers/" + id + "/video-services", key, "{\"platform\":\"ZOOM\"}");
      if (!service.ok()) {
        throw new IllegalStateException("POST video-services answered " + service.summary());
      }
      api.grantTelehealth(key, id);
      providers.add(id);
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
    HubApi.Answer connect =
        api.put(
            "/api/v1/connections/zoom",
            key,
            "{\"accountId\":\""
                + account.accountId()
                + "\",\"clientId\":\""
                + account.clientId()
                + "\",\"clientSecret\":\""
                + account.clientSecret()
                + "\"}");
    if (connect.status() != 200) {
      throw new IllegalStateException("PUT /api/v1/connections/zoom answered " + connect.status());
    }
    return new Practice(key, providers, client);
  }

  private record MeasuredRoute(Duration wall, List<MeetingWatch.Booking> bookings) {}

  /** Books {@code count} appointments as fast as the booking threads go, then waits for SYNCED. */
  private MeasuredRoute route(HubApi api, List<Practice> practices, int count) throws Exception {
    MeetingWatch watch =
        new MeetingWatch(zoom, api, practices.stream().map(Practice::apiKey).toList());
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(options.bookingThreads());
    long begin = System.nanoTime();
    List<Future<?>> clients = new ArrayList<>();
    try {
      for (int t = 0; t < options.bookingThreads(); t++) {
        clients.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    watch.add(book(api, practices, i));
                  }
                  return null;
                }));
      }
      List<MeetingWatch.Booking> bookings = watch.await(count, LEG_TIMEOUT);
      for (Future<?> f : clients) {
        f.get();
      }
      return measured(begin, bookings);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Books at a fixed rate, one booking at a time, while the watch runs. */
  private MeasuredRoute pacedRoute(HubApi api, List<Practice> practices) throws Exception {
    MeetingWatch watch =
        new MeetingWatch(zoom, api, practices.stream().map(Practice::apiKey).toList());
    ExecutorService pool = Executors.newSingleThreadExecutor();
    long begin = System.nanoTime();
    long gap = (long) (1e9 / options.pacedRate());
    try {
      Future<?> booking =
          pool.submit(
              () -> {
                for (int i = 0; i < options.paced(); i++) {
                  long due = begin + i * gap;
                  long wait = due - System.nanoTime();
                  if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                  }
                  watch.add(book(api, practices, i));
                }
                return null;
              });
      List<MeetingWatch.Booking> bookings = watch.await(options.paced(), LEG_TIMEOUT);
      booking.get();
      return measured(begin, bookings);
    } finally {
      pool.shutdownNow();
    }
  }

  /** The wall time to the last SYNCED, after checking one distinct live meeting per booking. */
  private MeasuredRoute measured(long begin, List<MeetingWatch.Booking> bookings) {
    long end = bookings.stream().mapToLong(b -> b.syncedAt).max().orElse(begin);
    Set<String> ids = new HashSet<>();
    Map<String, Integer> live = new LinkedHashMap<>();
    for (ZoomFake.Meeting m : zoom.meetings()) {
      if (!m.deleted()) {
        live.merge(m.topic(), 1, Integer::sum);
      }
    }
    int duplicates = 0;
    for (MeetingWatch.Booking b : bookings) {
      if (!ids.add(b.meetingId)) {
        duplicates++;
      }
      Integer n = live.get("Telehealth session (" + b.reference + ")");
      if (n == null || n != 1) {
        duplicates++;
      }
    }
    if (duplicates > 0) {
      notes.add(duplicates + " appointments without exactly one live meeting of their own");
    }
    return new MeasuredRoute(Duration.ofNanos(end - begin), bookings);
  }

  private MeetingWatch.Booking book(HubApi api, List<Practice> practices, int i)
      throws IOException, InterruptedException {
    int p = i % practices.size();
    Practice practice = practices.get(p);
    String provider =
        practice.providers().get((i / practices.size()) % practice.providers().size());
    int n = slot.getAndIncrement();
    LocalDateTime start = FIRST.plusDays(n / 10).plusHours(n % 10);
    String body =
        "{\"providerId\":\""
            + provider
            + "\",\"clientIds\":[\""
            + practice.client()
            + "\"],\"start\":\""
            + offset(start)
            + "\",\"end\":\""
            + offset(start.plusMinutes(50))
            + "\",\"timeZone\":\"America/New_York\",\"modality\":\"TELEHEALTH\","
            + "\"videoPlatform\":\"ZOOM\"}";
    HubApi.Answer a = api.post("/api/v1/appointments", practice.apiKey(), body);
    long at = System.nanoTime();
    String id = HubApi.text(created(a, "POST /api/v1/appointments"), "id");
    return new MeetingWatch.Booking(id, MeetingReference.of(UUID.fromString(id)), p, at);
  }

  // ------------------------------------------------------------------ report

  private void header(String commandLine) {
    report.append("# Zoom meeting provisioning: route versus bare calls\n\n");
    report.append("`").append(commandLine).append("`\n\n");
    report
        .append("- machine: ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" CPUs, load average at start ")
        .append(loadAverage())
        .append(", Java ")
        .append(System.getProperty("java.version"))
        .append('\n');
    report.append(
        String.format(
            Locale.ROOT,
            "- %d meetings per leg, %d rounds (round 0 is warm-up), %d practice(s) × %d hosts,"
                + " %d booking threads, meetings.workers = bare threads = %d%n",
            options.meetings(),
            options.rounds(),
            options.practices(),
            options.hosts(),
            options.bookingThreads(),
            options.workers()));
    report.append(
        options.zoomLatencyMillis() == 0
            ? "- the fake answers at once (no network latency)\n"
            : "- every Zoom API call takes at least "
                + options.zoomLatencyMillis()
                + " ms at the fake (like Zoom over the internet)\n");
    for (String profile : options.profiles()) {
      report
          .append("- profile `")
          .append(profile)
          .append("`: ")
          .append(PROFILES.get(profile).isEmpty() ? "hub defaults" : PROFILES.get(profile))
          .append(options.settings().isEmpty() ? "" : " + " + options.settings())
          .append('\n');
    }
    report.append('\n');
  }

  private void render(Map<String, List<Leg>> results, Map<String, List<Leg>> paced) {
    for (Map.Entry<String, List<Leg>> e : results.entrySet()) {
      String profile = e.getKey();
      List<Leg> measured = e.getValue().stream().filter(l -> l.round() > 0).toList();
      report.append("## Profile `").append(profile).append("`\n\n");
      report.append("| round | leg order | ");
      List<String> names = new ArrayList<>();
      names.add("route");
      names.addAll(options.baselines());
      for (String n : names) {
        report.append(n).append(" m/s | ");
      }
      for (String n : options.baselines()) {
        report.append("route / ").append(n).append(" | ");
      }
      report.append("route join p50 / p99 ms |\n|---:|---|");
      report.append("---:|".repeat(names.size() + options.baselines().size() + 1)).append('\n');
      int rounds = e.getValue().stream().mapToInt(Leg::round).max().orElse(-1) + 1;
      for (int r = 0; r < rounds; r++) {
        int round = r;
        List<Leg> legs = e.getValue().stream().filter(l -> l.round() == round).toList();
        report
            .append("| ")
            .append(r == 0 ? "0 (warm-up)" : Integer.toString(r))
            .append(" | ")
            .append(String.join(", ", legs.stream().map(Leg::name).toList()))
            .append(" | ");
        Leg route = legs.stream().filter(l -> l.name().equals("route")).findFirst().orElse(null);
        for (String n : names) {
          report.append(fixed(value(legs, n), 1)).append(" | ");
        }
        for (String n : options.baselines()) {
          report.append(fixed(value(legs, "route") / value(legs, n), 3)).append(" | ");
        }
        report
            .append(
                route == null ? "—" : fixed(route.joinP(50), 0) + " / " + fixed(route.joinP(99), 0))
            .append(" |\n");
      }
      report.append('\n');
      if (measured.isEmpty()) {
        continue;
      }
      double routeMedian = median(measured, "route", Leg::perSecond);
      report.append("Medians over the measured rounds:\n\n");
      report.append(String.format(Locale.ROOT, "- route: **%.1f meetings/s**%n", routeMedian));
      for (String n : options.baselines()) {
        double b = median(measured, n, Leg::perSecond);
        List<Double> ratios = new ArrayList<>();
        for (int r = 1; r < rounds; r++) {
          int round = r;
          List<Leg> legs = e.getValue().stream().filter(l -> l.round() == round).toList();
          ratios.add(value(legs, "route") / value(legs, n));
        }
        report.append(
            String.format(
                Locale.ROOT,
                "- %s: %.1f meetings/s; route / %s: **%.3f** as a ratio of medians (median of the"
                    + " per-round ratios %.3f; goal ≥ 0.7)%n",
                n,
                b,
                n,
                routeMedian / b,
                BenchReport.median(ratios)));
      }
      report.append(
          String.format(
              Locale.ROOT,
              "- route, booking 201 → join link shown by GET: p50 %.0f ms, p99 %.0f ms (medians of"
                  + " the rounds' percentiles); → SYNCED: p50 %.0f ms, p99 %.0f ms%n%n",
              median(measured, "route", l -> l.joinP(50)),
              median(measured, "route", l -> l.joinP(99)),
              median(measured, "route", l -> l.syncedP(50)),
              median(measured, "route", l -> l.syncedP(99))));
      report.append("Zoom calls per meeting seen by the fake (measured rounds, summed):\n\n");
      report.append(
          "| leg | creates | gets | lists | updates | deletes | token grants (total) | /v2"
              + " requests |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
      for (String n : names) {
        List<Calls> calls =
            measured.stream().filter(l -> l.name().equals(n)).map(Leg::calls).toList();
        Calls sum =
            new Calls(
                avg(calls, Calls::creates),
                avg(calls, Calls::gets),
                avg(calls, Calls::lists),
                avg(calls, Calls::updates),
                avg(calls, Calls::deletes),
                calls.stream().mapToDouble(Calls::tokens).sum(),
                avg(calls, Calls::requests));
        report.append("| ").append(n).append(" | ").append(sum.row()).append(" |\n");
      }
      report.append('\n');
      for (Leg p : paced.getOrDefault(profile, List.of())) {
        report.append(
            String.format(
                Locale.ROOT,
                "Paced: %d bookings at %.1f/s (below the ceiling, no queue): booking 201 → join link"
                    + " p50 **%.0f ms**, p99 **%.0f ms**; → SYNCED p50 %.0f ms, p99 %.0f ms; Zoom"
                    + " calls per meeting: %s%n%n",
                p.bookings().size(),
                options.pacedRate(),
                p.joinP(50),
                p.joinP(99),
                p.syncedP(50),
                p.syncedP(99),
                p.calls().row()));
      }
    }
    if (logs.hubs() > 0) {
      report.append("## Hub log warnings and errors\n\n");
      if (logs.counts().isEmpty()) {
        report.append("None.\n\n");
      }
      logs.counts()
          .forEach(
              (line, n) -> report.append("- ").append(n).append("× ").append(line).append('\n'));
      report.append('\n');
    }
    if (!notes.isEmpty()) {
      report.append("## Notes\n\n");
      notes.forEach(n -> report.append("- ").append(n).append('\n'));
      report.append('\n');
    }
    report.append("Load average at the end: ").append(loadAverage()).append('\n');
  }

  private static double value(List<Leg> legs, String name) {
    return legs.stream()
        .filter(l -> l.name().equals(name))
        .mapToDouble(Leg::perSecond)
        .findFirst()
        .orElse(Double.NaN);
  }

  private static double median(List<Leg> legs, String name, ToDoubleFunction<Leg> f) {
    return BenchReport.median(
        legs.stream().filter(l -> l.name().equals(name)).map(l -> f.applyAsDouble(l)).toList());
  }

  private static double avg(List<Calls> calls, ToDoubleFunction<Calls> f) {
    return calls.stream().mapToDouble(f).average().orElse(Double.NaN);
  }

  /** Nearest-rank percentile. */
  static double percentile(List<Double> values, double p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = values.stream().sorted(Comparator.naturalOrder()).toList();
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  // ------------------------------------------------------------------ plumbing

  private static Options parse(String... args) {
    Path jar = null;
    Path out = null;
    int meetings = 100;
    int rounds = 4;
    int practices = 1;
    int hosts = 20;
    int bookingThreads = 4;
    int workers = 4;
    List<String> profiles = List.of("default", "tuned");
    List<String> baselines = List.of("bare", "limited");
    int paced = 40;
    double pacedRate = 4;
    List<String> jvm = new ArrayList<>();
    List<String> settings = new ArrayList<>();
    boolean keep = false;
    int zoomLatency = 0;
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      String value = null;
      int eq = name.indexOf('=');
      if (name.startsWith("--") && eq > 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
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
        case "--meetings" -> meetings = positive(name, value);
        case "--rounds" -> rounds = positive(name, value);
        case "--practices" -> practices = positive(name, value);
        case "--hosts" -> hosts = positive(name, value);
        case "--booking-threads" -> bookingThreads = positive(name, value);
        case "--workers" -> workers = positive(name, value);
        case "--profiles" -> profiles = list(name, value, PROFILES.keySet());
        case "--baselines" -> baselines = list(name, value, Set.of("bare", "limited"));
        case "--paced" -> paced = Integer.parseInt(value);
        case "--paced-rate" -> pacedRate = Double.parseDouble(value);
        case "--hub-jvm-option" -> jvm.add(value);
        case "--setting" -> settings.add(value);
        case "--zoom-latency" -> zoomLatency = Integer.parseInt(value);
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    if (jar == null) {
      jar =
          Stream.of(
                  Path.of("config/target/sessionbridge.jar"),
                  Path.of("../config/target/sessionbridge.jar"))
              .filter(Files::isRegularFile)
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "no hub jar at config/target/sessionbridge.jar: build it or pass --jar"));
    }
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("--jar is not a file: " + jar);
    }
    if (!(pacedRate > 0)) {
      throw new IllegalArgumentException("--paced-rate must be positive: " + pacedRate);
    }
    return new Options(
        jar,
        out,
        meetings,
        rounds,
        practices,
        hosts,
        bookingThreads,
        workers,
        profiles,
        baselines,
        paced,
        pacedRate,
        jvm,
        settings,
        keep,
        zoomLatency);
  }

  private static String offset(LocalDateTime local) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(local.atZone(ZONE));
  }

  private static int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
  }

  private static void progress(String message) {
    System.err.println("[zoom-bench] " + message);
  }
}
