package org.sessionbridge.core.credential;

import static org.sessionbridge.core.store.SqlTime.instant;
import static org.sessionbridge.core.store.SqlTime.utc;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Connected vendor accounts. Client secrets are sealed with {@link SecretBox}, bound to their
 * practice and vendor, and only opened by {@link #secret} for the connector that calls the vendor.
 */
public final class ConnectionStore {

  private final JdbcClient jdbc;
  private final TransactionOperations tx;
  private final SecretBox box;
  private final Clock clock;

  public ConnectionStore(JdbcClient jdbc, TransactionOperations tx, SecretBox box, Clock clock) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.box = box;
    this.clock = clock;
  }

  /** Stores (or replaces) the practice's connection to {@code kind}, sealing the secret. */
  public Connection save(
      UUID practiceId, Connection.Kind kind, String accountRef, String clientId, String secret) {
    Instant now = clock.instant();
    String stored = box.seal(secret, context(practiceId, kind));
    tx.executeWithoutResult(
        status -> {
          jdbc.sql("delete from connection where practice_id = :p and kind = :k")
              .param("p", practiceId)
              .param("k", kind.name())
              .update();
          jdbc.sql(
                  "insert into connection (practice_id, kind, account_ref, client_id, secret_sealed,"
                      + " status, checked_at, updated_at) values (:p, :k, :a, :c, :s, 'CONNECTED',"
                      + " :now, :now)")
              .param("p", practiceId)
              .param("k", kind.name())
              .param("a", accountRef)
              .param("c", clientId)
              .param("s", stored)
              .param("now", utc(now))
              .update();
        });
    return find(practiceId, kind).orElseThrow();
  }

  public Optional<Connection> find(UUID practiceId, Connection.Kind kind) {
    return jdbc.sql("select * from connection where practice_id = :p and kind = :k")
        .param("p", practiceId)
        .param("k", kind.name())
        .query(
            (rs, n) ->
                new Connection(
                    rs.getObject("practice_id", UUID.class),
                    Connection.Kind.valueOf(rs.getString("kind")),
                    rs.getString("account_ref"),
                    rs.getString("client_id"),
                    rs.getString("status"),
                    instant(rs, "checked_at"),
                    instant(rs, "updated_at"),
                    rs.getString("status_reason")))
        .optional();
  }

  /**
   * Marks the connection as refused by the vendor (revoked, deactivated): work that needs it is
   * parked until the practice connects again with {@link #save}. Returns false if there is none or
   * it was marked already.
   */
  public boolean markRefused(UUID practiceId, Connection.Kind kind, String reason) {
    String text = reason.length() <= 500 ? reason : reason.substring(0, 499) + "…";
    return jdbc.sql(
                "update connection set status = 'NEEDS_REAUTHORIZATION', status_reason = :r,"
                    + " checked_at = :now where practice_id = :p and kind = :k"
                    + " and status <> 'NEEDS_REAUTHORIZATION'")
            .param("r", text)
            .param("now", utc(clock.instant()))
            .param("p", practiceId)
            .param("k", kind.name())
            .update()
        == 1;
  }

  /** The clear client secret, for the connector about to call the vendor. */
  public Optional<String> secret(UUID practiceId, Connection.Kind kind) {
    return jdbc.sql("select secret_sealed from connection where practice_id = :p and kind = :k")
        .param("p", practiceId)
        .param("k", kind.name())
        .query(String.class)
        .optional()
        .map(value -> box.open(value, context(practiceId, kind)));
  }

  /**
   * Re-seals every secret still sealed with an old key under the active one (run after adding a new
   * active key; then the old key can go). Returns how many were re-sealed.
   */
  public int resealWithActiveKey() {
    List<Object[]> rows =
        jdbc.sql("select practice_id, kind, secret_sealed from connection")
            .query(
                (rs, n) ->
                    new Object[] {
                      rs.getObject("practice_id", UUID.class),
                      Connection.Kind.valueOf(rs.getString("kind")),
                      rs.getString("secret_sealed")
                    })
            .list();
    int resealed = 0;
    for (Object[] row : rows) {
      UUID practiceId = (UUID) row[0];
      Connection.Kind kind = (Connection.Kind) row[1];
      String stored = (String) row[2];
      if (box.needsReseal(stored)) {
        String context = context(practiceId, kind);
        jdbc.sql(
                "update connection set secret_sealed = :s where practice_id = :p and kind = :k"
                    + " and secret_sealed = :old")
            .param("s", box.seal(box.open(stored, context), context))
            .param("p", practiceId)
            .param("k", kind.name())
            .param("old", stored)
            .update();
        resealed++;
      }
    }
    return resealed;
  }

  static String context(UUID practiceId, Connection.Kind kind) {
    return "practice:" + practiceId + ":" + kind.name();
  }
}
