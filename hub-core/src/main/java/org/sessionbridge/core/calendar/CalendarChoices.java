package org.sessionbridge.core.calendar;

import static org.sessionbridge.core.store.SqlTime.instant;
import static org.sessionbridge.core.store.SqlTime.nullableInstant;
import static org.sessionbridge.core.store.SqlTime.utc;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.sessionbridge.core.error.InvalidInputException;
import org.sessionbridge.core.store.Sha256;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The single-use tokens behind the "pick your calendars" page a provider sees after consenting on
 * the vendor's screen. The page's form carries the token; it is stored only as a hash, lives {@link
 * #TTL}, and names the provider it was issued for, so a form posted later, twice, or by someone
 * else's browser links nothing.
 */
public final class CalendarChoices {

  /** How long the provider has to submit the page. */
  public static final Duration TTL = Duration.ofMinutes(30);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final JdbcClient jdbc;
  private final Clock clock;

  public CalendarChoices(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** Whose choice a token is. */
  public record Chooser(UUID practiceId, UUID providerId, CalendarLink.Kind kind) {}

  /** Issues a token for the provider's choice; answer it only in the page's form. */
  public String offer(UUID practiceId, UUID providerId, CalendarLink.Kind kind) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant now = clock.instant();
    jdbc.sql(
            "insert into calendar_choice (token_hash, practice_id, provider_id, kind, created_at,"
                + " expires_at) values (:h, :p, :prov, :k, :now, :exp)")
        .param("h", Sha256.hex(token))
        .param("p", practiceId)
        .param("prov", providerId)
        .param("k", kind.name())
        .param("now", utc(now))
        .param("exp", utc(now.plus(TTL)))
        .update();
    return token;
  }

  /**
   * Spends a token: known, unused and unexpired, else {@link InvalidInputException} naming {@code
   * choice} and why. Exactly one caller spends a token, however many post it at once.
   */
  public Chooser take(String token) {
    if (token == null || token.isBlank() || token.length() > 200) {
      throw InvalidInputException.rule("choice", "unknown calendar choice; start linking again");
    }
    String hash = Sha256.hex(token.strip());
    Instant now = clock.instant();
    int spent =
        jdbc.sql(
                "update calendar_choice set used_at = :now where token_hash = :h"
                    + " and used_at is null and expires_at > :now")
            .param("now", utc(now))
            .param("h", hash)
            .update();
    record Row(Chooser chooser, Instant expiresAt, boolean used) {}
    Row row =
        jdbc.sql(
                "select practice_id, provider_id, kind, expires_at, used_at from calendar_choice"
                    + " where token_hash = :h")
            .param("h", hash)
            .query(
                (rs, n) ->
                    new Row(
                        new Chooser(
                            rs.getObject("practice_id", UUID.class),
                            rs.getObject("provider_id", UUID.class),
                            CalendarLink.Kind.valueOf(rs.getString("kind"))),
                        instant(rs, "expires_at"),
                        nullableInstant(rs, "used_at") != null))
            .optional()
            .orElseThrow(
                () ->
                    InvalidInputException.rule(
                        "choice", "unknown calendar choice; start linking again"));
    if (spent == 1) {
      return row.chooser();
    }
    if (!now.isBefore(row.expiresAt())) {
      throw InvalidInputException.rule(
          "choice",
          "this page expired (it is valid for "
              + TTL.toMinutes()
              + " minutes); start linking again");
    }
    throw InvalidInputException.rule(
        "choice", "these calendars were chosen already; ask the practice to change them");
  }

  /** Forgets tokens that expired more than a day ago. Returns how many. */
  public int purge() {
    return jdbc.sql("delete from calendar_choice where expires_at < :before")
        .param("before", utc(clock.instant().minus(Duration.ofDays(1))))
        .update();
  }
}
