package org.sessionbridge.core.practice;

import static org.sessionbridge.core.store.SqlTime.instant;
import static org.sessionbridge.core.store.SqlTime.utc;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Who granted or revoked the telehealth role and who changed the compliance policy: rows are only
 * ever added, in the transaction of the change they record.
 */
public final class TelehealthAudit {

  /** What was done. */
  public enum Action {
    GRANT,
    REVOKE,
    POLICY_CHANGE
  }

  /**
   * One audited act.
   *
   * @param targetId the staff member whose role changed; null for policy changes
   * @param detail what changed, e.g. "granted", "already held", or the policy as set
   */
  public record Entry(
      long id,
      UUID actorId,
      @Nullable UUID targetId,
      Action action,
      @Nullable String detail,
      Instant at) {}

  private final JdbcClient jdbc;
  private final Clock clock;

  public TelehealthAudit(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** Appends an entry; call it inside the transaction of the change. */
  public void record(
      UUID practiceId, UUID actorId, @Nullable UUID targetId, Action action, String detail) {
    jdbc.sql(
            "insert into telehealth_audit (practice_id, actor_id, target_id, action, detail, at)"
                + " values (:p, :actor, :target, :action, :detail, :at)")
        .param("p", practiceId)
        .param("actor", actorId)
        .param("target", targetId)
        .param("action", action.name())
        .param("detail", detail)
        .param("at", utc(clock.instant()))
        .update();
  }

  /** Grants and revokes of one staff member's telehealth role, oldest first. */
  public List<Entry> roleChanges(UUID practiceId, UUID targetId) {
    return jdbc.sql(
            "select * from telehealth_audit where practice_id = :p and target_id = :t"
                + " order by id")
        .param("p", practiceId)
        .param("t", targetId)
        .query(TelehealthAudit::row)
        .list();
  }

  /** Changes of the practice's compliance policy, oldest first. */
  public List<Entry> policyChanges(UUID practiceId) {
    return jdbc.sql(
            "select * from telehealth_audit where practice_id = :p and action = 'POLICY_CHANGE'"
                + " order by id")
        .param("p", practiceId)
        .query(TelehealthAudit::row)
        .list();
  }

  private static Entry row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    return new Entry(
        rs.getLong("id"),
        rs.getObject("actor_id", UUID.class),
        rs.getObject("target_id", UUID.class),
        Action.valueOf(rs.getString("action")),
        rs.getString("detail"),
        instant(rs, "at"));
  }
}
