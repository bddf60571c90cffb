package org.sessionbridge.connector.google.fake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Google's OAuth 2.0 token endpoint ({@code POST /token}) and revocation endpoint ({@code POST
 * /revoke}) as served by {@code oauth2.googleapis.com}, and the bearer check of the Calendar API.
 *
 * <ul>
 *   <li>{@code authorization_code}: a code from {@link GoogleFake#issueAuthorizationCode}, single
 *       use, 10 minutes; {@code redirect_uri} must match ({@code redirect_uri_mismatch}); with a
 *       PKCE S256 challenge the {@code code_verifier} must hash to it ({@code invalid_grant}).
 *       Answers an access token (1 hour, {@code expires_in: 3599}) and a refresh token (offline
 *       access is assumed).
 *   <li>{@code refresh_token}: a new access token; the refresh token is <b>not</b> rotated and no
 *       new one is returned, as Google does by default.
 *   <li>Revocation ({@code /revoke?token=} an access or refresh token, or {@link
 *       GoogleFake#revokeUser}) ends the whole grant: its tokens stop working and a refresh answers
 *       400 {@code invalid_grant} "Token has been expired or revoked.".
 * </ul>
 *
 * Clients authenticate with {@code client_id}/{@code client_secret} in the form or HTTP Basic.
 * Thread-safe (one lock).
 */
final class GoogleFakeOAuth {

  static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofHours(1);
  static final Duration CODE_LIFETIME = Duration.ofMinutes(10);

  /** Scopes that allow writing events; any calendar scope allows reading. */
  static final Set<String> WRITE_SCOPES =
      Set.of(
          "https://www.googleapis.com/auth/calendar",
          "https://www.googleapis.com/auth/calendar.events",
          "https://www.googleapis.com/auth/calendar.events.owned");

  static final Set<String> READ_SCOPES =
      Set.of(
          "https://www.googleapis.com/auth/calendar.readonly",
          "https://www.googleapis.com/auth/calendar.events.readonly",
          "https://www.googleapis.com/auth/calendar.events.owned.readonly");

  /** Who a valid access token speaks for. */
  record Principal(String email, Set<String> scopes) {
    boolean canRead() {
      return scopes.stream().anyMatch(s -> WRITE_SCOPES.contains(s) || READ_SCOPES.contains(s));
    }

    boolean canWrite() {
      return scopes.stream().anyMatch(WRITE_SCOPES::contains);
    }

    @Override
    public String toString() {
      return "Principal[<redacted>, scopes=" + scopes + "]";
    }
  }

  /** The outcome of a bearer check. */
  sealed interface Check permits Valid, Refused {}

  record Valid(Principal principal) implements Check {}

  record Refused(GoogleFakeReply reply) implements Check {}

  private record Code(
      String clientId,
      String redirectUri,
      @Nullable String challenge,
      String email,
      Set<String> scopes,
      Instant expiresAt) {}

  private static final class Grant {
    final String clientId;
    final String email;
    final Set<String> scopes;
    final @Nullable String refreshToken;
    boolean revoked;

    Grant(String clientId, String email, Set<String> scopes, @Nullable String refreshToken) {
      this.clientId = clientId;
      this.email = email;
      this.scopes = scopes;
      this.refreshToken = refreshToken;
    }
  }

  private record Access(Grant grant, Instant expiresAt) {}

  private final Clock clock;
  private final JsonMapper json;
  private final GoogleFakeCounters counters;
  private final Predicate<String> knownUser;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, String> clients = new HashMap<>();
  private final Map<String, Code> codes = new HashMap<>();
  private final Map<String, Grant> refreshTokens = new HashMap<>();
  private final Map<String, Access> accessTokens = new HashMap<>();

  GoogleFakeOAuth(
      Clock clock, JsonMapper json, GoogleFakeCounters counters, Predicate<String> knownUser) {
    this.clock = clock;
    this.json = json;
    this.counters = counters;
    this.knownUser = knownUser;
  }

  synchronized void addClient(String clientId, String clientSecret) {
    if (clientId.isBlank() || clientSecret.isBlank()) {
      throw new IllegalArgumentException("a client needs a non-blank id and secret");
    }
    clients.put(clientId, clientSecret);
  }

  synchronized String issueCode(
      String clientId,
      String redirectUri,
      @Nullable String codeChallenge,
      String email,
      Collection<String> scopes) {
    if (!clients.containsKey(clientId)) {
      throw new IllegalArgumentException("unknown client; call addClient first");
    }
    if (!knownUser.test(email)) {
      throw new IllegalArgumentException("the fake has no such user; call addUser first");
    }
    if (scopes.isEmpty()) {
      throw new IllegalArgumentException("at least one scope is needed");
    }
    String code = "4/0" + token(48);
    codes.put(
        code,
        new Code(
            clientId,
            redirectUri,
            codeChallenge,
            email,
            Set.copyOf(new LinkedHashSet<>(scopes)),
            clock.instant().plus(CODE_LIFETIME)));
    return code;
  }

  /** An access token as if a grant had been made and exchanged already (demo, benchmark). */
  synchronized String issueRefreshToken(String clientId, String email, Collection<String> scopes) {
    if (!clients.containsKey(clientId)) {
      throw new IllegalArgumentException("unknown client " + clientId);
    }
    String refresh = "1//0" + token(48);
    refreshTokens.put(refresh, new Grant(clientId, email, Set.copyOf(scopes), refresh));
    return refresh;
  }

  synchronized String issueAccessToken(String email, Collection<String> scopes) {
    if (!knownUser.test(email)) {
      throw new IllegalArgumentException("the fake has no such user; call addUser first");
    }
    Grant grant = new Grant("fake-direct", email, Set.copyOf(scopes), null);
    String access = "ya29." + token(64);
    accessTokens.put(access, new Access(grant, clock.instant().plus(ACCESS_TOKEN_LIFETIME)));
    counters.tokenGrants.incrementAndGet();
    return access;
  }

  synchronized void revokeUser(String email) {
    refreshTokens.values().stream()
        .filter(g -> g.email.equals(email))
        .forEach(g -> g.revoked = true);
    accessTokens.values().stream()
        .map(Access::grant)
        .filter(g -> g.email.equals(email))
        .forEach(g -> g.revoked = true);
    codes.values().removeIf(c -> c.email().equals(email));
  }

  synchronized GoogleFakeReply token(@Nullable String authorization, Map<String, String> form) {
    String clientId = form.get("client_id");
    String clientSecret = form.get("client_secret");
    if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded;
      try {
        decoded =
            new String(
                Base64.getDecoder().decode(authorization.substring(6).trim()),
                StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return GoogleFakeReply.oauthError(401, "invalid_client", "Unauthorized");
      }
      int colon = decoded.indexOf(':');
      if (colon > 0) {
        clientId = decoded.substring(0, colon);
        clientSecret = decoded.substring(colon + 1);
      }
    }
    if (clientId == null || !clients.containsKey(clientId)) {
      return GoogleFakeReply.oauthError(401, "invalid_client", "The OAuth client was not found.");
    }
    if (clientSecret == null || !clients.get(clientId).equals(clientSecret)) {
      return GoogleFakeReply.oauthError(401, "invalid_client", "Unauthorized");
    }
    String grantType = form.getOrDefault("grant_type", "");
    return switch (grantType) {
      case "authorization_code" -> exchangeCode(clientId, form);
      case "refresh_token" -> refresh(clientId, form.getOrDefault("refresh_token", ""));
      case "" -> GoogleFakeReply.oauthError(400, "unsupported_grant_type", "Invalid grant_type: ");
      default ->
          GoogleFakeReply.oauthError(
              400, "unsupported_grant_type", "Invalid grant_type: " + grantType);
    };
  }

  private GoogleFakeReply exchangeCode(String clientId, Map<String, String> form) {
    Code code = codes.remove(form.getOrDefault("code", "")); // single use, even when refused
    if (code == null || !code.clientId().equals(clientId)) {
      return GoogleFakeReply.oauthError(400, "invalid_grant", "Malformed auth code.");
    }
    if (!clock.instant().isBefore(code.expiresAt())) {
      return GoogleFakeReply.oauthError(400, "invalid_grant", "Bad Request");
    }
    if (!code.redirectUri().equals(form.get("redirect_uri"))) {
      return GoogleFakeReply.oauthError(400, "redirect_uri_mismatch", "Bad Request");
    }
    if (code.challenge() != null) {
      String verifier = form.get("code_verifier");
      if (verifier == null || verifier.isEmpty()) {
        return GoogleFakeReply.oauthError(400, "invalid_grant", "Missing code verifier.");
      }
      if (!MessageDigest.isEqual(
          s256(verifier).getBytes(StandardCharsets.US_ASCII),
          code.challenge().getBytes(StandardCharsets.US_ASCII))) {
        return GoogleFakeReply.oauthError(400, "invalid_grant", "Invalid code verifier.");
      }
    }
    String refresh = "1//0" + token(48);
    Grant grant = new Grant(clientId, code.email(), code.scopes(), refresh);
    refreshTokens.put(refresh, grant);
    return tokenAnswer(grant, refresh);
  }

  private GoogleFakeReply refresh(String clientId, String refreshToken) {
    Grant grant = refreshTokens.get(refreshToken);
    if (grant == null || grant.revoked || !grant.clientId.equals(clientId)) {
      return GoogleFakeReply.oauthError(400, "invalid_grant", "Token has been expired or revoked.");
    }
    return tokenAnswer(grant, null);
  }

  private GoogleFakeReply tokenAnswer(Grant grant, @Nullable String refresh) {
    String access = "ya29." + token(64);
    accessTokens.put(access, new Access(grant, clock.instant().plus(ACCESS_TOKEN_LIFETIME)));
    counters.tokenGrants.incrementAndGet();
    ObjectNode body = json.createObjectNode();
    body.put("access_token", access);
    body.put("expires_in", ACCESS_TOKEN_LIFETIME.toSeconds() - 1);
    if (refresh != null) {
      body.put("refresh_token", refresh);
    }
    body.put("scope", String.join(" ", grant.scopes));
    body.put("token_type", "Bearer");
    return GoogleFakeReply.json(200, body);
  }

  /**
   * {@code POST /revoke} with {@code token} (access or refresh): ends the grant; 200 {@code {}}.
   */
  synchronized GoogleFakeReply revoke(String token) {
    Grant grant = refreshTokens.get(token);
    if (grant == null) {
      Access access = accessTokens.get(token);
      grant = access == null ? null : access.grant();
    }
    if (grant == null || grant.revoked) {
      return GoogleFakeReply.oauthError(400, "invalid_token", "Token expired or revoked");
    }
    grant.revoked = true;
    return GoogleFakeReply.json(200, json.createObjectNode());
  }

  /**
   * The principal of {@code Authorization: Bearer …}, or Google's 401: {@code required} ("Login
   * Required.") without credentials, {@code authError} ("Invalid Credentials") for an unknown,
   * expired or revoked token.
   */
  synchronized Check check(@Nullable String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return unauthorized("required", "Login Required.");
    }
    Access access = accessTokens.get(authorization.substring(7).trim());
    if (access == null || access.grant().revoked) {
      return unauthorized("authError", "Invalid Credentials");
    }
    if (!clock.instant().isBefore(access.expiresAt())) {
      accessTokens.values().remove(access);
      return unauthorized("authError", "Invalid Credentials");
    }
    return new Valid(new Principal(access.grant().email, access.grant().scopes));
  }

  private static Refused unauthorized(String reason, String message) {
    return new Refused(
        GoogleFakeReply.error(401, "global", reason, message)
            .withHeaders(
                Map.of(
                    "WWW-Authenticate",
                    "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"")));
  }

  static String s256(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private String token(int bytes) {
    byte[] raw = new byte[bytes];
    random.nextBytes(raw);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  static List<String> scopes(String spaceSeparated) {
    return List.of(spaceSeparated.trim().split("\\s+"));
  }
}
