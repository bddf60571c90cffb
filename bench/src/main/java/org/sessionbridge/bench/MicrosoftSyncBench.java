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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.connector.microsoft.MicrosoftCredentials;
import org.sessionbridge.connector.microsoft.fake.GraphFake;
import org.sessionbridge.connector.microsoft.fake.GraphFakeEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Microsoft 365 through the whole hub versus bare connector loops, and change notification to busy
 * block. One in-process {@link GraphFake} whose every Graph call takes at least {@code
 * --graph-latency} ms; for each settings profile one hub from the fat jar as a child JVM pointed at
 * it through the contract properties only ({@code sessionbridge.microsoft.graph-base-url}, {@code
 * login-base-url}, the hub's delegated app, {@code public-base-url} = the hub's own loopback port
 * so that Graph subscriptions are opened). One practice connected to its tenant, {@code
 * --providers} providers on TEAMS and as many others who each link their Outlook calendar (refresh
 * token from the fake's token endpoint, PKCE). Each round runs four legs back to back, the order
 * rotating; round 0 is warm-up:
 *
 * <ul>
 *   <li><b>teams-route</b>: {@code --meetings} TELEHEALTH bookings on TEAMS from {@code
 *       --booking-threads} API clients, round-robin over the Teams providers; meetings/s = meetings
 *       ÷ (first booking sent → the last appointment seen {@code SYNCED}, {@code ENFORCED}, with
 *       the fake's join link);
 *   <li><b>teams-bare</b>: {@code TeamsMeetingPlatform.create} + {@code get} for as many meetings
 *       from {@code sessionbridge.meetings.workers} threads, for organizers of its own;
 *   <li><b>outlook-route</b>: {@code --events} IN_PERSON bookings round-robin over the Outlook
 *       providers; events/s = events ÷ (first booking sent → the fake holds every one of them);
 *   <li><b>outlook-bare</b>: {@code OutlookCalendarProvider.upsert} of as many events from {@code
 *       sessionbridge.calendars.workers} threads into mailboxes of its own (the hub is not
 *       subscribed to them).
 * </ul>
 *
 * Then {@code --busy-samples} times, one at a time: an Outlook provider adds an event of their own;
 * the fake posts Graph's change notification to the hub, and the harness polls {@code GET
 * …/calendars/{link}/busy} every 5 ms until the block is there. The polling fallback is {@code
 * 10m}, so only the notification can bring it.
 */
public final class MicrosoftSyncBench {

  private static final String USAGE =
      """
      usage: java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \\
               org.sessionbridge.bench.MicrosoftSyncBench [options]
        --jar PATH              hub fat jar (config/target/sessionbridge.jar)
        --out PATH              also write the Markdown report here
        --meetings N            Teams meetings per leg and round (60)
        --events N              Outlook events per leg and round (100)
        --rounds N              rounds; the first is warm-up and not counted (4)
        --providers N           Teams providers, and as many Outlook providers (10)
        --booking-threads N     concurrent API clients booking in the route legs (4)
        --workers N             sessionbridge.meetings.workers = sessionbridge.calendars.workers =
                                the bare loops' threads (4)
        --profiles LIST         default,tuned (default,tuned); tuned = 50 ms polls
        --legs LIST             teams,outlook (both)
        --graph-latency MS      every Graph call takes at least MS ms at the fake (150)
        --busy-samples N        notification → busy samples per profile (20)
        --setting S             one more hub setting, e.g. --setting=--a.b=c (repeatable)
        --keep                  keep the data directories and hub logs
      """;

  private static final String TENANT = "bench-tenant";
  private static final String TEAMS_APP = "bench-practice-app";
  private static final String TEAMS_SECRET = "bench-practice-secret";
  private static final String HUB_APP = "bench-hub-app";
  private static final String HUB_SECRET = "bench-hub-secret";
  private static final String PROPERTY = "sessionbridgeAppointment";
  private static final Duration LEG_TIMEOUT = Duration.ofMinutes(5);
  private static final ZoneId ZONE = ZoneId.of("America/New_York");

  private record Options(
      Path jar,
      @Nullable Path out,
      int meetings,
      int events,
      int rounds,
      int providers,
      int bookingThreads,
      int workers,
      List<String> profiles,
      List<String> legs,
      int latencyMillis,
      int busySamples,
      List<String> settings,
      boolean keep) {}

  private record Provider(String id, String user, @Nullable String link) {}

  /** Graph calls the fake answered during one leg, per meeting or event. */
  private record Calls(
      double meetingCreates,
      double meetingPatches,
      double meetingGets,
      double eventLookups,
      double eventCreates,
      double eventPatches,
      double deltaPages,
      double requests,
      int failed) {
    static Calls of(List<GraphFake.Call> journal, int from, int n) {
      int creates = 0;
      int patches = 0;
      int gets = 0;
      int lookups = 0;
      int eventCreates = 0;
      int eventPatches = 0;
      int delta = 0;
      int all = 0;
      int failed = 0;
      for (GraphFake.Call c : journal.subList(from, journal.size())) {
        if (!c.path().startsWith("/v1.0/")) {
          continue;
        }
        all++;
        if (c.status() == 0 || c.status() >= 400) {
          failed++;
        }
        String p = c.path();
        if (p.contains("/onlineMeetings")) {
          if (p.endsWith("/createOrGet")) {
            creates++;
          } else if (c.method().equals("PATCH")) {
            patches++;
          } else if (c.method().equals("GET")) {
            gets++;
          }
        } else if (p.contains("calendarView/delta")) {
          delta++;
        } else if (p.contains("/events")) {
          switch (c.method()) {
            case "GET" -> lookups++;
            case "POST" -> eventCreates++;
            case "PATCH" -> eventPatches++;
            default -> {}
          }
        }
      }
      double d = n;
      return new Calls(
          creates / d,
          patches / d,
          gets / d,
          lookups / d,
          eventCreates / d,
          eventPatches / d,
          delta / d,
          all / d,
          failed);
    }
  }

  private record Leg(String name, int round, double perSecond, Calls calls) {}

  private record Profile(
      String name, List<Leg> legs, List<Double> busyMillis, List<String> notes) {}

  private final Options options;
  private final GraphFake graph;
  private final ChildProcesses children = new ChildProcesses();
  private final java.net.http.HttpClient http = HubApi.newClient();
  private final JsonMapper json = JsonMapper.builder().build();
  private final String operatorKey = randomKey();
  private final HubLogs logs = new HubLogs();
  private final Path scratch;
  private final AtomicInteger slot = new AtomicInteger();
  private final Instant firstSlot =
      Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.DAYS);
  private int hubs;

  private MicrosoftSyncBench(Options options, GraphFake graph) throws IOException {
    this.options = options;
    this.graph = graph;
    this.scratch = Files.createTempDirectory("sessionbridge-microsoft-bench-");
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
      System.err.println("MicrosoftSyncBench: " + e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    int status;
    // First HTTP server of this JVM: the fake sets sun.net.httpserver.nodelay before it exists.
    try (GraphFake graph = GraphFake.start(0)) {
      graph.addApp(TENANT, TEAMS_APP, TEAMS_SECRET).addDelegatedApp(HUB_APP, HUB_SECRET);
      MicrosoftSyncBench bench = new MicrosoftSyncBench(options, graph);
      Runtime.getRuntime().addShutdownHook(new Thread(bench.children::stopAll, "bench-stop-hubs"));
      status = bench.run("MicrosoftSyncBench " + String.join(" ", args));
    }
    System.exit(status);
  }

  private int run(String commandLine) throws IOException {
    String loadAtStart = loadAverage();
    List<String> bareOrganizers = new ArrayList<>();
    List<BareOutlookLoop.Target> bareMailboxes = new ArrayList<>();
    for (int p = 0; p < options.providers(); p++) {
      String organizer = "bare-teams-" + p + "@bench.example.org";
      graph.addUser(TENANT, organizer);
      bareOrganizers.add(organizer);
      String mailbox = graph.addUser(TENANT, "bare-outlook-" + p + "@bench.example.org");
      bareMailboxes.add(
          new BareOutlookLoop.Target(
              "bare:" + mailbox, graph.issueDelegatedToken(HUB_APP, mailbox)));
    }
    BareTeamsLoop bareTeams =
        new BareTeamsLoop(
            graph.graphBaseUrl(),
            graph.baseUrl(),
            new MicrosoftCredentials(TENANT, TEAMS_APP, TEAMS_SECRET),
            bareOrganizers);
    BareOutlookLoop bareOutlook =
        new BareOutlookLoop(graph.graphBaseUrl(), graph.baseUrl(), bareMailboxes);
    List<Profile> results = new ArrayList<>();
    int status = 0;
    try {
      for (String profile : options.profiles()) {
        results.add(measure(profile, bareTeams, bareOutlook));
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

  private static List<String> profileSettings(String profile) {
    return switch (profile) {
      case "default" -> List.of();
      case "tuned" ->
          List.of(
              "--sessionbridge.outbox.poll-interval=50ms",
              "--sessionbridge.meetings.poll-interval=50ms",
              "--sessionbridge.calendars.poll-interval=50ms",
              "--sessionbridge.calendars.pull-check-interval=50ms");
      default -> throw new IllegalArgumentException("unknown profile " + profile);
    };
  }

  private Profile measure(String profile, BareTeamsLoop bareTeams, BareOutlookLoop bareOutlook)
      throws Exception {
    int hub = hubs++;
    Path dir = Files.createDirectories(scratch.resolve(profile));
    byte[] seal = new byte[32];
    new SecureRandom().nextBytes(seal);
    List<String> settings = new ArrayList<>();
    settings.add(
        "--sessionbridge.security.encryption-keys.bench="
            + Base64.getEncoder().encodeToString(seal));
    settings.add("--sessionbridge.security.active-key-id=bench");
    settings.add("--sessionbridge.microsoft.graph-base-url=" + graph.graphBaseUrl());
    settings.add("--sessionbridge.microsoft.login-base-url=" + graph.baseUrl());
    settings.add("--sessionbridge.microsoft.client-id=" + HUB_APP);
    settings.add("--sessionbridge.microsoft.client-secret=" + HUB_SECRET);
    // Graph posts its notifications to the hub's own port (Spring resolves the placeholder).
    settings.add("--sessionbridge.public-base-url=http://127.0.0.1:${server.port}");
    // Busy time must come from the notifications, not from polling.
    settings.add("--sessionbridge.calendars.pull-interval=10m");
    settings.add("--sessionbridge.meetings.workers=" + options.workers());
    settings.add("--sessionbridge.calendars.workers=" + options.workers());
    settings.addAll(profileSettings(profile));
    settings.addAll(options.settings());
    List<String> notes = new ArrayList<>();
    List<Leg> legs = new ArrayList<>();
    List<Double> busy = new ArrayList<>();
    progress("profile " + profile + ": starting the hub");
    Path log = dir.resolve("hub.log");
    HubProcess process =
        HubProcess.launch(
            children, http, options.jar(), dir.resolve("data"), log, operatorKey, settings);
    try (process) {
      progress("profile " + profile + ": hub UP after " + process.startup().toMillis() + " ms");
      HubApi api = new HubApi(http, process.base());
      Duration latency = Duration.ofMillis(options.latencyMillis());
      graph.latency(Duration.ZERO);
      long subscriptionsBefore = liveSubscriptions();
      String key = practice(api);
      List<Provider> teams = new ArrayList<>();
      List<Provider> outlook = new ArrayList<>();
      for (int p = 0; p < options.providers(); p++) {
        teams.add(teamsProvider(api, key, "h" + hub + "-teams-" + p + "@bench.example.org"));
        outlook.add(outlookProvider(api, key, "h" + hub + "-outlook-" + p + "@bench.example.org"));
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
      awaitUntil(
          () -> liveSubscriptions() >= subscriptionsBefore + outlook.size(),
          Duration.ofMinutes(1),
          "a Graph subscription per link");
      graph.latency(latency);
      List<String> order = new ArrayList<>();
      for (String kind : options.legs()) {
        order.add(kind + "-route");
        order.add(kind + "-bare");
      }
      for (int round = 0; round < options.rounds(); round++) {
        List<String> rotated = new ArrayList<>(order);
        Collections.rotate(rotated, -round);
        for (String leg : rotated) {
          int journalFrom = graph.journal().size();
          boolean meetings = leg.startsWith("teams");
          int count = meetings ? options.meetings() : options.events();
          double seconds =
              switch (leg) {
                case "teams-route" -> teamsRoute(api, key, client, teams, notes);
                case "teams-bare" -> seconds(bareTeams.run(count, options.workers()));
                case "outlook-route" -> outlookRoute(api, key, client, outlook, notes);
                case "outlook-bare" -> seconds(bareOutlook.run(count, options.workers()));
                default -> throw new IllegalStateException(leg);
              };
          Leg result =
              new Leg(leg, round, count / seconds, Calls.of(graph.journal(), journalFrom, count));
          legs.add(result);
          progress(
              String.format(
                  Locale.ROOT,
                  "profile %s round %d%s %s: %.2f %s/s",
                  profile,
                  round,
                  round == 0 ? " (warm-up)" : "",
                  leg,
                  result.perSecond(),
                  meetings ? "meetings" : "events"));
        }
      }
      busy.addAll(busyLatency(api, key, outlook, options.busySamples(), notes));
      progress(
          String.format(
              Locale.ROOT,
              "profile %s: notification → busy p50 %.0f ms",
              profile,
              percentile(busy, 50)));
      graph.latency(Duration.ZERO);
      HubProcess.Stop stop = process.stop();
      if (!stop.graceful()) {
        notes.add("the hub had to be killed");
      }
    } finally {
      logs.scan(log);
    }
    return new Profile(profile, legs, busy, notes);
  }

  private long liveSubscriptions() {
    return graph.subscriptions().stream().filter(s -> !s.deleted()).count();
  }

  // -------------------------------------------------------------------- setup

  private String practice(HubApi api) throws Exception {
    String key =
        HubApi.text(
            created(
                api.post(
                    "/api/v1/practices",
                    operatorKey,
                    "{\"name\":\"Bench\",\"timeZone\":\"America/New_York\"}"),
                "POST /api/v1/practices"),
            "apiKey");
    HubApi.Answer connected =
        api.put(
            "/api/v1/connections/microsoft",
            key,
            "{\"tenantId\":\""
                + TENANT
                + "\",\"clientId\":\""
                + TEAMS_APP
                + "\",\"clientSecret\":\""
                + TEAMS_SECRET
                + "\"}");
    if (connected.status() != 200) {
      throw new IllegalStateException(
          "PUT /api/v1/connections/microsoft answered " + connected.summary());
    }
    return key;
  }

  private String provider(HubApi api, String key, String email) throws Exception {
    return HubApi.text(
        created(
            api.post(
                "/api/v1/providers",
                key,
                "{\"name\":\"Provider\",\"email\":\""
                    + email
                    + "\",\"timeZone\":\"America/New_York\"}"),
            "POST /api/v1/providers"),
        "id");
  }

  private Provider teamsProvider(HubApi api, String key, String email) throws Exception {
    String user = graph.addUser(TENANT, email);
    String id = provider(api, key, email);
    created(
        api.post("/api/v1/providers/" + id + "/video-services", key, "{\"platform\":\"TEAMS\"}"),
        "POST /api/v1/providers/{id}/video-services");
    api.grantTelehealth(key, id);
    return new Provider(id, user, null);
  }

  private Provider outlookProvider(HubApi api, String key, String email) throws Exception {
    String user = graph.addUser(TENANT, email);
    String id = provider(api, key, email);
    String link =
        HubApi.text(
            created(
                api.post(
                    "/api/v1/providers/" + id + "/calendars",
                    key,
                    "{\"kind\":\"MICROSOFT\",\"refreshToken\":\"" + refreshToken(user) + "\"}"),
                "POST /api/v1/providers/{id}/calendars"),
            "id");
    return new Provider(id, user, link);
  }

  /** What a practice system holds after its own consent flow (PKCE): the user's refresh token. */
  private String refreshToken(String user) {
    return graph.issueRefreshToken(HUB_APP, user);
  }

  // ------------------------------------------------------------------- legs

  /** Books from the booking threads; answers the appointment ids. */
  private List<String> bookAll(
      HubApi api, String key, String client, List<Provider> providers, int count, boolean teams)
      throws Exception {
    List<String> booked = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(options.bookingThreads());
    try {
      List<Future<?>> clients = new ArrayList<>();
      for (int t = 0; t < options.bookingThreads(); t++) {
        clients.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    booked.add(book(api, key, client, providers.get(i % providers.size()), teams));
                  }
                  return null;
                }));
      }
      for (Future<?> f : clients) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return List.copyOf(booked);
  }

  /**
   * Teams bookings until each shows a synced meeting with the lobby enforced and the fake's join
   * link; seconds from the first booking. Checks one meeting per appointment at the fake.
   */
  private double teamsRoute(
      HubApi api, String key, String client, List<Provider> providers, List<String> notes)
      throws Exception {
    int count = options.meetings();
    Set<String> organizers = new HashSet<>();
    providers.forEach(p -> organizers.add(p.user()));
    Set<String> before = new HashSet<>();
    graph.meetings().forEach(m -> before.add(m.id()));
    long begin = System.nanoTime();
    List<String> booked = bookAll(api, key, client, providers, count, true);
    long deadline = System.nanoTime() + LEG_TIMEOUT.toNanos();
    // The API is asked about appointments only once the fake holds as many new meetings.
    while (graph.meetings().stream()
            .filter(m -> organizers.contains(m.organizerId()) && !before.contains(m.id()))
            .count()
        < count) {
      check(deadline, "meetings at the fake");
      Thread.sleep(10);
    }
    Map<String, String> joinUrls = new HashMap<>();
    List<String> pending = new ArrayList<>(booked);
    while (!pending.isEmpty()) {
      for (var it = pending.iterator(); it.hasNext(); ) {
        String appointment = it.next();
        HubApi.Answer a = api.get("/api/v1/appointments/" + appointment, key);
        JsonNode t = json.readTree(a.body()).path("telehealth");
        if ("SYNCED".equals(t.path("state").asString(""))
            && "ENFORCED".equals(t.path("waitingRoom").asString(""))
            && !t.path("joinUrl").asString("").isEmpty()) {
          String meetingId = t.path("meetingId").asString(); // {organizer}/{Graph id}
          joinUrls.put(
              meetingId.substring(meetingId.indexOf('/') + 1), t.path("joinUrl").asString());
          it.remove();
        }
      }
      check(deadline, "synced meetings (" + pending.size() + " pending)");
      if (!pending.isEmpty()) {
        Thread.sleep(10);
      }
    }
    long end = System.nanoTime();
    List<GraphFake.Meeting> made =
        graph.meetings().stream()
            .filter(m -> organizers.contains(m.organizerId()) && !before.contains(m.id()))
            .toList();
    if (made.size() != count || joinUrls.size() != count) {
      notes.add(made.size() + " meetings at the fake, " + joinUrls.size() + " named, for " + count);
    }
    for (GraphFake.Meeting m : made) {
      String joinUrl = joinUrls.get(m.id());
      if (joinUrl == null
          || !joinUrl.equals(m.joinWebUrl())
          || !m.lobbyScope().equals("organizer")
          || m.dialInBypass()) {
        notes.add("meeting " + m.id() + " not as the API shows it or its lobby open");
      }
    }
    return (end - begin) / 1e9;
  }

  /** Outlook bookings until the fake holds one event for each; seconds from the first booking. */
  private double outlookRoute(
      HubApi api, String key, String client, List<Provider> providers, List<String> notes)
      throws Exception {
    int count = options.events();
    long begin = System.nanoTime();
    Set<String> booked = new HashSet<>(bookAll(api, key, client, providers, count, false));
    long deadline = System.nanoTime() + LEG_TIMEOUT.toNanos();
    Map<String, Integer> seen;
    while (true) {
      seen = ours(providers, booked);
      if (seen.size() == count) {
        break;
      }
      check(deadline, "events at the fake (" + seen.size() + " of " + count + ")");
      Thread.sleep(10);
    }
    long end = System.nanoTime();
    long doubled = seen.values().stream().filter(n -> n != 1).count();
    if (doubled > 0) {
      notes.add(doubled + " appointments with more than one event");
    }
    return (end - begin) / 1e9;
  }

  /** Live events of ours in the providers' calendars, by appointment, for these appointments. */
  private Map<String, Integer> ours(List<Provider> providers, Set<String> appointments) {
    Map<String, Integer> found = new HashMap<>();
    for (Provider p : providers) {
      for (GraphFakeEvent e : graph.events(p.user(), null)) {
        if (e.deleted()) {
          continue;
        }
        for (Map.Entry<String, String> property : e.extendedProperties().entrySet()) {
          if (property.getKey().endsWith(PROPERTY) && appointments.contains(property.getValue())) {
            found.merge(property.getValue(), 1, Integer::sum);
          }
        }
      }
    }
    return found;
  }

  private String book(HubApi api, String key, String client, Provider provider, boolean teams)
      throws IOException, InterruptedException {
    int n = slot.getAndIncrement();
    Instant start = firstSlot.plus(Duration.ofDays(n / 10)).plus(Duration.ofHours(12 + n % 10));
    String body =
        "{\"providerId\":\""
            + provider.id()
            + "\",\"clientIds\":[\""
            + client
            + "\"],\"start\":\""
            + offset(start)
            + "\",\"end\":\""
            + offset(start.plus(Duration.ofMinutes(50)))
            + "\",\"timeZone\":\"America/New_York\",\"modality\":"
            + (teams ? "\"TELEHEALTH\",\"videoPlatform\":\"TEAMS\"}" : "\"IN_PERSON\"}");
    return HubApi.text(
        created(api.post("/api/v1/appointments", key, body), "POST /api/v1/appointments"), "id");
  }

  /**
   * One at a time: a provider adds an event of their own in Outlook (the fake notifies the hub, as
   * Graph does), and the time until the hub's busy endpoint lists it.
   */
  private List<Double> busyLatency(
      HubApi api, String key, List<Provider> providers, int samples, List<String> notes)
      throws Exception {
    List<Double> millis = new ArrayList<>();
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < samples; i++) {
      Provider p = providers.get(i % providers.size());
      Thread.sleep(100 + random.nextInt(400));
      Instant start = firstSlot.plus(Duration.ofDays(200)).plus(Duration.ofHours(i));
      String path = "/api/v1/providers/" + p.id() + "/calendars/" + p.link() + "/busy";
      long begin = System.nanoTime();
      String id =
          graph.userAddsEvent(
              p.user(), null, "Own event", start, start.plus(Duration.ofMinutes(30)), "busy");
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
    r.append("# Microsoft 365: route versus bare connector loops, notification → busy\n\n");
    r.append("`").append(commandLine).append("`\n\n");
    r.append(
        String.format(
            Locale.ROOT,
            "- machine: %d CPUs, load average %s at start, %s at end; Java %s%n"
                + "- %d meetings / %d events per leg, %d rounds (round 0 warm-up), %d Teams and %d"
                + " Outlook providers, %d booking threads, meetings.workers = calendars.workers ="
                + " bare threads = %d%n"
                + "- every Graph call takes at least %d ms at the fake%n%n",
            Runtime.getRuntime().availableProcessors(),
            loadAtStart,
            loadAverage(),
            System.getProperty("java.version"),
            options.meetings(),
            options.events(),
            options.rounds(),
            options.providers(),
            options.providers(),
            options.bookingThreads(),
            options.workers(),
            options.latencyMillis()));
    r.append(
        "| profile | Teams route m/s | Teams bare m/s | **Teams route ÷ bare** | Outlook route"
            + " ev/s | Outlook bare ev/s | **Outlook route ÷ bare** | notification → busy p50 /"
            + " p90 / max ms (n) |\n");
    r.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (Profile p : profiles) {
      double teamsRoute = median(p.legs(), "teams-route");
      double teamsBare = median(p.legs(), "teams-bare");
      double outlookRoute = median(p.legs(), "outlook-route");
      double outlookBare = median(p.legs(), "outlook-bare");
      r.append(
          String.format(
              Locale.ROOT,
              "| `%s` | %s | %s | **%s** | %s | %s | **%s** | %s / %s / %s (%d) |%n",
              p.name(),
              fixed(teamsRoute, 2),
              fixed(teamsBare, 2),
              fixed(teamsRoute / teamsBare, 3),
              fixed(outlookRoute, 2),
              fixed(outlookBare, 2),
              fixed(outlookRoute / outlookBare, 3),
              fixed(percentile(p.busyMillis(), 50), 0),
              fixed(percentile(p.busyMillis(), 90), 0),
              fixed(percentile(p.busyMillis(), 100), 0),
              p.busyMillis().size()));
    }
    r.append("\nPer leg (round 0 is warm-up); Graph calls at the fake per meeting or event:\n\n");
    r.append(
        "| profile | round | leg | per s | createOrGet | meeting PATCH | meeting GET | event GET"
            + " | event POST | event PATCH | delta pages | all Graph requests | answered ≥ 400"
            + " or dropped |\n");
    r.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Profile p : profiles) {
      for (Leg l : p.legs()) {
        Calls c = l.calls();
        r.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %d"
                    + " |%n",
                p.name(),
                l.round(),
                l.name(),
                l.perSecond(),
                c.meetingCreates(),
                c.meetingPatches(),
                c.meetingGets(),
                c.eventLookups(),
                c.eventCreates(),
                c.eventPatches(),
                c.deltaPages(),
                c.requests(),
                c.failed()));
      }
    }
    r.append("\nNotification → busy samples (ms), in order:\n\n");
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

  private static void check(long deadline, String what) {
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException("not all " + what + " within " + LEG_TIMEOUT);
    }
  }

  private static Options parse(String... args) {
    Path jar = null;
    Path out = null;
    int meetings = 60;
    int events = 100;
    int rounds = 4;
    int providers = 10;
    int bookingThreads = 4;
    int workers = 4;
    List<String> profiles = List.of("default", "tuned");
    List<String> legs = List.of("teams", "outlook");
    int latency = 150;
    int busySamples = 20;
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
        case "--meetings" -> meetings = positive(name, value);
        case "--events" -> events = positive(name, value);
        case "--rounds" -> rounds = positive(name, value);
        case "--providers" -> providers = positive(name, value);
        case "--booking-threads" -> bookingThreads = positive(name, value);
        case "--workers" -> workers = positive(name, value);
        case "--profiles" -> profiles = list(name, value, Set.of("default", "tuned"));
        case "--legs" -> legs = list(name, value, Set.of("teams", "outlook"));
        case "--graph-latency" -> latency = Integer.parseInt(value);
        case "--busy-samples" -> busySamples = positive(name, value);
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
        meetings,
        events,
        rounds,
        providers,
        bookingThreads,
        workers,
        profiles,
        legs,
        latency,
        busySamples,
        List.copyOf(settings),
        keep);
  }

  private static String offset(Instant t) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atZone(ZONE));
  }

  private static void progress(String message) {
    System.err.println("[microsoft-bench] " + message);
  }
}
