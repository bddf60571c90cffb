package org.sessionbridge.connector.zoom.fake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /oauth/token} and the bearer-token check of the API (API-NOTES §1.1): the grants
 * {@code account_credentials} (Server-to-Server, no refresh token), {@code authorization_code}
 * (optionally with PKCE S256) and {@code refresh_token} (rotating: every refresh returns a new
 * refresh token and invalidates the old one). Expiry follows the injected clock; a revoked
 * account's tokens and secret stop working. Thread-safe: grant state is guarded by this object's
 * monitor.
 */
final class ZoomFakeOAuth {

  static final Duration ACCOUNT_TOKEN_TTL = Duration.ofSeconds(3600);
  static final Duration USER_TOKEN_TTL = Duration.ofSeconds(3599);
  static final Duration CODE_TTL = Duration.ofMinutes(5);
  static final Duration REFRESH_TOKEN_TTL = Duration.ofDays(90);

  static final String ACCOUNT_SCOPE = "meeting:write:meeting:admin meeting:read:meeting:admin";
  static final String USER_SCOPE = "meeting:write:meeting meeting:read:meeting";

  /**
   * Who a token speaks for.
   *
   * @param userId the user of a user-level (authorization code) token; {@code null} for an
   *     account-level (Server-to-Server) token, which acts for every user of the account
   */
  record Principal(String accountId, String clientId, @Nullable String userId) {}

  /** The result of checking {@code Authorization: Bearer …}. */
  sealed interface Check {}

  record Valid(Principal principal) implements Check {}

  record Refused(String message) implements Check {}

  private record Grant(Principal principal, Instant expiresAt) {
    @Override
    public String toString() {
      return "Grant[" + principal + ", expiresAt=" + expiresAt + "]";
    }
  }

  private record Code(
      String clientId,
      String redirectUri,
      @Nullable String challenge,
      ZoomFakeDirectory.User user,
      Instant expiresAt) {}

  private final Map<String, Grant> accessTokens = new HashMap<>();
  private final Map<String, Grant> refreshTokens = new HashMap<>();
  private final Map<String, Code> codes = new HashMap<>();
  private final ZoomFakeDirectory directory;
  private final ZoomFakeRandom random;
  private final Clock clock;
  private final JsonMapper json;
  private final String apiUrl;
  private final ZoomFakeCounters counters;

  ZoomFakeOAuth(
      ZoomFakeDirectory directory,
      ZoomFakeRandom random,
      Clock clock,
      JsonMapper json,
      String apiUrl,
      ZoomFakeCounters counters) {
    this.directory = directory;
    this.random = random;
    this.clock = clock;
    this.json = json;
    this.apiUrl = apiUrl;
    this.counters = counters;
  }

  /** The authorize step's outcome: a single-use code valid for 5 minutes. */
  synchronized String issueCode(
      String clientId, String redirectUri, @Nullable String codeChallenge, String userEmail) {
    if (directory.clientAccount(clientId).isEmpty()) {
      throw new IllegalArgumentException("the fake has no client id " + clientId);
    }
    if (redirectUri == null || redirectUri.isBlank()) {
      throw new IllegalArgumentException("redirectUri must not be blank");
    }
    ZoomFakeDirectory.User user =
        directory
            .userByEmail(userEmail)
            .orElseThrow(
                () -> new IllegalArgumentException("the fake has no user with this e-mail"));
    String code = random.urlSafe(24);
    codes.put(
        code, new Code(clientId, redirectUri, codeChallenge, user, clock.instant().plus(CODE_TTL)));
    return code;
  }

  /**
   * {@code POST /oauth/token}.
   *
   * @param authorization the {@code Authorization} header, Basic {@code client_id:client_secret}
   * @param params query and form parameters (form wins)
   */
  synchronized ZoomFakeReply token(@Nullable String authorization, Map<String, String> params) {
    Optional<ZoomFakeDirectory.Account> client = basicClient(authorization);
    if (client.isEmpty()) {
      return ZoomFakeReply.oauthError(400, "invalid_client", "Invalid client_id or client_secret");
    }
    ZoomFakeDirectory.Account account = client.get();
    String grantType = params.getOrDefault("grant_type", "");
    switch (grantType) {
      case "account_credentials":
        if (!account.id().equals(params.get("account_id"))) {
          return ZoomFakeReply.oauthError(
              400, "invalid_client", "Invalid client_id or client_secret");
        }
        return granted(new Principal(account.id(), account.clientId(), null), false);
      case "authorization_code":
        return authorizationCode(account, params);
      case "refresh_token":
        return refresh(account, params.get("refresh_token"));
      default:
        return ZoomFakeReply.oauthError(400, "unsupported_grant_type", "Unsupported grant type");
    }
  }

  private ZoomFakeReply authorizationCode(
      ZoomFakeDirectory.Account account, Map<String, String> params) {
    String codeValue = params.get("code");
    Code code = codeValue == null ? null : codes.remove(codeValue); // single use, even if refused
    if (code == null || !code.clientId().equals(account.clientId())) {
      return ZoomFakeReply.oauthError(400, "invalid_grant", "Invalid authorization code");
    }
    if (!clock.instant().isBefore(code.expiresAt())) {
      return ZoomFakeReply.oauthError(400, "invalid_grant", "Authorization code is expired");
    }
    if (!code.redirectUri().equals(params.get("redirect_uri"))) {
      return ZoomFakeReply.oauthError(400, "invalid_request", "Redirect URI mismatch");
    }
    String challenge = code.challenge();
    if (challenge != null) {
      String verifier = params.get("code_verifier");
      if (verifier == null || !MessageDigest.isEqual(bytes(s256(verifier)), bytes(challenge))) {
        return ZoomFakeReply.oauthError(400, "invalid_grant", "Invalid code_verifier");
      }
    }
    if (!directory.isActive(code.user().accountId())) {
      return ZoomFakeReply.oauthError(400, "invalid_grant", "Invalid authorization code");
    }
    return granted(
        new Principal(code.user().accountId(), account.clientId(), code.user().id()), true);
  }

  private ZoomFakeReply refresh(ZoomFakeDirectory.Account account, @Nullable String token) {
    Grant grant = token == null ? null : refreshTokens.get(token);
    if (grant == null
        || !grant.principal().clientId().equals(account.clientId())
        || !clock.instant().isBefore(grant.expiresAt())
        || !directory.isActive(grant.principal().accountId())) {
      return ZoomFakeReply.oauthError(400, "invalid_grant", "Invalid Token!");
    }
    refreshTokens.remove(token); // rotation: the old refresh token is spent
    return granted(grant.principal(), true);
  }

  private ZoomFakeReply granted(Principal principal, boolean userLevel) {
    Instant now = clock.instant();
    String accessToken = random.token();
    Duration ttl = userLevel ? USER_TOKEN_TTL : ACCOUNT_TOKEN_TTL;
    accessTokens.put(accessToken, new Grant(principal, now.plus(ttl)));
    ObjectNode body = json.createObjectNode();
    body.put("access_token", accessToken);
    body.put("token_type", "bearer");
    if (userLevel) {
      String refreshToken = random.token();
      refreshTokens.put(refreshToken, new Grant(principal, now.plus(REFRESH_TOKEN_TTL)));
      body.put("refresh_token", refreshToken);
    }
    body.put("expires_in", ttl.toSeconds());
    body.put("scope", userLevel ? USER_SCOPE : ACCOUNT_SCOPE);
    body.put("api_url", apiUrl);
    counters.tokenGrants.incrementAndGet();
    return ZoomFakeReply.json(200, body);
  }

  /** Checks {@code Authorization: Bearer <token>} against the issued, unexpired tokens. */
  synchronized Check check(@Nullable String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return new Refused("Invalid access token.");
    }
    String token = authorization.substring(7).strip();
    Grant grant = accessTokens.get(token);
    if (grant == null || !directory.isActive(grant.principal().accountId())) {
      return new Refused("Invalid access token.");
    }
    if (!clock.instant().isBefore(grant.expiresAt())) {
      accessTokens.remove(token);
      return new Refused("Access token is expired.");
    }
    return new Valid(grant.principal());
  }

  /** The user removed the app: their user-level access and refresh tokens stop working. */
  synchronized void forgetUser(String userId) {
    accessTokens.values().removeIf(g -> userId.equals(g.principal().userId()));
    refreshTokens.values().removeIf(g -> userId.equals(g.principal().userId()));
  }

  /** Forgets the revoked account's tokens, so that they stay dead even if it were re-enabled. */
  synchronized void forget(String accountId) {
    accessTokens.values().removeIf(g -> g.principal().accountId().equals(accountId));
    refreshTokens.values().removeIf(g -> g.principal().accountId().equals(accountId));
    codes.values().removeIf(c -> c.user().accountId().equals(accountId));
  }

  private Optional<ZoomFakeDirectory.Account> basicClient(@Nullable String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(authorization.substring(6).strip()),
              StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notBase64) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0) {
      return Optional.empty();
    }
    return directory.client(decoded.substring(0, colon), decoded.substring(colon + 1));
  }

  /** PKCE S256: {@code BASE64URL(SHA-256(ASCII(code_verifier)))} without padding (RFC 7636). */
  static String s256(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "ZoomFakeOAuth[" + apiUrl + "]";
  }
}
