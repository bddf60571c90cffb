package org.sessionbridge.connector.zoom.fake;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The fake's accounts (each with one Server-to-Server / OAuth app: client id and secret) and users.
 * Thread-safe: every method holds this object's monitor.
 */
final class ZoomFakeDirectory {

  /** Zoom returns start times in the user's zone when none is given; the fake's users are UTC. */
  static final String USER_TIMEZONE = "UTC";

  record Account(String id, String clientId, String clientSecret) {
    @Override
    public String toString() {
      return "Account[" + id + ", clientId=" + clientId + ", clientSecret=<redacted>]";
    }
  }

  record User(String id, String email, String accountId) {
    @Override
    public String toString() {
      return "User[" + id + ", accountId=" + accountId + "]"; // no e-mail
    }
  }

  private final Map<String, Account> accounts = new HashMap<>();
  private final Map<String, Account> accountsByClient = new HashMap<>();
  private final Set<String> revoked = new HashSet<>();
  private final Map<String, User> usersById = new LinkedHashMap<>();
  private final Map<String, User> usersByEmail = new HashMap<>();
  private final ZoomFakeRandom random;

  ZoomFakeDirectory(ZoomFakeRandom random) {
    this.random = random;
  }

  synchronized void addAccount(String accountId, String clientId, String clientSecret) {
    notBlank("accountId", accountId);
    notBlank("clientId", clientId);
    notBlank("clientSecret", clientSecret);
    if (accounts.containsKey(accountId)) {
      throw new IllegalArgumentException("the fake already has account " + accountId);
    }
    if (accountsByClient.containsKey(clientId)) {
      throw new IllegalArgumentException("the fake already has client id " + clientId);
    }
    Account account = new Account(accountId, clientId, clientSecret);
    accounts.put(accountId, account);
    accountsByClient.put(clientId, account);
  }

  synchronized User addUser(String accountId, String email) {
    notBlank("email", email);
    if (!accounts.containsKey(accountId)) {
      throw new IllegalArgumentException("the fake has no account " + accountId);
    }
    String key = email.toLowerCase(Locale.ROOT);
    if (usersByEmail.containsKey(key)) {
      throw new IllegalArgumentException("the fake already has a user with this e-mail");
    }
    String id;
    do {
      id = random.userId();
    } while (usersById.containsKey(id));
    User user = new User(id, email, accountId);
    usersById.put(id, user);
    usersByEmail.put(key, user);
    return user;
  }

  synchronized void revoke(String accountId) {
    if (!accounts.containsKey(accountId)) {
      throw new IllegalArgumentException("the fake has no account " + accountId);
    }
    revoked.add(accountId);
  }

  synchronized boolean isActive(String accountId) {
    return accounts.containsKey(accountId) && !revoked.contains(accountId);
  }

  /** The active account of this client, if the secret matches (compared in constant time). */
  synchronized Optional<Account> client(String clientId, String clientSecret) {
    Account account = accountsByClient.get(clientId);
    if (account == null || revoked.contains(account.id())) {
      return Optional.empty();
    }
    boolean matches =
        MessageDigest.isEqual(
            account.clientSecret().getBytes(StandardCharsets.UTF_8),
            clientSecret.getBytes(StandardCharsets.UTF_8));
    return matches ? Optional.of(account) : Optional.empty();
  }

  synchronized Optional<Account> clientAccount(String clientId) {
    return Optional.ofNullable(accountsByClient.get(clientId));
  }

  /** A user of this account by id or e-mail (case-insensitive), as Zoom's {@code {userId}}. */
  synchronized Optional<User> user(String accountId, String idOrEmail) {
    User user = usersById.get(idOrEmail);
    if (user == null) {
      user = usersByEmail.get(idOrEmail.toLowerCase(Locale.ROOT));
    }
    return user != null && user.accountId().equals(accountId)
        ? Optional.of(user)
        : Optional.empty();
  }

  synchronized Optional<User> userById(String id) {
    return Optional.ofNullable(usersById.get(id));
  }

  synchronized Optional<User> userByEmail(String email) {
    return Optional.ofNullable(usersByEmail.get(email.toLowerCase(Locale.ROOT)));
  }

  /** The account's first user: what {@code me} means for an account-level (S2S) token here. */
  synchronized Optional<User> firstUser(String accountId) {
    return usersById.values().stream().filter(u -> u.accountId().equals(accountId)).findFirst();
  }

  private static void notBlank(String what, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
  }
}
