package org.sessionbridge.connector.microsoft.fake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tenants, app registrations, users and the tokens of the fake identity platform: {@code
 * client_credentials}, {@code authorization_code} with PKCE S256 and rotating {@code
 * refresh_token}. Thread-safe (every method is synchronized).
 */
final class GraphFakeIdentity {

  static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofSeconds(3599);
  private static final Duration CODE_LIFETIME = Duration.ofMinutes(10);

  /** Who a token speaks for: an app in a tenant, and for delegated tokens a user. */
  record Principal(String tenantId, String clientId, @Nullable String userId) {
    boolean delegated() {
      return userId != null;
    }
  }

  record User(String id, String tenantId, String upn) {}

  private record Code(
      String clientId,
      String redirectUri,
      @Nullable String challenge,
      String userId,
      Instant expires) {}

  private record Issued(Principal principal, Instant expires) {}

  private final Clock clock;
  private final GraphFakeCounters counters;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Map<String, String>> appsByTenant = new HashMap<>();
  private final Map<String, String> delegatedApps = new HashMap<>();
  private final Map<String, User> users = new HashMap<>();
  private final Map<String, String> noAccessPolicy = new HashMap<>();
  private final Map<String, Code> codes = new HashMap<>();
  private final Map<String, Issued> accessTokens = new HashMap<>();
  private final Map<String, Principal> refreshTokens = new HashMap<>();

  GraphFakeIdentity(Clock clock, GraphFakeCounters counters) {
    this.clock = clock;
    this.counters = counters;
  }

  synchronized void addApp(String tenantId, String clientId, String clientSecret) {
    appsByTenant.computeIfAbsent(tenantId, t -> new HashMap<>()).put(clientId, clientSecret);
  }

  synchronized boolean hasDelegatedApp(String clientId) {
    return delegatedApps.containsKey(clientId);
  }

  synchronized void addDelegatedApp(String clientId, String clientSecret) {
    delegatedApps.put(clientId, clientSecret);
  }

  synchronized User addUser(String tenantId, String upn) {
    appsByTenant.computeIfAbsent(tenantId, t -> new HashMap<>());
    User user = new User(UUID.randomUUID().toString(), tenantId, upn.toLowerCase(Locale.ROOT));
    users.put(user.id, user);
    return user;
  }

  /** A user by object id or user principal name. */
  synchronized Optional<User> user(String idOrUpn) {
    User byId = users.get(idOrUpn);
    if (byId != null) {
      return Optional.of(byId);
    }
    String upn = idOrUpn.toLowerCase(Locale.ROOT);
    return users.values().stream().filter(u -> u.upn.equals(upn)).findFirst();
  }

  synchronized void removeAccessPolicy(String userId) {
    noAccessPolicy.put(userId, userId);
  }

  synchronized boolean hasAccessPolicy(String userId) {
    return !noAccessPolicy.containsKey(userId);
  }

  /** The app's secret changes: tokens already issued keep working until they expire. */
  synchronized void rotateSecret(String tenantId, String clientId, String newSecret) {
    Map<String, String> apps = appsByTenant.get(tenantId);
    if (apps == null || !apps.containsKey(clientId)) {
      throw new IllegalArgumentException("no such app in the fake");
    }
    apps.put(clientId, newSecret);
  }

  /** Every access token stops working at once (as after a key roll or a revocation). */
  synchronized void revokeAccessTokens() {
    accessTokens.clear();
  }

  /** The user withdraws consent: their refresh and access tokens stop working. */
  synchronized void revokeConsent(String userId) {
    refreshTokens.values().removeIf(p -> userId.equals(p.userId));
    accessTokens.values().removeIf(i -> userId.equals(i.principal.userId));
  }

  synchronized String issueCode(
      String clientId, String redirectUri, @Nullable String challenge, String userId) {
    String code = "fake-code-" + token(24);
    codes.put(
        code,
        new Code(clientId, redirectUri, challenge, userId, clock.instant().plus(CODE_LIFETIME)));
    return code;
  }

  synchronized String issueRefreshToken(String clientId, String userId) {
    User user = users.get(userId);
    if (user == null || !delegatedApps.containsKey(clientId)) {
      throw new IllegalArgumentException("unknown user or delegated app");
    }
    String refresh = "fake-rt-" + token(32);
    refreshTokens.put(refresh, new Principal(user.tenantId, clientId, user.id));
    return refresh;
  }

  synchronized String issueAccessToken(Principal principal) {
    String token = "fake-at-" + token(32);
    accessTokens.put(token, new Issued(principal, clock.instant().plus(ACCESS_TOKEN_LIFETIME)));
    counters.tokenGrants.incrementAndGet();
    return token;
  }

  /** The principal of a bearer header, or the Graph 401 to answer. */
  synchronized Object check(@Nullable String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return GraphFakeReply.error(401, "InvalidAuthenticationToken", "Access token is empty.");
    }
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return GraphFakeReply.error(
          401, "InvalidAuthenticationToken", "Access token validation failure.");
    }
    Issued issued = accessTokens.get(authorization.substring(7).strip());
    if (issued == null) {
      return GraphFakeReply.error(
          401,
          "InvalidAuthenticationToken",
          "IDX14100: JWT is not well formed, there are no dots (.).");
    }
    if (!clock.instant().isBefore(issued.expires)) {
      return GraphFakeReply.error(
          401, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.");
    }
    return issued.principal;
  }

  /** {@code POST /{tenant}/oauth2/v2.0/token}. */
  synchronized GraphFakeReply token(String tenant, Map<String, String> form) {
    String grant = form.getOrDefault("grant_type", "");
    String clientId = form.getOrDefault("client_id", "");
    String secret = form.getOrDefault("client_secret", "");
    switch (grant) {
      case "client_credentials" -> {
        Map<String, String> apps = appsByTenant.get(tenant);
        if (apps == null) {
          return GraphFakeReply.oauthError(
              400,
              "invalid_request",
              "AADSTS90002: Tenant '"
                  + tenant
                  + "' not found. Check to make sure you have the"
                  + " correct tenant ID.",
              90002);
        }
        if (!apps.containsKey(clientId)) {
          return GraphFakeReply.oauthError(
              400,
              "unauthorized_client",
              "AADSTS700016: Application with identifier '"
                  + clientId
                  + "' was not found in the directory '"
                  + tenant
                  + "'.",
              700016);
        }
        if (!constantTimeEquals(apps.get(clientId), secret)) {
          return invalidSecret(clientId);
        }
        if (!form.getOrDefault("scope", "").endsWith("/.default")) {
          return GraphFakeReply.oauthError(
              400,
              "invalid_scope",
              "AADSTS1002012: The provided value for scope is not valid. Client credential flows"
                  + " must have a scope value with /.default suffixed to the resource identifier.",
              1002012);
        }
        return granted(issueAccessToken(new Principal(tenant, clientId, null)), null);
      }
      case "authorization_code" -> {
        if (!delegatedClient(clientId, secret)) {
          return invalidSecret(clientId);
        }
        Code code = codes.remove(form.getOrDefault("code", ""));
        if (code == null || !clock.instant().isBefore(code.expires)) {
          return invalidGrant(
              "AADSTS70008: The provided authorization code or refresh token has expired due to"
                  + " inactivity.",
              70008);
        }
        if (!code.clientId.equals(clientId)
            || !code.redirectUri.equals(form.getOrDefault("redirect_uri", ""))) {
          return invalidGrant(
              "AADSTS50148: The code_verifier does not match the code_challenge supplied in the"
                  + " authorization request for PKCE.",
              50148);
        }
        if (code.challenge != null
            && !code.challenge.equals(s256(form.getOrDefault("code_verifier", "")))) {
          return invalidGrant(
              "AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the"
                  + " authorization request.",
              501481);
        }
        User user = users.get(code.userId);
        Principal principal = new Principal(user.tenantId, clientId, user.id);
        String refresh = "fake-rt-" + token(32);
        refreshTokens.put(refresh, principal);
        return granted(issueAccessToken(principal), refresh);
      }
      case "refresh_token" -> {
        if (!delegatedClient(clientId, secret)) {
          return invalidSecret(clientId);
        }
        Principal principal = refreshTokens.remove(form.getOrDefault("refresh_token", ""));
        if (principal == null || !principal.clientId.equals(clientId)) {
          return invalidGrant(
              "AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth"
                  + " token is needed.",
              50173);
        }
        String rotated = "fake-rt-" + token(32);
        refreshTokens.put(rotated, principal);
        return granted(issueAccessToken(principal), rotated);
      }
      default -> {
        return GraphFakeReply.oauthError(
            400,
            "unsupported_grant_type",
            "AADSTS70003: The app requested an unsupported grant type '" + grant + "'.",
            70003);
      }
    }
  }

  private boolean delegatedClient(String clientId, String secret) {
    String expected = delegatedApps.get(clientId);
    return expected != null && constantTimeEquals(expected, secret);
  }

  private static GraphFakeReply invalidSecret(String clientId) {
    return GraphFakeReply.oauthError(
        401,
        "invalid_client",
        "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the"
            + " request is the client secret value, not the client secret ID, for a secret added"
            + " to app '"
            + clientId
            + "'.",
        7000215);
  }

  private static GraphFakeReply invalidGrant(String description, long code) {
    return GraphFakeReply.oauthError(400, "invalid_grant", description, code);
  }

  private static GraphFakeReply granted(String accessToken, @Nullable String refreshToken) {
    ObjectNode body = GraphFakeReply.MAPPER.createObjectNode();
    body.put("token_type", "Bearer");
    body.put("expires_in", ACCESS_TOKEN_LIFETIME.getSeconds());
    body.put("ext_expires_in", ACCESS_TOKEN_LIFETIME.getSeconds());
    body.put("access_token", accessToken);
    if (refreshToken != null) {
      body.put("refresh_token", refreshToken);
      body.put("scope", "https://graph.microsoft.com/Calendars.ReadWrite");
    }
    return GraphFakeReply.json(200, body);
  }

  private String token(int bytes) {
    byte[] raw = new byte[bytes];
    random.nextBytes(raw);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  static String s256(String verifier) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
