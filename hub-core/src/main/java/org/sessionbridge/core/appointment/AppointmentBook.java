package org.sessionbridge.core.appointment;

import static org.sessionbridge.core.store.SqlTime.instant;
import static org.sessionbridge.core.store.SqlTime.nullableInstant;
import static org.sessionbridge.core.store.SqlTime.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.error.ConflictException;
import org.sessionbridge.core.error.FieldProblem;
import org.sessionbridge.core.error.InvalidInputException;
import org.sessionbridge.core.error.NotFoundException;
import org.sessionbridge.core.error.VersionMismatchException;
import org.sessionbridge.core.outbox.OutboxStore;
import org.sessionbridge.core.policy.TelehealthCompliance;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.core.practice.Staff;
import org.sessionbridge.core.practice.VideoPlatform;
import org.sessionbridge.core.practice.VideoService;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The appointment book: books, changes and cancels sessions. Every change writes the appointment,
 * bumps its version and appends the outbox event in one transaction.
 */
public final class AppointmentBook {

  private final JdbcClient jdbc;
  private final TransactionOperations tx;
  private final PracticeStore practices;
  private final OutboxStore outbox;
  private final BookingCheck availability;
  private final Clock clock;

  /**
   * A book whose bookings {@code availability} checks (in the booking transaction) unless they are
   * forced.
   */
  public AppointmentBook(
      JdbcClient jdbc,
      TransactionOperations tx,
      PracticeStore practices,
      OutboxStore outbox,
      BookingCheck availability,
      Clock clock) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.practices = practices;
    this.outbox = outbox;
    this.availability = availability;
    this.clock = clock;
  }

  /** A book that takes any time ({@link BookingCheck#NONE}), for tests of other concerns. */
  public AppointmentBook(
      JdbcClient jdbc,
      TransactionOperations tx,
      PracticeStore practices,
      OutboxStore outbox,
      Clock clock) {
    this(jdbc, tx, practices, outbox, BookingCheck.NONE, clock);
  }

  /**
   * Books a session. With an idempotency key, a repeated request returns the appointment the first
   * one made (even when both race), and the same key with a different request is refused. Unless
   * the request is forced, the {@link BookingCheck} decides whether the provider can take it.
   */
  public Booked book(UUID practiceId, BookingRequest request, @Nullable String idempotencyKey) {
    try {
      return bookOnce(practiceId, request, idempotencyKey);
    } catch (DuplicateKeyException raced) {
      // Another request with the same key committed between our lookup and our insert.
      return bookOnce(practiceId, request, idempotencyKey);
    }
  }

  private Booked bookOnce(UUID practiceId, BookingRequest r, @Nullable String idempotencyKey) {
    return Objects.requireNonNull(
        tx.execute(
            status -> {
              if (idempotencyKey != null) {
                Optional<Booked> earlier = earlierBooking(practiceId, idempotencyKey, r);
                if (earlier.isPresent()) {
                  return earlier.get();
                }
              }
              VideoPlatform platform = r.videoPlatform();
              if (r.modality() == Modality.TELEHEALTH && platform == null) {
                platform = defaultPlatform(practiceId, r.providerId());
              }
              checkRules(r.start(), r.end(), r.clientIds(), r.modality(), r.videoPlatform());
              checkReferences(practiceId, r.providerId(), r.clientIds());
              if (r.modality() == Modality.TELEHEALTH) {
                checkTelehealth(practiceId, r.providerId(), r.videoPlatform(), platform);
              }
              if (!r.force()) {
                availability.check(
                    practiceId, r.providerId(), r.start(), r.end(), r.modality(), platform, null);
              }
              Instant now = clock.instant();
              UUID id = UUID.randomUUID();
              Appointment a =
                  new Appointment(
                      id,
                      practiceId,
                      r.providerId(),
                      r.clientIds(),
                      r.start(),
                      r.end(),
                      r.timeZone(),
                      r.modality(),
                      platform,
                      AppointmentStatus.BOOKED,
                      r.title(),
                      id + "@sessionbridge",
                      1,
                      now,
                      now);
              insert(a);
              if (idempotencyKey != null) {
                jdbc.sql(
                        "insert into idempotency_key (practice_id, idem_key, request_hash,"
                            + " appointment_id, created_at) values (:p, :k, :h, :a, :at)")
                    .param("p", practiceId)
                    .param("k", idempotencyKey)
                    .param("h", r.fingerprint())
                    .param("a", id)
                    .param("at", utc(now))
                    .update();
              }
              outbox.append(a, ChangeType.BOOKED);
              return new Booked(a, false);
            }));
  }

  private Optional<Booked> earlierBooking(UUID practiceId, String key, BookingRequest r) {
    return jdbc.sql(
            "select request_hash, appointment_id from idempotency_key where practice_id = :p"
                + " and idem_key = :k")
        .param("p", practiceId)
        .param("k", key)
        .query(
            (rs, n) -> {
              if (!rs.getString("request_hash").equals(r.fingerprint())) {
                throw new ConflictException(
                    "Idempotency-Key",
                    "this Idempotency-Key was already used for a different booking; use a new key");
              }
              UUID appointmentId = rs.getObject("appointment_id", UUID.class);
              return new Booked(find(practiceId, appointmentId).orElseThrow(), true);
            })
        .optional();
  }

  /**
   * Applies a patch: a reschedule, a change of modality, platform, title or clients, or marking the
   * session completed. An empty patch changes nothing and keeps the version. A patch that moves the
   * session or changes its modality or platform is checked by the {@link BookingCheck} unless it is
   * forced.
   */
  public Appointment change(
      UUID practiceId, UUID id, AppointmentPatch patch, @Nullable Long expectedVersion) {
    return Objects.requireNonNull(
        tx.execute(
            status -> {
              Appointment before = lockForChange(practiceId, id, expectedVersion);
              if (patch.isEmpty()) {
                return before;
              }
              if (before.status() != AppointmentStatus.BOOKED) {
                throw new ConflictException(
                    "status",
                    "a "
                        + before.status().name().toLowerCase(java.util.Locale.ROOT)
                        + " appointment cannot be changed; book a new one");
              }
              if (patch.status() == AppointmentStatus.CANCELLED) {
                throw InvalidInputException.malformed(
                    "status", "use POST /api/v1/appointments/{id}/cancel to cancel");
              }
              Instant start = orElse(patch.start(), before.start());
              Instant end =
                  patch.end() != null
                      ? patch.end()
                      : patch.start() != null
                          ? start.plus(Duration.between(before.start(), before.end()))
                          : before.end();
              Modality modality = orElse(patch.modality(), before.modality());
              VideoPlatform platform =
                  patch.videoPlatform() != null
                      ? patch.videoPlatform()
                      : modality == Modality.IN_PERSON ? null : before.videoPlatform();
              VideoPlatform named = platform;
              if (modality == Modality.TELEHEALTH && platform == null) {
                platform = defaultPlatform(practiceId, before.providerId());
              }
              List<UUID> clients = orElse(patch.clientIds(), before.clientIds());
              checkRules(start, end, clients, modality, patch.videoPlatform());
              if (patch.clientIds() != null) {
                checkReferences(practiceId, before.providerId(), clients);
              }
              if (modality == Modality.TELEHEALTH && patch.movesOrChangesHow()) {
                // A new time, modality or platform is a new booking of the session as far as the
                // telehealth role and the compliance policy go (force does not skip them).
                checkTelehealth(practiceId, before.providerId(), named, platform);
              }
              if (!patch.force() && patch.movesOrChangesHow()) {
                availability.check(
                    practiceId, before.providerId(), start, end, modality, platform, id);
              }
              Appointment after =
                  new Appointment(
                      id,
                      practiceId,
                      before.providerId(),
                      clients,
                      start,
                      end,
                      orElse(patch.timeZone(), before.timeZone()),
                      modality,
                      platform,
                      orElse(patch.status(), before.status()),
                      patch.title() != null ? patch.title() : before.title(),
                      before.icalUid(),
                      before.version() + 1,
                      before.createdAt(),
                      clock.instant());
              update(after, before.version(), patch.clientIds() != null);
              outbox.append(after, AppointmentRules.classify(before, after));
              return after;
            }));
  }

  /** Cancels a session. Cancelling a cancelled session is a no-op that answers the same state. */
  public Appointment cancel(UUID practiceId, UUID id, @Nullable Long expectedVersion) {
    return Objects.requireNonNull(
        tx.execute(
            status -> {
              Appointment before = lockForChange(practiceId, id, expectedVersion);
              if (before.status() == AppointmentStatus.CANCELLED) {
                return before;
              }
              if (before.status() == AppointmentStatus.COMPLETED) {
                throw new ConflictException(
                    "status", "a completed appointment cannot be cancelled");
              }
              Appointment after =
                  new Appointment(
                      id,
                      practiceId,
                      before.providerId(),
                      before.clientIds(),
                      before.start(),
                      before.end(),
                      before.timeZone(),
                      before.modality(),
                      before.videoPlatform(),
                      AppointmentStatus.CANCELLED,
                      before.title(),
                      before.icalUid(),
                      before.version() + 1,
                      before.createdAt(),
                      clock.instant());
              update(after, before.version(), false);
              outbox.append(after, ChangeType.CANCELLED);
              return after;
            }));
  }

  public Optional<Appointment> find(UUID practiceId, UUID id) {
    Optional<Appointment> row =
        jdbc.sql("select * from appointment where practice_id = :p and id = :id")
            .param("p", practiceId)
            .param("id", id)
            .query((rs, n) -> row(rs, List.of()))
            .optional();
    return row.map(a -> withClients(List.of(a)).get(0));
  }

  /**
   * Appointments of the practice that overlap {@code [from, to)}, earliest first, optionally of one
   * provider and one status.
   */
  public List<Appointment> list(
      UUID practiceId,
      @Nullable UUID providerId,
      Instant from,
      Instant to,
      @Nullable AppointmentStatus status,
      int limit) {
    StringBuilder sql =
        new StringBuilder(
            "select * from appointment where practice_id = :p and start_at < :to and end_at > :from");
    Map<String, Object> params = new HashMap<>();
    params.put("p", practiceId);
    params.put("from", utc(from));
    params.put("to", utc(to));
    params.put("limit", limit);
    if (providerId != null) {
      sql.append(" and provider_id = :provider");
      params.put("provider", providerId);
    }
    if (status != null) {
      sql.append(" and status = :status");
      params.put("status", status.name());
    }
    sql.append(" order by start_at, id limit :limit");
    List<Appointment> rows =
        jdbc.sql(sql.toString()).params(params).query((rs, n) -> row(rs, List.of())).list();
    return withClients(rows);
  }

  /**
   * The sessions a provider's or a client's feed lists: those overlapping {@code [from, to)},
   * cancelled ones only if cancelled at or after {@code cancelledSince}; earliest first. A client
   * sees group sessions too, with all clients listed in the result (the caller decides what shows).
   */
  public FeedWindow feedSessions(
      UUID practiceId,
      boolean providerFeed,
      UUID ownerId,
      Instant from,
      Instant to,
      Instant cancelledSince) {
    String owner =
        providerFeed
            ? "a.provider_id = :owner"
            : "exists (select 1 from appointment_client c where c.appointment_id = a.id"
                + " and c.client_id = :owner)";
    List<Appointment> rows =
        jdbc.sql(
                "select a.* from appointment a where a.practice_id = :p and "
                    + owner
                    + " and a.start_at < :to and a.end_at > :from and (a.status <> 'CANCELLED'"
                    + " or a.updated_at >= :cancelledSince) order by a.start_at, a.id")
            .param("p", practiceId)
            .param("owner", ownerId)
            .param("from", utc(from))
            .param("to", utc(to))
            .param("cancelledSince", utc(cancelledSince))
            .query((rs, n) -> row(rs, List.of()))
            .list();
    Instant lastEnded =
        latest(
            "select max(a.end_at) from appointment a where a.practice_id = :p and "
                + owner
                + " and a.end_at <= :from",
            practiceId,
            ownerId,
            from,
            cancelledSince);
    Instant lastCancelled =
        latest(
            "select max(a.updated_at) from appointment a where a.practice_id = :p and "
                + owner
                + " and a.status = 'CANCELLED' and a.updated_at < :cancelledSince"
                + " and a.end_at > :from",
            practiceId,
            ownerId,
            from,
            cancelledSince);
    return new FeedWindow(withClients(rows), lastEnded, lastCancelled);
  }

  /** A {@code select max(…)} over one owner's appointments; null when there is none. */
  private @Nullable Instant latest(
      String sql, UUID practiceId, UUID ownerId, Instant from, Instant cancelledSince) {
    Map<String, Object> params = new HashMap<>();
    params.put("p", practiceId);
    params.put("owner", ownerId);
    params.put("from", utc(from));
    if (sql.contains(":cancelledSince")) {
      params.put("cancelledSince", utc(cancelledSince));
    }
    return jdbc.sql(sql).params(params).query((rs, n) -> nullableInstant(rs, 1)).list().stream()
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(null);
  }

  private Appointment lockForChange(UUID practiceId, UUID id, @Nullable Long expectedVersion) {
    Appointment current =
        jdbc.sql("select * from appointment where practice_id = :p and id = :id for update")
            .param("p", practiceId)
            .param("id", id)
            .query((rs, n) -> row(rs, List.of()))
            .optional()
            .orElseThrow(() -> new NotFoundException("appointment"));
    if (expectedVersion != null && expectedVersion != current.version()) {
      throw new VersionMismatchException(expectedVersion, current.version());
    }
    return withClients(List.of(current)).get(0);
  }

  private void checkRules(
      Instant start,
      Instant end,
      List<UUID> clients,
      Modality modality,
      @Nullable VideoPlatform requested) {
    List<FieldProblem> problems = AppointmentRules.check(start, end, clients, modality, requested);
    if (!problems.isEmpty()) {
      throw new InvalidInputException(InvalidInputException.Kind.RULE, problems);
    }
  }

  private void checkReferences(UUID practiceId, UUID providerId, List<UUID> clientIds) {
    List<FieldProblem> problems = new ArrayList<>();
    if (practices.staff(practiceId, providerId).isEmpty()) {
      problems.add(new FieldProblem("providerId", "no provider with this id in your practice"));
    }
    List<UUID> known =
        jdbc.sql("select id from client where practice_id = :p and id in (:ids)")
            .param("p", practiceId)
            .param("ids", clientIds)
            .query((rs, n) -> rs.getObject("id", UUID.class))
            .list();
    for (int i = 0; i < clientIds.size(); i++) {
      if (!known.contains(clientIds.get(i))) {
        problems.add(
            new FieldProblem("clientIds[" + i + "]", "no client with this id in your practice"));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(InvalidInputException.Kind.RULE, problems);
    }
  }

  /**
   * The telehealth role, the platform among the provider's services and the practice's compliance
   * policy ({@link TelehealthCompliance#bookingProblems}); a forced booking is checked too.
   */
  private void checkTelehealth(
      UUID practiceId,
      UUID providerId,
      @Nullable VideoPlatform requested,
      @Nullable VideoPlatform resolved) {
    Staff provider =
        practices
            .staff(practiceId, providerId)
            .orElseThrow(
                () ->
                    InvalidInputException.rule(
                        "providerId", "no provider with this id in your practice"));
    List<FieldProblem> problems =
        TelehealthCompliance.bookingProblems(
            practices.compliancePolicy(practiceId),
            provider,
            practices.videoServices(practiceId, providerId),
            requested,
            resolved);
    if (!problems.isEmpty()) {
      throw new InvalidInputException(InvalidInputException.Kind.RULE, problems);
    }
  }

  private @Nullable VideoPlatform defaultPlatform(UUID practiceId, UUID providerId) {
    return practices.videoServices(practiceId, providerId).stream()
        .filter(VideoService::isDefault)
        .map(VideoService::platform)
        .findFirst()
        .orElse(null);
  }

  private void insert(Appointment a) {
    jdbc.sql(
            "insert into appointment (id, practice_id, provider_id, start_at, end_at, time_zone,"
                + " modality, video_platform, status, title, ical_uid, version, created_at,"
                + " updated_at) values (:id, :p, :provider, :start, :end, :zone, :modality,"
                + " :platform, :status, :title, :uid, :version, :created, :updated)")
        .params(columns(a))
        .update();
    insertClients(a);
  }

  private void update(Appointment a, long previousVersion, boolean clientsChanged) {
    Map<String, Object> params = columns(a);
    params.put("previous", previousVersion);
    int rows =
        jdbc.sql(
                "update appointment set start_at = :start, end_at = :end, time_zone = :zone,"
                    + " modality = :modality, video_platform = :platform, status = :status,"
                    + " title = :title, version = :version, updated_at = :updated"
                    + " where id = :id and version = :previous")
            .params(params)
            .update();
    if (rows != 1) {
      // The row is locked for update above, so this only happens if that guarantee is broken.
      throw new IllegalStateException("appointment " + a.id() + " changed under its row lock");
    }
    if (clientsChanged) {
      jdbc.sql("delete from appointment_client where appointment_id = :id")
          .param("id", a.id())
          .update();
      insertClients(a);
    }
  }

  private void insertClients(Appointment a) {
    for (int i = 0; i < a.clientIds().size(); i++) {
      jdbc.sql(
              "insert into appointment_client (appointment_id, client_id, position)"
                  + " values (:a, :c, :pos)")
          .param("a", a.id())
          .param("c", a.clientIds().get(i))
          .param("pos", i)
          .update();
    }
  }

  private static Map<String, Object> columns(Appointment a) {
    Map<String, Object> params = new HashMap<>();
    params.put("id", a.id());
    params.put("p", a.practiceId());
    params.put("provider", a.providerId());
    params.put("start", utc(a.start()));
    params.put("end", utc(a.end()));
    params.put("zone", a.timeZone().getId());
    params.put("modality", a.modality().name());
    params.put("platform", a.videoPlatform() == null ? null : a.videoPlatform().name());
    params.put("status", a.status().name());
    params.put("title", a.title());
    params.put("uid", a.icalUid());
    params.put("version", a.version());
    params.put("created", utc(a.createdAt()));
    params.put("updated", utc(a.updatedAt()));
    return params;
  }

  private List<Appointment> withClients(List<Appointment> rows) {
    if (rows.isEmpty()) {
      return rows;
    }
    Map<UUID, List<UUID>> clients = new HashMap<>();
    jdbc.sql(
            "select appointment_id, client_id from appointment_client where appointment_id in (:ids)"
                + " order by appointment_id, position")
        .param("ids", rows.stream().map(Appointment::id).toList())
        .query(
            rs -> {
              clients
                  .computeIfAbsent(
                      rs.getObject("appointment_id", UUID.class), k -> new ArrayList<>())
                  .add(rs.getObject("client_id", UUID.class));
            });
    List<Appointment> result = new ArrayList<>(rows.size());
    for (Appointment a : rows) {
      result.add(
          new Appointment(
              a.id(),
              a.practiceId(),
              a.providerId(),
              clients.getOrDefault(a.id(), List.of()),
              a.start(),
              a.end(),
              a.timeZone(),
              a.modality(),
              a.videoPlatform(),
              a.status(),
              a.title(),
              a.icalUid(),
              a.version(),
              a.createdAt(),
              a.updatedAt()));
    }
    return result;
  }

  private static Appointment row(ResultSet rs, List<UUID> clientIds) throws SQLException {
    String platform = rs.getString("video_platform");
    return new Appointment(
        rs.getObject("id", UUID.class),
        rs.getObject("practice_id", UUID.class),
        rs.getObject("provider_id", UUID.class),
        clientIds,
        instant(rs, "start_at"),
        instant(rs, "end_at"),
        ZoneId.of(rs.getString("time_zone")),
        Modality.valueOf(rs.getString("modality")),
        platform == null ? null : VideoPlatform.valueOf(platform),
        AppointmentStatus.valueOf(rs.getString("status")),
        rs.getString("title"),
        rs.getString("ical_uid"),
        rs.getLong("version"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"));
  }

  private static <T> T orElse(@Nullable T value, T fallback) {
    return value != null ? value : fallback;
  }
}
