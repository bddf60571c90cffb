package org.sessionbridge.core.join;

import static org.sessionbridge.core.store.SqlTime.utc;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The passes behind time-boxed join links ({@code /join/{token}}): one random, stable token per
 * participant per appointment, made the first time a feed, invitation or reminder needs it, so a
 * feed renders the same link every time. Tokens are 256 random bits (43 characters); lookups are by
 * primary key, so a wrong guess costs one index probe and reveals nothing.
 */
public final class JoinPasses {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final JdbcClient jdbc;
  private final Clock clock;

  public JoinPasses(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /**
   * The participant's pass to the appointment, made now if they had none. Safe under concurrency:
   * two callers racing get the same pass.
   */
  public JoinPass passFor(
      UUID practiceId, UUID appointmentId, JoinPass.Participant kind, UUID participantId) {
    Optional<JoinPass> existing = find(appointmentId, kind, participantId);
    if (existing.isPresent()) {
      return existing.get();
    }
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    try {
      jdbc.sql(
              "insert into join_pass (token, practice_id, appointment_id, participant_kind,"
                  + " participant_id, created_at) values (:t, :p, :a, :k, :who, :now)")
          .param("t", token)
          .param("p", practiceId)
          .param("a", appointmentId)
          .param("k", kind.name())
          .param("who", participantId)
          .param("now", utc(clock.instant()))
          .update();
      return new JoinPass(token, practiceId, appointmentId, kind, participantId);
    } catch (DuplicateKeyException raced) {
      return find(appointmentId, kind, participantId).orElseThrow(() -> raced);
    }
  }

  /** The pass a token stands for; empty for a token nobody was given. */
  public Optional<JoinPass> byToken(String token) {
    if (token == null || token.isEmpty() || token.length() > 64) {
      return Optional.empty();
    }
    return jdbc.sql("select * from join_pass where token = :t")
        .param("t", token)
        .query(JoinPasses::row)
        .optional();
  }

  private Optional<JoinPass> find(UUID appointmentId, JoinPass.Participant kind, UUID who) {
    return jdbc.sql(
            "select * from join_pass where appointment_id = :a and participant_kind = :k"
                + " and participant_id = :who")
        .param("a", appointmentId)
        .param("k", kind.name())
        .param("who", who)
        .query(JoinPasses::row)
        .optional();
  }

  private static JoinPass row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    return new JoinPass(
        rs.getString("token"),
        rs.getObject("practice_id", UUID.class),
        rs.getObject("appointment_id", UUID.class),
        JoinPass.Participant.valueOf(rs.getString("participant_kind")),
        rs.getObject("participant_id", UUID.class));
  }
}
