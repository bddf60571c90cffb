package org.sessionbridge.core.credential;

import static org.sessionbridge.core.store.SqlTime.instant;
import static org.sessionbridge.core.store.SqlTime.nullableInstant;
import static org.sessionbridge.core.store.SqlTime.utc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.error.InvalidInputException;
import org.sessionbridge.core.store.Sha256;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Providers' own vendor accounts (user-level OAuth, authorization code with PKCE): the flow's
 * single-use states and the tokens it yields, sealed with {@link SecretBox} bound to practice,
 * provider and vendor.
 *
 * <p><b>Refresh-token rotation.</b> Zoom answers every refresh with a new refresh token and makes
 * the old one invalid at once (API-NOTES §1.1). Spending one twice, by two threads or two hub
 * nodes, would lose the provider's authorisation. {@link #accessToken} therefore refreshes only
 * while it holds the token row's lock ({@code select ... for update}), re-reads the row under the
 * lock (another holder may have refreshed it meanwhile, then its token is used), stores the new
 * refresh token in the same transaction as the new access token, and commits before it answers. The
 * lock is held for the length of the vendor call (bounded by the connector's timeouts).
 *
 * <p>One hazard no lock removes: a refresh that Zoom carried out but whose answer was lost leaves
 * the stored refresh token spent. The next refresh is then refused and the provider is asked to
 * authorise again ({@link Connection#NEEDS_REAUTHORIZATION}); nothing else is lost.
 *
 * <p>Thread-safe. Tokens, verifiers and states never appear in messages or {@code toString()}.
 */
public final class ProviderTokenStore {

  /** How long an authorisation may take from start to callback. */
  public static final Duration STATE_TTL = Duration.ofMinutes(10);

  /** Refresh this long before the vendor's expiry, as the connectors do. */
  public static final Duration EXPIRY_MARGIN = Duration.ofSeconds(60);

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int LOCK_ATTEMPTS = 5;

  private final JdbcClient jdbc;
  private final TransactionOperations tx;
  private final SecretBox box;
  private final Clock clock;

  public ProviderTokenStore(JdbcClient jdbc, TransactionOperations tx, SecretBox box, Clock clock) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.box = box;
    this.clock = clock;
  }

  /**
   * An authorisation about to start: the {@code state} to send along (the callback's only
   * credential) and the PKCE pair, {@code codeChallenge = BASE64URL(SHA-256(codeVerifier))} (RFC
   * 7636, S256), and when the state expires.
   */
  public record Start(String state, String codeVerifier, String codeChallenge, Instant expiresAt) {
    @Override
    public String toString() {
      return "Start[<redacted>]";
    }
  }

  /** A state spent by {@link #consume}: who authorises, and the verifier for the code exchange. */
  public record Pending(
      UUID practiceId, UUID providerId, Connection.Kind kind, String codeVerifier) {
    @Override
    public String toString() {
      return "Pending[practice=" + practiceId + ", provider=" + providerId + ", " + kind + "]";
    }
  }

  /** What the vendor's token endpoint granted. */
  public record Tokens(String accessToken, String refreshToken, Duration expiresIn) {
    public Tokens {
      Objects.requireNonNull(accessToken, "accessToken");
      Objects.requireNonNull(refreshToken, "refreshToken");
      if (expiresIn.isNegative() || expiresIn.isZero()) {
        throw new IllegalArgumentException("expiresIn must be positive: " + expiresIn);
      }
    }

    @Override
    public String toString() {
      return "Tokens[<redacted>, expiresIn=" + expiresIn + "]";
    }
  }

  /**
   * Spends a refresh token at the vendor. Throws {@link RefreshRefused} when the vendor refused it
   * for good (revoked, expired, invalid_grant); any other exception means "could not ask now" and
   * leaves the stored tokens as they were.
   */
  @FunctionalInterface
  public interface Refresher {
    Tokens refresh(String refreshToken);
  }

  /** The vendor refused the refresh token for good; the message (safe to store) says why. */
  public static final class RefreshRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RefreshRefused(String reason) {
      super(reason);
    }
  }

  // ---------------------------------------------------------------- the flow

  /** Starts an authorisation for the provider: the state is stored hashed, the verifier sealed. */
  public Start begin(UUID practiceId, UUID providerId, Connection.Kind kind) {
    String state = random(32);
    String verifier = random(64); // 86 characters, within PKCE's 43..128
    Instant now = clock.instant();
    jdbc.sql(
            "insert into oauth_state (state_hash, practice_id, provider_id, kind, verifier_sealed,"
                + " created_at, expires_at) values (:h, :p, :prov, :k, :v, :now, :exp)")
        .param("h", Sha256.hex(state))
        .param("p", practiceId)
        .param("prov", providerId)
        .param("k", kind.name())
        .param("v", box.seal(verifier, verifierContext(practiceId, providerId, kind)))
        .param("now", utc(now))
        .param("exp", utc(now.plus(STATE_TTL)))
        .update();
    return new Start(state, verifier, challenge(verifier), now.plus(STATE_TTL));
  }

  /**
   * Spends a state from a callback: known, unused and unexpired, else {@link InvalidInputException}
   * naming {@code state} and why. A state is spent even if what follows (the code exchange) fails:
   * the provider starts again.
   */
  public Pending consume(String state) {
    if (state == null || state.isBlank() || state.length() > 200) {
      throw InvalidInputException.rule("state", "unknown authorization state");
    }
    String hash = Sha256.hex(state.strip());
    Instant now = clock.instant();
    Object outcome =
        tx.execute(
            status -> {
              Optional<Object[]> row =
                  jdbc.sql(
                          "select practice_id, provider_id, kind, verifier_sealed, expires_at,"
                              + " used_at from oauth_state where state_hash = :h for update")
                      .param("h", hash)
                      .query(
                          (rs, n) ->
                              new Object[] {
                                rs.getObject("practice_id", UUID.class),
                                rs.getObject("provider_id", UUID.class),
                                Connection.Kind.valueOf(rs.getString("kind")),
                                rs.getString("verifier_sealed"),
                                instant(rs, "expires_at"),
                                nullableInstant(rs, "used_at") == null
                              })
                      .optional();
              if (row.isEmpty()) {
                return "unknown authorization state";
              }
              Object[] r = row.get();
              if (!(Boolean) r[5]) {
                return "this authorization was used already; start it again";
              }
              if (!now.isBefore((Instant) r[4])) {
                return "this authorization expired (it is valid for "
                    + STATE_TTL.toMinutes()
                    + " minutes); start it again";
              }
              int used =
                  jdbc.sql(
                          "update oauth_state set used_at = :now where state_hash = :h"
                              + " and used_at is null")
                      .param("now", utc(now))
                      .param("h", hash)
                      .update();
              if (used != 1) {
                return "this authorization was used already; start it again";
              }
              UUID practiceId = (UUID) r[0];
              UUID providerId = (UUID) r[1];
              Connection.Kind kind = (Connection.Kind) r[2];
              return new Pending(
                  practiceId,
                  providerId,
                  kind,
                  box.open((String) r[3], verifierContext(practiceId, providerId, kind)));
            });
    if (outcome instanceof Pending pending) {
      return pending;
    }
    throw InvalidInputException.rule("state", String.valueOf(outcome));
  }

  /** Forgets states that expired more than a day ago. Returns how many. */
  public int purgeStates() {
    return jdbc.sql("delete from oauth_state where expires_at < :before")
        .param("before", utc(clock.instant().minus(Duration.ofDays(1))))
        .update();
  }

  // -------------------------------------------------------------- the tokens

  /**
   * Stores (or replaces) the provider's tokens after an authorisation, status {@code CONNECTED}.
   */
  public ProviderToken save(
      UUID practiceId, UUID providerId, Connection.Kind kind, String accountRef, Tokens tokens) {
    Instant now = clock.instant();
    String context = context(practiceId, providerId, kind);
    String access = box.seal(tokens.accessToken(), context);
    String refresh = box.seal(tokens.refreshToken(), context);
    tx.executeWithoutResult(
        status -> {
          jdbc.sql(
                  "delete from provider_token where practice_id = :p and provider_id = :prov"
                      + " and kind = :k")
              .param("p", practiceId)
              .param("prov", providerId)
              .param("k", kind.name())
              .update();
          jdbc.sql(
                  "insert into provider_token (practice_id, provider_id, kind, account_ref,"
                      + " refresh_sealed, access_sealed, access_expires_at, status,"
                      + " authorized_at, updated_at) values (:p, :prov, :k, :a, :r, :acc, :exp,"
                      + " 'CONNECTED', :now, :now)")
              .param("p", practiceId)
              .param("prov", providerId)
              .param("k", kind.name())
              .param("a", accountRef)
              .param("r", refresh)
              .param("acc", access)
              .param("exp", utc(now.plus(tokens.expiresIn())))
              .param("now", utc(now))
              .update();
        });
    return find(practiceId, providerId, kind).orElseThrow();
  }

  public Optional<ProviderToken> find(UUID practiceId, UUID providerId, Connection.Kind kind) {
    return jdbc.sql(
            "select * from provider_token where practice_id = :p and provider_id = :prov"
                + " and kind = :k")
        .param("p", practiceId)
        .param("prov", providerId)
        .param("k", kind.name())
        .query(ProviderTokenStore::tokenRow)
        .optional();
  }

  /**
   * An access token for the provider valid for at least {@link #EXPIRY_MARGIN}: the stored one, or
   * a new one from {@code refresher}, obtained under the row's lock and committed (with the new
   * refresh token) before this returns. Empty when the provider has not authorised, or must
   * authorise again (also when {@code refresher} throws {@link RefreshRefused}, which marks the row
   * {@code NEEDS_REAUTHORIZATION}). Other failures of {@code refresher} propagate and change
   * nothing.
   */
  public Optional<String> accessToken(
      UUID practiceId, UUID providerId, Connection.Kind kind, Refresher refresher) {
    Optional<Sealed> current = sealed(practiceId, providerId, kind, false);
    if (current.isEmpty() || !current.get().connected()) {
      return Optional.empty();
    }
    if (current.get().usableAt(clock.instant())) {
      return Optional.of(box.open(current.get().access, context(practiceId, providerId, kind)));
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return Objects.requireNonNull(
            tx.execute(status -> refreshLocked(practiceId, providerId, kind, refresher)));
      } catch (PessimisticLockingFailureException waitedTooLong) {
        // Another holder's refresh outlasted the database's lock timeout: look again.
        if (attempt >= LOCK_ATTEMPTS) {
          throw waitedTooLong;
        }
      }
    }
  }

  private Optional<String> refreshLocked(
      UUID practiceId, UUID providerId, Connection.Kind kind, Refresher refresher) {
    Optional<Sealed> locked = sealed(practiceId, providerId, kind, true);
    if (locked.isEmpty() || !locked.get().connected()) {
      return Optional.empty();
    }
    String context = context(practiceId, providerId, kind);
    Sealed row = locked.get();
    if (row.usableAt(clock.instant())) {
      return Optional.of(box.open(row.access, context)); // refreshed while we waited for the lock
    }
    Tokens fresh;
    try {
      fresh = refresher.refresh(box.open(row.refresh, context));
    } catch (RefreshRefused refused) {
      markRefusedInTransaction(practiceId, providerId, kind, refused.getMessage());
      return Optional.empty();
    }
    Instant now = clock.instant();
    jdbc.sql(
            "update provider_token set access_sealed = :acc, refresh_sealed = :r,"
                + " access_expires_at = :exp, refreshed_at = :now, updated_at = :now"
                + " where practice_id = :p and provider_id = :prov and kind = :k")
        .param("acc", box.seal(fresh.accessToken(), context))
        .param("r", box.seal(fresh.refreshToken(), context))
        .param("exp", utc(now.plus(fresh.expiresIn())))
        .param("now", utc(now))
        .param("p", practiceId)
        .param("prov", providerId)
        .param("k", kind.name())
        .update();
    return Optional.of(fresh.accessToken());
  }

  /**
   * Forgets the cached access token after the vendor answered 401 to {@code rejected}, so that the
   * next {@link #accessToken} refreshes. A token that was replaced meanwhile is left alone.
   */
  public void invalidate(UUID practiceId, UUID providerId, Connection.Kind kind, String rejected) {
    tx.executeWithoutResult(
        status -> {
          Optional<Sealed> row = sealed(practiceId, providerId, kind, true);
          if (row.isEmpty()) {
            return;
          }
          String access = box.open(row.get().access, context(practiceId, providerId, kind));
          if (!MessageDigest.isEqual(bytes(access), bytes(rejected))) {
            return;
          }
          Instant now = clock.instant();
          jdbc.sql(
                  "update provider_token set access_expires_at = :now, updated_at = :now"
                      + " where practice_id = :p and provider_id = :prov and kind = :k")
              .param("now", utc(now))
              .param("p", practiceId)
              .param("prov", providerId)
              .param("k", kind.name())
              .update();
        });
  }

  /**
   * Marks the provider's authorisation refused by the vendor: nothing works until the provider
   * authorises again ({@link #save}). Returns false if there is none or it was marked already.
   */
  public boolean markRefused(
      UUID practiceId, UUID providerId, Connection.Kind kind, String reason) {
    return Boolean.TRUE.equals(
        tx.execute(status -> markRefusedInTransaction(practiceId, providerId, kind, reason)));
  }

  private boolean markRefusedInTransaction(
      UUID practiceId, UUID providerId, Connection.Kind kind, @Nullable String reason) {
    String text = reason == null ? "refused" : reason;
    text = text.length() <= 500 ? text : text.substring(0, 499) + "…";
    Instant now = clock.instant();
    return jdbc.sql(
                "update provider_token set status = 'NEEDS_REAUTHORIZATION', status_reason = :r,"
                    + " updated_at = :now where practice_id = :p and provider_id = :prov"
                    + " and kind = :k and status <> 'NEEDS_REAUTHORIZATION'")
            .param("r", text)
            .param("now", utc(now))
            .param("p", practiceId)
            .param("prov", providerId)
            .param("k", kind.name())
            .update()
        == 1;
  }

  // ----------------------------------------------------------------- helpers

  private Optional<Sealed> sealed(
      UUID practiceId, UUID providerId, Connection.Kind kind, boolean lock) {
    return jdbc.sql(
            "select status, access_sealed, refresh_sealed, access_expires_at from provider_token"
                + " where practice_id = :p and provider_id = :prov and kind = :k"
                + (lock ? " for update" : ""))
        .param("p", practiceId)
        .param("prov", providerId)
        .param("k", kind.name())
        .query(
            (rs, n) ->
                new Sealed(
                    rs.getString("status"),
                    rs.getString("access_sealed"),
                    rs.getString("refresh_sealed"),
                    instant(rs, "access_expires_at")))
        .optional();
  }

  private record Sealed(String status, String access, String refresh, Instant expiresAt) {
    boolean connected() {
      return Connection.CONNECTED.equals(status);
    }

    boolean usableAt(Instant now) {
      return now.plus(EXPIRY_MARGIN).isBefore(expiresAt);
    }

    @Override
    public String toString() {
      return "Sealed[" + status + ", expiresAt=" + expiresAt + "]";
    }
  }

  private static ProviderToken tokenRow(ResultSet rs, int n) throws SQLException {
    return new ProviderToken(
        rs.getObject("practice_id", UUID.class),
        rs.getObject("provider_id", UUID.class),
        Connection.Kind.valueOf(rs.getString("kind")),
        rs.getString("account_ref"),
        rs.getString("status"),
        rs.getString("status_reason"),
        instant(rs, "access_expires_at"),
        instant(rs, "authorized_at"),
        nullableInstant(rs, "refreshed_at"),
        instant(rs, "updated_at"));
  }

  static String context(UUID practiceId, UUID providerId, Connection.Kind kind) {
    return "practice:" + practiceId + ":provider:" + providerId + ":" + kind.name();
  }

  private static String verifierContext(UUID practiceId, UUID providerId, Connection.Kind kind) {
    return context(practiceId, providerId, kind) + ":pkce";
  }

  /** PKCE S256: {@code BASE64URL(SHA-256(ASCII(verifier)))} without padding (RFC 7636 §4.2). */
  public static String challenge(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  private static String random(int bytes) {
    byte[] value = new byte[bytes];
    RANDOM.nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "ProviderTokenStore[" + box + "]";
  }
}
