package org.sessionbridge.core.feed;

import static org.sessionbridge.core.store.SqlTime.instant;
import static org.sessionbridge.core.store.SqlTime.nullableInstant;
import static org.sessionbridge.core.store.SqlTime.utc;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.store.Sha256;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Issues, lists, revokes and resolves feeds. Secrets carry 192 random bits from a CSPRNG (URL-safe
 * base64, 32 characters) and are looked up by their SHA-256, so the database never holds a usable
 * URL.
 */
public final class FeedStore {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final JdbcClient jdbc;
  private final Clock clock;

  public FeedStore(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  public IssuedFeed issue(UUID practiceId, FeedOwner kind, UUID ownerId, @Nullable String label) {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Feed feed =
        new Feed(UUID.randomUUID(), practiceId, kind, ownerId, label, clock.instant(), null);
    jdbc.sql(
            "insert into feed (id, practice_id, owner_kind, owner_id, secret_hash, label, created_at)"
                + " values (:id, :p, :kind, :owner, :hash, :label, :at)")
        .param("id", feed.id())
        .param("p", practiceId)
        .param("kind", kind.name())
        .param("owner", ownerId)
        .param("hash", hash(secret))
        .param("label", label)
        .param("at", utc(feed.createdAt()))
        .update();
    return new IssuedFeed(feed, secret);
  }

  /** Revokes a feed of this practice; its URL answers 410 from now on. False if none such. */
  public boolean revoke(UUID practiceId, UUID feedId) {
    int rows =
        jdbc.sql(
                "update feed set revoked_at = coalesce(revoked_at, :at) where id = :id"
                    + " and practice_id = :p")
            .param("at", utc(clock.instant()))
            .param("id", feedId)
            .param("p", practiceId)
            .update();
    return rows == 1;
  }

  public List<Feed> feeds(UUID practiceId, FeedOwner kind, UUID ownerId) {
    return jdbc.sql(
            "select * from feed where practice_id = :p and owner_kind = :kind and owner_id = :owner"
                + " order by created_at, id")
        .param("p", practiceId)
        .param("kind", kind.name())
        .param("owner", ownerId)
        .query(FeedStore::row)
        .list();
  }

  /** One feed of this practice, revoked or not. */
  public Optional<Feed> feed(UUID practiceId, UUID feedId) {
    return jdbc.sql("select * from feed where practice_id = :p and id = :id")
        .param("p", practiceId)
        .param("id", feedId)
        .query(FeedStore::row)
        .optional();
  }

  /** The feed behind a secret, revoked or not. */
  public Optional<Feed> resolve(String secret) {
    return jdbc.sql("select * from feed where secret_hash = :hash")
        .param("hash", hash(secret))
        .query(FeedStore::row)
        .optional();
  }

  static String hash(String secret) {
    return Sha256.hex(secret);
  }

  private static Feed row(ResultSet rs, int n) throws SQLException {
    return new Feed(
        rs.getObject("id", UUID.class),
        rs.getObject("practice_id", UUID.class),
        FeedOwner.valueOf(rs.getString("owner_kind")),
        rs.getObject("owner_id", UUID.class),
        rs.getString("label"),
        instant(rs, "created_at"),
        nullableInstant(rs, "revoked_at"));
  }
}
