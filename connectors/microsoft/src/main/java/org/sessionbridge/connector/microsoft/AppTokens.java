package org.sessionbridge.connector.microsoft;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.connector.microsoft.GraphFailure.Kind;

/**
 * A practice's app-only token ({@code client_credentials}, API-NOTES §2.1), cached until {@link
 * #EXPIRY_MARGIN} before Microsoft's {@code expires_in}. When several threads need a new token at
 * the same moment only one asks Microsoft; the others wait for and reuse its answer. Neither the
 * token nor the secret ever appears in a message or {@link #toString()}.
 */
final class AppTokens implements GraphCalls.Tokens {

  /** Refresh this long before Microsoft's expiry (its tokens live 60 to 90 minutes). */
  static final Duration EXPIRY_MARGIN = Duration.ofMinutes(5);

  private final MicrosoftTokenEndpoint endpoint;
  private final MicrosoftCredentials credentials;
  private final Clock clock;
  private final ReentrantLock fetching = new ReentrantLock();
  private volatile @Nullable Token current;

  AppTokens(MicrosoftTokenEndpoint endpoint, MicrosoftCredentials credentials, Clock clock) {
    this.endpoint = endpoint;
    this.credentials = credentials;
    this.clock = clock;
  }

  /**
   * A token valid for at least {@link #EXPIRY_MARGIN}, fetched only when needed.
   *
   * @throws GraphFailure {@link Kind#TOKEN_REFUSED} with Microsoft's reason, or {@link
   *     Kind#TOKEN_UNAVAILABLE} when Microsoft could not be asked
   */
  @Override
  public String accessToken() {
    Token token = current;
    if (token != null && token.usableAt(clock.instant())) {
      return token.value;
    }
    fetching.lock();
    try {
      token = current;
      if (token != null && token.usableAt(clock.instant())) {
        return token.value; // another thread fetched it while we waited
      }
      Instant askedAt = clock.instant();
      MicrosoftTokenEndpoint.Grant grant;
      try {
        grant = endpoint.clientCredentials(credentials);
      } catch (MicrosoftTokenEndpoint.Refused refused) {
        throw new GraphFailure(
            Kind.TOKEN_REFUSED,
            0,
            refused.error(),
            "Microsoft refused the practice's app credentials ("
                + refused.getMessage()
                + "): the practice must connect Microsoft 365 again",
            null,
            null);
      } catch (IOException e) {
        throw new GraphFailure(
            Kind.TOKEN_UNAVAILABLE,
            0,
            "",
            "no app token for the practice: " + e.getMessage(),
            null,
            null);
      }
      Token fresh = new Token(grant.accessToken(), askedAt.plus(grant.expiresIn()));
      current = fresh;
      return fresh.value;
    } finally {
      fetching.unlock();
    }
  }

  /**
   * Forgets {@code rejected} after Graph answered 401 to it. A token already replaced is left
   * alone, so many threads hitting the same 401 still cause a single new fetch.
   */
  @Override
  public void invalidate(String rejected) {
    fetching.lock();
    try {
      Token token = current;
      if (token != null && token.value.equals(rejected)) {
        current = null;
      }
    } finally {
      fetching.unlock();
    }
  }

  @Override
  public String toString() {
    return "AppTokens[tenant=" + credentials.tenantId() + "]";
  }

  private record Token(String value, Instant expiresAt) {
    boolean usableAt(Instant now) {
      return now.isBefore(expiresAt.minus(EXPIRY_MARGIN));
    }

    @Override
    public String toString() {
      return "Token[<redacted>, expiresAt=" + expiresAt + "]";
    }
  }
}
