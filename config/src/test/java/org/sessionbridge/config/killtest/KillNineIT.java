package org.sessionbridge.config.killtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Nothing lost, nothing doubled: a burst of bookings, reschedules and cancellations against a hub
 * in a child JVM that is SIGKILLed again and again (during writes, during delivery, right after a
 * restart while the backlog drains). After the last restart drains, every committed appointment
 * version reached both handlers exactly once and in order, every acknowledged write is among them,
 * and no retried booking made a second appointment.
 */
class KillNineIT {

  /** SIGKILLs per run; {@code -Dkilltest.kills=40} for a longer soak. */
  private static final int KILLS = Integer.getInteger("killtest.kills", 12);

  private static final int WRITERS = 4;
  private static final String OPERATOR_KEY = "kill-nine-operator-key-" + UUID.randomUUID();
  private static final ZoneId ZONE = ZoneId.of("America/New_York");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final JsonMapper json = JsonMapper.builder().build();

  /** Versions the API acknowledged with a 2xx: appointment id → versions. */
  private final Map<UUID, Set<Long>> acknowledged = new ConcurrentHashMap<>();

  private final AtomicBoolean up = new AtomicBoolean();
  private final AtomicBoolean writing = new AtomicBoolean(true);
  private final AtomicInteger inDoubt = new AtomicInteger();
  private int kills;
  private final AtomicInteger retriedBookings = new AtomicInteger();
  private final AtomicInteger replayedBookings = new AtomicInteger();

  private HubProcess hub;
  private String practiceKey;
  private String providerId;
  private List<String> clientIds;

  /**
   * The hub on PostgreSQL (a real server from a Maven artifact, outside the killed JVM): proves the
   * hub's own delivery logic. This one runs in CI.
   */
  @Test
  void everyCommittedChangeIsDeliveredOnceAfterRepeatedSigkillOnPostgres(@TempDir Path dataDir)
      throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
      run(
          dataDir,
          "postgres",
          List.of(
              "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
              "--spring.datasource.username=postgres",
              "--spring.datasource.password=postgres"),
          postgres.getPostgresDatabase());
    }
  }

  /**
   * The hub on its embedded H2 file database. Opt-in ({@code -Dkilltest.h2=true}): in about one run
   * in ten, H2 came back from a SIGKILL with a torn transaction, here a handler's journal row
   * without the done-mark written in the same transaction, so that handler saw the version twice.
   * The cause is in H2, not in the outbox: an MVStore chunk is not a consistent cut across maps, so
   * it can hold an inserted row without that row's undo-log entry, and recovery cannot roll the row
   * back (h2database#2080; README, "How changes flow"). Kept runnable to re-check newer H2.
   */
  @Test
  void everyCommittedChangeIsDeliveredOnceAfterRepeatedSigkillOnH2(@TempDir Path dataDir)
      throws Exception {
    Assumptions.assumeTrue(Boolean.getBoolean("killtest.h2"), "opt-in: -Dkilltest.h2=true");
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:file:" + dataDir.resolve("sessionbridge") + ";ACCESS_MODE_DATA=r");
    ds.setUser("sa");
    run(dataDir, "h2", List.of(), ds);
  }

  private void run(Path dataDir, String engine, List<String> databaseArgs, DataSource database)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--spring.profiles.active=killtest",
                "--spring.flyway.locations=classpath:db/migration,classpath:db/killtest",
                "--sessionbridge.security.operator-key=" + OPERATOR_KEY,
                "--sessionbridge.outbox.poll-interval=50ms",
                "--sessionbridge.outbox.workers=4",
                "--logging.level.root=WARN"));
    args.addAll(databaseArgs);
    hub = new HubProcess(dataDir, args);
    Random random = new Random();
    long runStarted = System.nanoTime();
    try (HubProcess child = hub) {
      hub.start();
      up.set(true);
      setUpPractice();

      List<Thread> writers = new ArrayList<>();
      for (int i = 0; i < WRITERS; i++) {
        Thread t = new Thread(this::write, "writer-" + i);
        t.start();
        writers.add(t);
      }
      List<Long> restartMillis = new ArrayList<>();
      for (int k = 0; k < KILLS; k++) {
        // Chaos timing is the point here, not waiting for a condition: kill at a random moment.
        pause(300 + random.nextInt(1700));
        up.set(false);
        hub.kill();
        kills++;
        long t0 = System.nanoTime();
        hub.start();
        restartMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        if (k % 3 == 2) {
          // Again, right after start: the backlog of the last kill is draining now.
          pause(random.nextInt(250));
          hub.kill();
          kills++;
          hub.start();
          k++;
        }
        up.set(true);
      }
      pause(1000);
      writing.set(false);
      for (Thread t : writers) {
        t.join(TimeUnit.SECONDS.toMillis(60));
      }

      long drainStarted = System.nanoTime();
      Awaitility.await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> pendingEvents() == 0);
      long drainMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - drainStarted);
      hub.stop();

      Figures figures;
      try {
        figures = verify(database);
      } catch (AssertionError e) {
        keepEvidence(dataDir);
        throw e;
      }
      String report =
          String.format(
              "kill -9 test (%s): %d SIGKILLs, %d acknowledged writes (%d appointments), %d writes in"
                  + " doubt at a kill, %d bookings retried with their Idempotency-Key (%d answered"
                  + " as replays), %d committed versions delivered to 2 handlers = %d deliveries,"
                  + " 0 duplicates, 0 lost, 0 dead; final backlog drained in %d ms; restart to"
                  + " healthy median %d ms; whole run %d s",
              engine,
              kills,
              acknowledged.values().stream().mapToInt(Set::size).sum(),
              acknowledged.size(),
              inDoubt.get(),
              retriedBookings.get(),
              replayedBookings.get(),
              figures.versions(),
              figures.deliveries(),
              drainMillis,
              median(restartMillis),
              TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - runStarted));
      System.out.println(report);
      Path target = Path.of("target");
      if (Files.isDirectory(target)) {
        Files.writeString(
            target.resolve("kill-nine-figures-" + engine + ".txt"),
            report + System.lineSeparator());
      }
    }
  }

  private record Figures(long versions, long deliveries) {}

  /**
   * On failure, copies the database and the hub's log to target/killtest-failure for a post-mortem.
   */
  private static void keepEvidence(Path dataDir) {
    Path target = Path.of("target", "killtest-failure-" + System.currentTimeMillis());
    try (var files = Files.walk(dataDir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path to = target.resolve(dataDir.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
      System.out.println("kill -9 test failed; evidence kept in " + target.toAbsolutePath());
    } catch (IOException copyFailed) {
      System.out.println("kill -9 test failed; could not keep the evidence: " + copyFailed);
    }
  }

  private Figures verify(DataSource database) {
    JdbcClient db = JdbcClient.create(database);

    // Nothing stuck: every event delivered, none given up on.
    assertThat(
            db.sql("select count(*) from outbox_event where delivery_state <> 'DELIVERED'")
                .query(Long.class)
                .single())
        .isZero();

    // Exactly one outbox event per committed appointment version, versions 1..current.
    List<Map<String, Object>> gaps =
        db.sql(
                "select a.id, a.version, count(e.id) as events from appointment a left join"
                    + " outbox_event e on e.appointment_id = a.id group by a.id, a.version"
                    + " having count(e.id) <> a.version or count(distinct e.appointment_version)"
                    + " <> a.version")
            .query()
            .listOfRows();
    assertThat(gaps).as("appointments whose versions lack exactly one outbox event").isEmpty();

    // Nothing delivered twice to the same handler for the same version.
    List<Map<String, Object>> duplicates =
        db.sql(
                "select handler, appointment_id, version, count(*) as n from killtest_delivery"
                    + " group by handler, appointment_id, version having count(*) > 1")
            .query()
            .listOfRows();
    assertThat(duplicates).as("duplicate deliveries").isEmpty();

    // Every committed version reached each handler.
    long versions = db.sql("select count(*) from outbox_event").query(Long.class).single();
    for (String handler : List.of("journal-a", "journal-b")) {
      long delivered =
          db.sql(
                  "select count(*) from outbox_event e where exists (select 1 from"
                      + " killtest_delivery d where d.handler = :h and d.appointment_id ="
                      + " e.appointment_id and d.version = e.appointment_version)")
              .param("h", handler)
              .query(Long.class)
              .single();
      assertThat(delivered).as("versions delivered to " + handler).isEqualTo(versions);
    }

    // Every acknowledged write is a committed, delivered version.
    for (Map.Entry<UUID, Set<Long>> ack : acknowledged.entrySet()) {
      List<Long> stored =
          db.sql("select appointment_version from outbox_event where appointment_id = :a")
              .param("a", ack.getKey())
              .query(Long.class)
              .list();
      assertThat(stored).as("versions of acknowledged appointment").containsAll(ack.getValue());
    }

    // Per appointment and handler, deliveries happened in version order.
    List<Map<String, Object>> disorder =
        db.sql(
                "select d1.handler, d1.appointment_id from killtest_delivery d1 join"
                    + " killtest_delivery d2 on d1.handler = d2.handler and d1.appointment_id ="
                    + " d2.appointment_id and d1.seq < d2.seq and d1.version > d2.version")
            .query()
            .listOfRows();
    assertThat(disorder).as("out-of-order deliveries").isEmpty();

    // No retried booking made a second appointment: one appointment per idempotency key.
    long appointments = db.sql("select count(*) from appointment").query(Long.class).single();
    long keys = db.sql("select count(*) from idempotency_key").query(Long.class).single();
    assertThat(appointments).isEqualTo(keys);

    long deliveries = db.sql("select count(*) from killtest_delivery").query(Long.class).single();
    assertThat(deliveries).isEqualTo(versions * 2);
    return new Figures(versions, deliveries);
  }

  // ---- the writers -------------------------------------------------------------------------

  private record Booking(String key, String body) {}

  private void write() {
    List<UUID> mine = new ArrayList<>();
    List<Booking> toRetry = new ArrayList<>();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (writing.get()) {
      awaitUp();
      if (!toRetry.isEmpty() && up.get()) {
        Booking b = toRetry.remove(0);
        retriedBookings.incrementAndGet();
        if (!book(b, mine, true)) {
          toRetry.add(b);
        }
        continue;
      }
      int dice = random.nextInt(100);
      if (mine.isEmpty() || dice < 55) {
        Booking b = new Booking(UUID.randomUUID().toString(), bookingBody(random));
        if (!book(b, mine, false)) {
          inDoubt.incrementAndGet();
          toRetry.add(b);
        }
      } else {
        UUID id = mine.get(random.nextInt(mine.size()));
        boolean cancel = dice >= 88;
        String path = "/api/v1/appointments/" + id + (cancel ? "/cancel" : "");
        HttpRequest.Builder request = request(path);
        if (cancel) {
          request.POST(HttpRequest.BodyPublishers.noBody());
        } else {
          String start = at(random.nextInt(1, 2000));
          request.method(
              "PATCH", HttpRequest.BodyPublishers.ofString("{\"start\":\"" + start + "\"}"));
        }
        JsonNode answer = send(request.build(), 200);
        if (answer == null) {
          inDoubt.incrementAndGet();
          mine.remove(id); // committed or not: the database-wide checks cover it
        } else {
          acknowledge(answer);
          if (cancel) {
            mine.remove(id);
          }
        }
      }
    }
    // Bookings that were in flight at a kill: the same key again must not double them.
    for (Booking b : toRetry) {
      for (int attempt = 0; attempt < 50; attempt++) {
        awaitUp();
        retriedBookings.incrementAndGet();
        if (book(b, mine, true)) {
          break;
        }
      }
    }
  }

  private boolean book(Booking b, List<UUID> mine, boolean retry) {
    HttpRequest request =
        request("/api/v1/appointments")
            .header("Idempotency-Key", b.key())
            .POST(HttpRequest.BodyPublishers.ofString(b.body()))
            .build();
    HttpResponse<String> response = exchange(request);
    if (response == null) {
      return false;
    }
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    JsonNode answer = json.readTree(response.body());
    if (retry && response.headers().firstValue("Idempotent-Replayed").orElse("").equals("true")) {
      replayedBookings.incrementAndGet();
    }
    acknowledge(answer);
    UUID id = UUID.fromString(answer.get("id").asString());
    if (!mine.contains(id)) {
      mine.add(id);
    }
    return true;
  }

  private void acknowledge(JsonNode answer) {
    acknowledged
        .computeIfAbsent(
            UUID.fromString(answer.get("id").asString()), k -> ConcurrentHashMap.newKeySet())
        .add(answer.get("version").asLong());
  }

  private String bookingBody(ThreadLocalRandom random) {
    int slot = random.nextInt(1, 2000);
    String modality = random.nextBoolean() ? "TELEHEALTH" : "IN_PERSON";
    List<String> clients =
        new ArrayList<>(List.of(clientIds.get(random.nextInt(clientIds.size()))));
    if (random.nextInt(10) == 0) {
      for (String c : clientIds) {
        if (!clients.contains(c)) {
          clients.add(c);
        }
      }
    }
    StringBuilder ids = new StringBuilder();
    for (String c : clients) {
      ids.append(ids.length() == 0 ? "" : ",").append('"').append(c).append('"');
    }
    return "{\"providerId\":\""
        + providerId
        + "\",\"clientIds\":["
        + ids
        + "],\"start\":\""
        + at(slot)
        + "\",\"end\":\""
        + at(slot).replace(":00:00", ":50:00")
        + "\",\"timeZone\":\"America/New_York\",\"modality\":\""
        + modality
        + "\"}";
  }

  private static String at(int hourSlot) {
    ZonedDateTime t = ZonedDateTime.of(2031, 1, 6, 0, 0, 0, 0, ZONE).plusHours(hourSlot);
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t);
  }

  // ---- HTTP --------------------------------------------------------------------------------

  private void setUpPractice() {
    JsonNode practice =
        send(
            HttpRequest.newBuilder(hub.uri("/api/v1/practices"))
                .header("Authorization", "Bearer " + OPERATOR_KEY)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"Kill Nine Counseling\",\"timeZone\":\"America/New_York\"}"))
                .build(),
            201);
    practiceKey = practice.get("apiKey").asString();
    providerId =
        send(
                request("/api/v1/providers")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"name\":\"Dr. Nine\",\"email\":\"nine@practice.example\","
                                + "\"timeZone\":\"America/New_York\"}"))
                    .build(),
                201)
            .get("id")
            .asString();
    // Half the sessions are telehealth: an owner grants the provider the telehealth role.
    String owner =
        send(
                request("/api/v1/providers")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"name\":\"Owner\",\"email\":\"owner@practice.example\","
                                + "\"timeZone\":\"UTC\",\"role\":\"OWNER\"}"))
                    .build(),
                201)
            .get("id")
            .asString();
    send(
        request("/api/v1/providers/" + providerId + "/telehealth-role")
            .header("X-Acting-Staff", owner)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        200);
    clientIds = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      clientIds.add(
          send(
                  request("/api/v1/clients")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"name\":\"Client "
                                  + i
                                  + "\",\"email\":\"c"
                                  + i
                                  + "@client.example\"}"))
                      .build(),
                  201)
              .get("id")
              .asString());
    }
  }

  private long pendingEvents() {
    JsonNode stats =
        send(
            HttpRequest.newBuilder(hub.uri("/api/v1/outbox"))
                .header("Authorization", "Bearer " + OPERATOR_KEY)
                .build(),
            200);
    assertThat(stats.get("dead").asLong()).isZero();
    return stats.get("pending").asLong();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(hub.uri(path))
        .timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + practiceKey)
        .header("Content-Type", "application/json");
  }

  /** The answer's JSON, or null when the hub died under the request (the write is in doubt). */
  private JsonNode send(HttpRequest request, int expectedStatus) {
    HttpResponse<String> response = exchange(request);
    if (response == null) {
      return null;
    }
    assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
    return json.readTree(response.body());
  }

  private HttpResponse<String> exchange(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private void awaitUp() {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!up.get() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  private static void pause(long millis) {
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(Long::compare);
    return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
  }
}
