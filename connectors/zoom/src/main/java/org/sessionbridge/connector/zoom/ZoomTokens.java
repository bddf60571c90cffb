package org.sessionbridge.connector.zoom;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Server-to-Server OAuth access tokens (API-NOTES §1.1): {@code POST {oauth}/oauth/token} with HTTP
 * Basic {@code client_id:client_secret} and the form body {@code
 * grant_type=account_credentials&account_id=...}. There is no refresh token; a new token is simply
 * fetched again.
 *
 * <p>Thread-safe. The token is cached until {@link #EXPIRY_MARGIN} before {@code expires_in} runs
 * out; when several threads need a new token at the same moment only one of them fetches it and the
 * others wait for and reuse its result. Neither the token nor the secret ever appears in a message
 * or {@link #toString()}.
 */
final class ZoomTokens implements ZoomAccessTokens {

  /** Refresh this long before Zoom's expiry, as Zoom's own SDK (Rivet) does. */
  static final Duration EXPIRY_MARGIN = Duration.ofSeconds(60);

  private final OkHttpClient http;
  private final HttpUrl tokenUrl;
  private final String accountId;
  private final String basicAuthorization;
  private final Clock clock;
  private final JsonMapper json;
  private final ZoomErrors errors;
  private final ReentrantLock fetching = new ReentrantLock();
  private volatile @Nullable Token current;

  ZoomTokens(
      OkHttpClient http,
      String oauthBaseUrl,
      ZoomCredentials credentials,
      Clock clock,
      JsonMapper json,
      ZoomErrors errors) {
    this.http = http;
    this.tokenUrl = HttpUrl.get(oauthBaseUrl).newBuilder().addPathSegments("oauth/token").build();
    this.accountId = credentials.accountId();
    this.basicAuthorization =
        Credentials.basic(
            credentials.clientId(), credentials.clientSecret(), StandardCharsets.UTF_8);
    this.clock = clock;
    this.json = json;
    this.errors = errors;
  }

  /** A token valid for at least {@link #EXPIRY_MARGIN}, fetched only when needed. */
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
      Token fresh = fetch();
      current = fresh;
      return fresh.value;
    } finally {
      fetching.unlock();
    }
  }

  /**
   * Forgets {@code rejected} after Zoom answered 401 to it. A token that has already been replaced
   * is left alone, so many threads hitting the same 401 still cause a single new fetch.
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

  private Token fetch() {
    Instant requestedAt = clock.instant();
    Request request =
        new Request.Builder()
            .url(tokenUrl)
            .header("Authorization", basicAuthorization)
            .header("Accept", "application/json")
            .post(
                new FormBody.Builder()
                    .add("grant_type", "account_credentials")
                    .add("account_id", accountId)
                    .build())
            .build();
    try (Response response = http.newCall(request).execute()) {
      String body = response.body().string();
      if (!response.isSuccessful()) {
        throw errors.forTokenResponse(response.code(), response.headers(), body);
      }
      JsonNode node;
      try {
        node = json.readTree(body);
      } catch (JacksonException e) {
        throw errors.malformed(
            "OAuth token request", response.code(), response.headers(), "not JSON");
      }
      JsonNode accessToken = node.path("access_token");
      JsonNode expiresIn = node.path("expires_in");
      if (!accessToken.isString() || accessToken.asString().isBlank()) {
        throw errors.malformed(
            "OAuth token request", response.code(), response.headers(), "no access_token");
      }
      if (!expiresIn.isNumber() || expiresIn.asLong() <= 0) {
        throw errors.malformed(
            "OAuth token request", response.code(), response.headers(), "no positive expires_in");
      }
      return new Token(
          accessToken.asString(), requestedAt.plusSeconds(expiresIn.asLong()).minus(EXPIRY_MARGIN));
    } catch (IOException e) {
      throw errors.forIoFailure("OAuth token request", e);
    }
  }

  @Override
  public String toString() {
    return "ZoomTokens[" + tokenUrl + ", accountId=" + accountId + "]";
  }

  /** {@code refreshAfter} already includes the margin. */
  private record Token(String value, Instant refreshAfter) {
    boolean usableAt(Instant now) {
      return now.isBefore(refreshAfter);
    }

    @Override
    public String toString() {
      return "Token[<redacted>, refreshAfter=" + refreshAfter + "]";
    }
  }
}
