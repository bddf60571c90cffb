package org.sessionbridge.config.api;

import java.net.URI;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.credential.Connection;
import org.sessionbridge.core.credential.ProviderTokenStore;
import org.sessionbridge.core.error.InvalidInputException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * What the vendors' OAuth flows share: the {@code /oauth/{vendor}/start} redirect, and what every
 * callback (Zoom, Google, Microsoft) checks first: a state was sent, it is spent now (even if what
 * follows fails: the provider starts again), it was issued for this vendor's flow, and the vendor
 * sent a code rather than an error. Problems name {@code state} or {@code code}; the vendor's error
 * is echoed only when it is a plain OAuth error word.
 */
final class OAuthCallbacks {

  private OAuthCallbacks() {}

  /** The {@code providerId} of a {@code GET /oauth/{vendor}/start}, a UUID or a 400 naming it. */
  static UUID providerId(@Nullable String providerId) {
    try {
      return UUID.fromString(String.valueOf(providerId).strip());
    } catch (IllegalArgumentException e) {
      throw InvalidInputException.malformed("providerId", "must be a provider's id (a UUID)");
    }
  }

  /** A started authorisation answered as a 302 to the vendor's consent screen. */
  static ResponseEntity<GoogleAuthorizationApi.AuthorizationStart> redirect(
      GoogleAuthorizationApi.AuthorizationStart start) {
    return ResponseEntity.status(HttpStatus.FOUND)
        .location(URI.create(start.authorizeUrl()))
        .header("Cache-Control", "no-store")
        .header("Referrer-Policy", "no-referrer")
        .body(start);
  }

  /** The spent state's authorisation and the code to exchange (stripped). */
  record Returned(ProviderTokenStore.Pending pending, String code) {
    @Override
    public String toString() {
      return "Returned[" + pending + ", code=<redacted>]";
    }
  }

  static Returned accept(
      ProviderTokenStore store,
      Connection.Kind kind,
      String vendor,
      @Nullable String state,
      @Nullable String code,
      @Nullable String error) {
    if (state == null || state.isBlank()) {
      throw InvalidInputException.malformed(
          "state", "missing: the callback needs the state the hub sent to " + vendor);
    }
    ProviderTokenStore.Pending pending = store.consume(state); // spent from here on
    if (pending.kind() != kind) {
      throw InvalidInputException.rule(
          "state", "issued for another kind of authorization; start the authorization again");
    }
    if (error != null && !error.isBlank()) {
      throw InvalidInputException.rule(
          "code",
          vendor
              + " sent no authorization code ("
              + (error.matches("[A-Za-z0-9_.-]{1,64}") ? error : "error")
              + "): the provider declined or "
              + vendor
              + " refused; start the authorization again");
    }
    if (code == null || code.isBlank()) {
      throw InvalidInputException.malformed(
          "code", "missing: " + vendor + " sends it with the state");
    }
    return new Returned(pending, code.strip());
  }
}
