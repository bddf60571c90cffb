package org.sessionbridge.core.outbox;

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
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.sessionbridge.core.appointment.Appointment;
import org.sessionbridge.core.appointment.AppointmentChange;
import org.sessionbridge.core.appointment.AppointmentStatus;
import org.sessionbridge.core.appointment.ChangeType;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.practice.VideoPlatform;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionOperations;

/**
 * The transactional outbox. {@link #append} runs inside the caller's transaction, so an appointment
 * change and its event commit or vanish together. Delivery is per (event, handler): the handler
 * runs inside a transaction that holds the event's row lock and records the handler as done, so a
 * crash at any point either keeps both the handler's own writes and its done-mark or neither, and
 * two nodes never run the same handler on the same event at once.
 *
 * <p>That relies on the database keeping a transaction atomic across a crash. PostgreSQL does; H2's
 * MVStore does not always after a SIGKILL (a row can outlive the rest of its transaction, README
 * "How changes flow"), so on H2 a handler may see a version twice.
 *
 * <p>Ordering: {@link #nextBatch} returns, per appointment, only the oldest pending event, and only
 * once it is due. A later version therefore waits until the earlier one is delivered or
 * dead-lettered.
 */
public final class OutboxStore {

  private static final int MAX_ERROR_LENGTH = 1000;

  private final JdbcClient jdbc;
  private final TransactionOperations tx;
  private final Clock clock;

  public OutboxStore(JdbcClient jdbc, TransactionOperations tx, Clock clock) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.clock = clock;
  }

  /**
   * Writes the event for this version of the appointment. Call inside the transaction that changed
   * it.
   */
  public void append(Appointment a, ChangeType type) {
    Instant now = clock.instant();
    jdbc.sql(
            "insert into outbox_event (practice_id, appointment_id, appointment_version, change_type,"
                + " provider_id, client_ids, start_at, end_at, time_zone, modality, video_platform,"
                + " status, title, occurred_at, delivery_state, attempts, next_attempt_at)"
                + " values (:practice, :appointment, :version, :type, :provider, :clients, :start,"
                + " :end, :zone, :modality, :platform, :status, :title, :now, 'PENDING', 0, :now)")
        .param("practice", a.practiceId())
        .param("appointment", a.id())
        .param("version", a.version())
        .param("type", type.name())
        .param("provider", a.providerId())
        .param("clients", joinIds(a.clientIds()))
        .param("start", utc(a.start()))
        .param("end", utc(a.end()))
        .param("zone", a.timeZone().getId())
        .param("modality", a.modality().name())
        .param("platform", a.videoPlatform() == null ? null : a.videoPlatform().name())
        .param("status", a.status().name())
        .param("title", a.title())
        .param("now", utc(now))
        .update();
  }

  /**
   * Up to {@code limit} events that are due now, at most one per appointment (its oldest pending
   * one), oldest first. Safe to call from several nodes: delivery re-checks under a row lock.
   */
  public List<AppointmentChange> nextBatch(int limit) {
    return jdbc.sql(
            "select e.* from outbox_event e where e.delivery_state = 'PENDING'"
                + " and e.next_attempt_at <= :now and not exists (select 1 from outbox_event p"
                + " where p.appointment_id = e.appointment_id and p.delivery_state = 'PENDING'"
                + " and p.id < e.id) order by e.id limit :limit")
        .param("now", utc(clock.instant()))
        .param("limit", limit)
        .query(OutboxStore::changeRow)
        .list();
  }

  /**
   * Offers one event to one handler, exactly once per (event, handler) for handlers whose effects
   * live in this database, at least once for handlers with outside effects (those must be
   * idempotent per appointment version). Exceptions from {@code handler} roll back its writes and
   * propagate; record them with {@link #recordFailure}.
   *
   * <p>The event is re-read under its row lock: if another worker or node delivered it, gave up on
   * it or recorded a failure (so it is not due yet) since it was batched, the handler is not
   * called.
   */
  public DeliveryOutcome deliver(
      long eventId, String handlerName, Consumer<AppointmentChange> handler) {
    return tx.execute(
        status -> {
          Optional<AppointmentChange> event =
              jdbc.sql(
                      "select * from outbox_event where id = :id and delivery_state = 'PENDING'"
                          + " and next_attempt_at <= :now for update")
                  .param("id", eventId)
                  .param("now", utc(clock.instant()))
                  .query(OutboxStore::changeRow)
                  .optional();
          if (event.isEmpty()) {
            return DeliveryOutcome.NOT_PENDING;
          }
          boolean done =
              jdbc.sql(
                          "select count(*) from outbox_handler_done where event_id = :id and handler = :h")
                      .param("id", eventId)
                      .param("h", handlerName)
                      .query(Long.class)
                      .single()
                  > 0;
          if (done) {
            return DeliveryOutcome.ALREADY_DONE;
          }
          handler.accept(event.get());
          jdbc.sql(
                  "insert into outbox_handler_done (event_id, handler, done_at) values (:id, :h, :at)")
              .param("id", eventId)
              .param("h", handlerName)
              .param("at", utc(clock.instant()))
              .update();
          return DeliveryOutcome.DELIVERED;
        });
  }

  /** Marks the event delivered once every handler has taken it. */
  public void markDelivered(long eventId) {
    jdbc.sql(
            "update outbox_event set delivery_state = 'DELIVERED', finished_at = :at, last_error = null"
                + " where id = :id and delivery_state = 'PENDING'")
        .param("id", eventId)
        .param("at", utc(clock.instant()))
        .update();
  }

  /**
   * Records a failed attempt. Below {@code maxAttempts} the event is due again after {@code
   * backoff}; at {@code maxAttempts} it becomes a dead letter, and the appointment's later events
   * move on.
   *
   * @return true when the event was dead-lettered by this call
   */
  public boolean recordFailure(
      long eventId, String handlerName, Throwable error, int maxAttempts, Duration backoff) {
    String reason = describe(error);
    Boolean dead =
        tx.execute(
            status -> {
              Optional<Integer> attempts =
                  jdbc.sql(
                          "select attempts from outbox_event where id = :id"
                              + " and delivery_state = 'PENDING' for update")
                      .param("id", eventId)
                      .query(Integer.class)
                      .optional();
              if (attempts.isEmpty()) {
                return false;
              }
              int made = attempts.get() + 1;
              Instant now = clock.instant();
              boolean giveUp = made >= maxAttempts;
              jdbc.sql(
                      "update outbox_event set attempts = :made, last_error = :reason,"
                          + " failed_handler = :handler, next_attempt_at = :next,"
                          + " delivery_state = :state, finished_at = :finished where id = :id")
                  .param("made", made)
                  .param("reason", reason)
                  .param("handler", handlerName)
                  .param("next", utc(giveUp ? now : now.plus(backoff)))
                  .param("state", giveUp ? "DEAD" : "PENDING")
                  .param("finished", giveUp ? utc(now) : null)
                  .param("id", eventId)
                  .update();
              return giveUp;
            });
    return Boolean.TRUE.equals(dead);
  }

  /** Attempts made so far for a pending event (0 for a fresh one). */
  public int attempts(long eventId) {
    return jdbc.sql("select attempts from outbox_event where id = :id")
        .param("id", eventId)
        .query(Integer.class)
        .optional()
        .orElse(0);
  }

  public List<DeadLetter> deadLetters(int limit, int offset) {
    return jdbc.sql(
            "select * from outbox_event where delivery_state = 'DEAD' order by id limit :limit"
                + " offset :offset")
        .param("limit", limit)
        .param("offset", offset)
        .query(OutboxStore::deadLetterRow)
        .list();
  }

  public Optional<DeadLetter> deadLetter(long eventId) {
    return jdbc.sql("select * from outbox_event where id = :id and delivery_state = 'DEAD'")
        .param("id", eventId)
        .query(OutboxStore::deadLetterRow)
        .optional();
  }

  /**
   * Puts a dead letter back in line with a fresh attempt budget. Handlers that had already taken it
   * are not called again.
   *
   * @return false when there is no dead letter with this id
   */
  public boolean replay(long eventId) {
    return jdbc.sql(
                "update outbox_event set delivery_state = 'PENDING', attempts = 0, finished_at = null,"
                    + " next_attempt_at = :now where id = :id and delivery_state = 'DEAD'")
            .param("now", utc(clock.instant()))
            .param("id", eventId)
            .update()
        == 1;
  }

  public OutboxStats stats() {
    long[] counts = new long[3];
    jdbc.sql("select delivery_state, count(*) as n from outbox_event group by delivery_state")
        .query(
            rs -> {
              switch (rs.getString("delivery_state")) {
                case "PENDING" -> counts[0] = rs.getLong("n");
                case "DELIVERED" -> counts[1] = rs.getLong("n");
                case "DEAD" -> counts[2] = rs.getLong("n");
                default -> {}
              }
            });
    Optional<Instant> oldest =
        jdbc.sql(
                "select occurred_at from outbox_event where delivery_state = 'PENDING'"
                    + " order by id limit 1")
            .query((rs, n) -> instant(rs, "occurred_at"))
            .optional();
    return new OutboxStats(counts[0], counts[1], counts[2], oldest);
  }

  /** Deletes delivered events older than {@code retention}; returns how many went. */
  public int purgeDelivered(Duration retention) {
    return tx.execute(
        status -> {
          var cutoff = utc(clock.instant().minus(retention));
          jdbc.sql(
                  "delete from outbox_handler_done where event_id in (select id from outbox_event"
                      + " where delivery_state = 'DELIVERED' and finished_at < :cutoff)")
              .param("cutoff", cutoff)
              .update();
          return jdbc.sql(
                  "delete from outbox_event where delivery_state = 'DELIVERED' and finished_at < :cutoff")
              .param("cutoff", cutoff)
              .update();
        });
  }

  static String describe(Throwable error) {
    String message = error.getMessage();
    String text = error.getClass().getName() + (message == null ? "" : ": " + message);
    return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH - 1) + "…";
  }

  static String joinIds(List<UUID> ids) {
    StringBuilder sb = new StringBuilder();
    for (UUID id : ids) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(id);
    }
    return sb.toString();
  }

  static List<UUID> splitIds(String joined) {
    List<UUID> ids = new ArrayList<>();
    for (String part : joined.split(",")) {
      if (!part.isEmpty()) {
        ids.add(UUID.fromString(part));
      }
    }
    return ids;
  }

  private static AppointmentChange changeRow(ResultSet rs, int n) throws SQLException {
    String platform = rs.getString("video_platform");
    return new AppointmentChange(
        rs.getLong("id"),
        rs.getObject("practice_id", UUID.class),
        rs.getObject("appointment_id", UUID.class),
        rs.getLong("appointment_version"),
        ChangeType.valueOf(rs.getString("change_type")),
        rs.getObject("provider_id", UUID.class),
        splitIds(rs.getString("client_ids")),
        instant(rs, "start_at"),
        instant(rs, "end_at"),
        ZoneId.of(rs.getString("time_zone")),
        Modality.valueOf(rs.getString("modality")),
        platform == null ? null : VideoPlatform.valueOf(platform),
        AppointmentStatus.valueOf(rs.getString("status")),
        rs.getString("title"),
        instant(rs, "occurred_at"));
  }

  private static DeadLetter deadLetterRow(ResultSet rs, int n) throws SQLException {
    return new DeadLetter(
        rs.getLong("id"),
        rs.getObject("practice_id", UUID.class),
        rs.getObject("appointment_id", UUID.class),
        rs.getLong("appointment_version"),
        ChangeType.valueOf(rs.getString("change_type")),
        rs.getInt("attempts"),
        rs.getString("failed_handler"),
        rs.getString("last_error"),
        instant(rs, "occurred_at"),
        nullableInstant(rs, "finished_at"));
  }
}
