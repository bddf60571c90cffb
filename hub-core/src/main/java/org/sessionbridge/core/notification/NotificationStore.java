package org.sessionbridge.core.notification;

import static org.sessionbridge.core.store.SqlTime.instant;
import static org.sessionbridge.core.store.SqlTime.nullableInstant;
import static org.sessionbridge.core.store.SqlTime.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.store.RowClaims;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Notification rows and practices' reminder settings.
 *
 * <p><b>Planning.</b> The planner (an outbox handler, inside the delivery transaction, so exactly
 * once per appointment version) first {@link #advancePlan advances} the appointment's planned
 * version, then {@link #plan plans}, {@link #retime re-times} and {@link #supersede supersedes}
 * rows. Plans are inserted only when the row's unique key is free, so planning the same version
 * twice adds nothing; rows a worker holds are never changed by the planner.
 *
 * <p><b>Sending.</b> The route {@link #claimDue claims} due rows under a lease; the worker records
 * the intent ({@link #begin}: one more attempt, committed) before it sends, then {@link #finish
 * finishes} or {@link #retry reschedules} the row. Every write of a worker names its lease and does
 * nothing once another node holds the row.
 */
public final class NotificationStore {

  private static final int MAX_ERROR = 500;

  private final JdbcClient jdbc;
  private final Clock clock;

  public NotificationStore(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  // --- settings ------------------------------------------------------------------------------

  /** The practice's reminder settings, or the defaults when it never set any. */
  public NotificationSettings settings(UUID practiceId) {
    return jdbc.sql(
            "select reminder_minutes, sms_enabled from notification_settings"
                + " where practice_id = :p")
        .param("p", practiceId)
        .query((rs, n) -> new NotificationSettings(rs.getInt(1), rs.getBoolean(2)))
        .optional()
        .orElse(NotificationSettings.DEFAULTS);
  }

  /** Stores the practice's reminder settings; they apply to sessions planned from now on. */
  public NotificationSettings updateSettings(UUID practiceId, NotificationSettings settings) {
    Instant now = clock.instant();
    int updated =
        jdbc.sql(
                "update notification_settings set reminder_minutes = :m, sms_enabled = :sms,"
                    + " updated_at = :now where practice_id = :p")
            .param("m", settings.reminderMinutes())
            .param("sms", settings.smsEnabled())
            .param("now", utc(now))
            .param("p", practiceId)
            .update();
    if (updated == 0) {
      jdbc.sql(
              "insert into notification_settings (practice_id, reminder_minutes, sms_enabled,"
                  + " updated_at) values (:p, :m, :sms, :now)")
          .param("p", practiceId)
          .param("m", settings.reminderMinutes())
          .param("sms", settings.smsEnabled())
          .param("now", utc(now))
          .update();
    }
    return settings(practiceId);
  }

  // --- planning ------------------------------------------------------------------------------

  /**
   * Records that {@code version} of the appointment is being planned. Answers false when this or a
   * newer version was planned already (a replayed dead letter): plan nothing then.
   */
  public boolean advancePlan(UUID appointmentId, long version) {
    Instant now = clock.instant();
    int updated =
        jdbc.sql(
                "update notification_plan set planned_version = :v, updated_at = :now"
                    + " where appointment_id = :id and planned_version < :v")
            .param("v", version)
            .param("now", utc(now))
            .param("id", appointmentId)
            .update();
    if (updated == 1) {
      return true;
    }
    // insert ... where not exists: no duplicate-key error, which would abort the delivery
    // transaction on PostgreSQL
    return jdbc.sql(
                "insert into notification_plan (appointment_id, planned_version, updated_at)"
                    + " select :id, :v, :now where not exists (select 1 from notification_plan"
                    + " where appointment_id = :id)")
            .param("id", appointmentId)
            .param("v", version)
            .param("now", utc(now))
            .update()
        == 1;
  }

  /** The newest version planned for the appointment; 0 when none was. */
  public long plannedVersion(UUID appointmentId) {
    return jdbc.sql("select planned_version from notification_plan where appointment_id = :id")
        .param("id", appointmentId)
        .query(Long.class)
        .optional()
        .orElse(0L);
  }

  /** What one planned row is for. */
  public record Plan(
      UUID practiceId,
      UUID appointmentId,
      Notification.RecipientKind recipientKind,
      UUID recipientId,
      Notification.Purpose purpose,
      Notification.Channel channel,
      long appointmentVersion,
      Instant sessionStart) {}

  /**
   * Inserts a row for {@code plan}, due at {@code dueAt}, in {@code state} (PENDING, or SKIPPED
   * with the reason when there is nothing to send any more). Answers false, and writes nothing,
   * when the plan's row exists already.
   */
  public boolean plan(Plan plan, Instant dueAt, Notification.State state, @Nullable String reason) {
    Instant now = clock.instant();
    return jdbc.sql(
                "insert into notification (id, practice_id, appointment_id, recipient_kind,"
                    + " recipient_id, purpose, channel, appointment_version, session_start, due_at,"
                    + " state, attempts, last_error, created_at, updated_at)"
                    + " select :id, :practice, :appointment, :kind, :who, :purpose, :channel, :v,"
                    + " :start, :due, :state, 0, :error, :now, :now where not exists (select 1"
                    + " from notification where appointment_id = :appointment and recipient_kind"
                    + " = :kind and recipient_id = :who and purpose = :purpose and channel ="
                    + " :channel and appointment_version = :v)")
            .param("id", UUID.randomUUID())
            .param("practice", plan.practiceId())
            .param("appointment", plan.appointmentId())
            .param("kind", plan.recipientKind().name())
            .param("who", plan.recipientId())
            .param("purpose", plan.purpose().name())
            .param("channel", plan.channel().name())
            .param("v", plan.appointmentVersion())
            .param("start", utc(plan.sessionStart()))
            .param("due", utc(dueAt))
            .param("state", state.name())
            .param("error", truncate(reason))
            .param("now", utc(now))
            .update()
        == 1;
  }

  /**
   * Moves a pending row that was never attempted and that no worker holds to a new session start
   * and due time, as of {@code version}. Answers false when the row is not in that state.
   */
  public boolean retime(UUID id, long version, Instant sessionStart, Instant dueAt) {
    Instant now = clock.instant();
    return jdbc.sql(
                "update notification set appointment_version = :v, session_start = :start,"
                    + " due_at = :due, last_error = null, updated_at = :now where id = :id"
                    + " and state = 'PENDING' and attempts = 0"
                    + " and (lease_until is null or lease_until < :now)")
            .param("v", version)
            .param("start", utc(sessionStart))
            .param("due", utc(dueAt))
            .param("now", utc(now))
            .param("id", id)
            .update()
        == 1;
  }

  /**
   * Marks a pending row that no worker holds SUPERSEDED with the reason. Answers false when the row
   * is not pending or a worker holds it (the worker then decides on it).
   */
  public boolean supersede(UUID id, String reason) {
    Instant now = clock.instant();
    return jdbc.sql(
                "update notification set state = 'SUPERSEDED', last_error = :reason,"
                    + " updated_at = :now where id = :id and state = 'PENDING'"
                    + " and (lease_until is null or lease_until < :now)")
            .param("reason", truncate(reason))
            .param("now", utc(now))
            .param("id", id)
            .update()
        == 1;
  }

  // --- sending -------------------------------------------------------------------------------

  private static final RowClaims DUE =
      new RowClaims(
          "notification",
          List.of("id"),
          "state = 'PENDING' and due_at <= :now and (lease_until is null or lease_until < :now)",
          "due_at, id",
          "lease_owner = :worker, lease_until = :until");

  /**
   * Claims up to {@code limit} due rows whose lease is free, for {@code lease}. Safe from several
   * nodes: a row goes to one of them.
   */
  public List<Notification> claimDue(int limit, String worker, Duration lease) {
    Instant now = clock.instant();
    List<Notification> claimed = new ArrayList<>();
    for (List<Object> key :
        DUE.claim(
            jdbc,
            limit,
            Map.of("worker", worker, "until", utc(now.plus(lease)), "now", utc(now)))) {
      byId((UUID) key.get(0)).ifPresent(claimed::add);
    }
    return claimed;
  }

  /**
   * The intent, committed before a send: one more attempt, while {@code worker} still holds the
   * row's lease. Answers false when it does not (do not send then).
   */
  public boolean begin(UUID id, String worker) {
    Instant now = clock.instant();
    return jdbc.sql(
                "update notification set attempts = attempts + 1, attempted_at = :now,"
                    + " updated_at = :now where id = :id and state = 'PENDING'"
                    + " and lease_owner = :worker and lease_until >= :now")
            .param("now", utc(now))
            .param("id", id)
            .param("worker", worker)
            .update()
        == 1;
  }

  /**
   * Ends the row in a final state (SENT, SKIPPED, FAILED, SUPERSEDED) with the reason, if {@code
   * worker} still holds it; the lease is released. Answers whether it did.
   */
  public boolean finish(UUID id, String worker, Notification.State state, @Nullable String reason) {
    if (state == Notification.State.PENDING) {
      throw new IllegalArgumentException("finish needs a final state");
    }
    Instant now = clock.instant();
    return jdbc.sql(
                "update notification set state = :state, last_error = :reason,"
                    + " sent_at = :sent, lease_owner = null, lease_until = null, updated_at = :now"
                    + " where id = :id and state = 'PENDING' and lease_owner = :worker")
            .param("state", state.name())
            .param("reason", truncate(reason))
            .param("sent", state == Notification.State.SENT ? utc(now) : null)
            .param("now", utc(now))
            .param("id", id)
            .param("worker", worker)
            .update()
        == 1;
  }

  /**
   * Leaves the row pending, due again at {@code dueAt} with the reason, and releases the lease, if
   * {@code worker} still holds it.
   */
  public boolean retry(UUID id, String worker, Instant dueAt, String reason) {
    Instant now = clock.instant();
    return jdbc.sql(
                "update notification set due_at = :due, last_error = :reason,"
                    + " lease_owner = null, lease_until = null, updated_at = :now"
                    + " where id = :id and state = 'PENDING' and lease_owner = :worker")
            .param("due", utc(dueAt))
            .param("reason", truncate(reason))
            .param("now", utc(now))
            .param("id", id)
            .param("worker", worker)
            .update()
        == 1;
  }

  // --- reading -------------------------------------------------------------------------------

  public Optional<Notification> byId(UUID id) {
    return jdbc.sql("select * from notification where id = :id")
        .param("id", id)
        .query(NotificationStore::row)
        .optional();
  }

  /** The appointment's rows, oldest first. */
  public List<Notification> forAppointment(UUID appointmentId) {
    return jdbc.sql(
            "select * from notification where appointment_id = :id order by created_at, due_at, id")
        .param("id", appointmentId)
        .query(NotificationStore::row)
        .list();
  }

  /** How many rows are in each state. */
  public Map<Notification.State, Long> countByState() {
    Map<Notification.State, Long> counts = new EnumMap<>(Notification.State.class);
    for (Notification.State s : Notification.State.values()) {
      counts.put(s, 0L);
    }
    jdbc.sql("select state, count(*) from notification group by state")
        .query(
            (ResultSet rs) -> {
              counts.put(Notification.State.valueOf(rs.getString(1)), rs.getLong(2));
            });
    return counts;
  }

  private static Notification row(ResultSet rs, int n) throws SQLException {
    return new Notification(
        rs.getObject("id", UUID.class),
        rs.getObject("practice_id", UUID.class),
        rs.getObject("appointment_id", UUID.class),
        Notification.RecipientKind.valueOf(rs.getString("recipient_kind")),
        rs.getObject("recipient_id", UUID.class),
        Notification.Purpose.valueOf(rs.getString("purpose")),
        Notification.Channel.valueOf(rs.getString("channel")),
        rs.getLong("appointment_version"),
        instant(rs, "session_start"),
        instant(rs, "due_at"),
        Notification.State.valueOf(rs.getString("state")),
        rs.getInt("attempts"),
        nullableInstant(rs, "attempted_at"),
        rs.getString("lease_owner"),
        nullableInstant(rs, "lease_until"),
        rs.getString("last_error"),
        nullableInstant(rs, "sent_at"),
        instant(rs, "created_at"));
  }

  private static @Nullable String truncate(@Nullable String text) {
    return text == null || text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR);
  }
}
