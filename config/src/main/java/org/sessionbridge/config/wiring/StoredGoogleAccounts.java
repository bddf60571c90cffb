package org.sessionbridge.config.wiring;

import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import org.sessionbridge.connector.google.GoogleTokenEndpoint;
import org.sessionbridge.core.calendar.CalendarAccount;
import org.sessionbridge.core.calendar.CalendarLink;
import org.sessionbridge.core.credential.Connection;
import org.sessionbridge.core.credential.ProviderToken;
import org.sessionbridge.core.credential.ProviderTokenStore;
import org.sessionbridge.core.port.CalendarProviderException;
import org.sessionbridge.routes.calendar.CalendarAccounts;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Providers' Google accounts for the calendar routes: the sealed tokens of the {@link
 * ProviderTokenStore} (kind {@code GOOGLE}), refreshed there once under the row lock through
 * Google's token endpoint. Google does not rotate refresh tokens, so the one spent is stored again.
 * {@code invalid_grant} marks the tokens {@code NEEDS_REAUTHORIZATION} and answers {@link
 * CalendarProviderException.NotAuthorized}; a token endpoint that could not be asked changes
 * nothing and answers {@link CalendarProviderException.Retryable}.
 */
final class StoredGoogleAccounts implements CalendarAccounts {

  private final ObjectProvider<ProviderTokenStore> tokens;
  private final ObjectProvider<GoogleTokenEndpoint> endpoint;

  StoredGoogleAccounts(
      ObjectProvider<ProviderTokenStore> tokens, ObjectProvider<GoogleTokenEndpoint> endpoint) {
    this.tokens = tokens;
    this.endpoint = endpoint;
  }

  @Override
  public Optional<CalendarAccount> account(CalendarLink link) {
    return account(link.practiceId(), link.providerId(), link.kind());
  }

  @Override
  public Optional<CalendarAccount> account(
      UUID practiceId, UUID providerId, CalendarLink.Kind kind) {
    ProviderTokenStore store = tokens.getIfAvailable();
    if (store == null || kind != CalendarLink.Kind.GOOGLE) {
      return Optional.empty();
    }
    Optional<ProviderToken> token = store.find(practiceId, providerId, Connection.Kind.GOOGLE);
    if (token.isEmpty() || !Connection.CONNECTED.equals(token.get().status())) {
      return Optional.empty();
    }
    return Optional.of(new Account(store, practiceId, providerId));
  }

  /** Spends a refresh token at Google; used by the routes and by the links API's check. */
  static ProviderTokenStore.Tokens refresh(GoogleTokenEndpoint google, String refreshToken) {
    try {
      GoogleTokenEndpoint.Grant grant = google.refresh(refreshToken);
      return new ProviderTokenStore.Tokens(grant.accessToken(), refreshToken, grant.expiresIn());
    } catch (GoogleTokenEndpoint.Refused refused) {
      if (refused.invalidGrant()) {
        throw new ProviderTokenStore.RefreshRefused(refused.getMessage());
      }
      // invalid_client and the like: the hub's settings, not the provider's consent.
      throw new IllegalStateException(refused.getMessage());
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private final class Account implements CalendarAccount {
    private final ProviderTokenStore store;
    private final UUID practiceId;
    private final UUID providerId;

    Account(ProviderTokenStore store, UUID practiceId, UUID providerId) {
      this.store = store;
      this.practiceId = practiceId;
      this.providerId = providerId;
    }

    @Override
    public String id() {
      return "google:" + providerId;
    }

    @Override
    public String accessToken() {
      Optional<String> token;
      try {
        token =
            store.accessToken(
                practiceId,
                providerId,
                Connection.Kind.GOOGLE,
                refreshToken -> {
                  GoogleTokenEndpoint google = endpoint.getIfAvailable();
                  if (google == null) {
                    throw new IllegalStateException(
                        "sessionbridge.google.client-id and client-secret are not set: Google"
                            + " tokens cannot be refreshed");
                  }
                  return refresh(google, refreshToken);
                });
      } catch (IllegalStateException e) {
        throw new CalendarProviderException.Retryable(
            "Google's token endpoint: " + e.getMessage(), null, null);
      }
      return token.orElseThrow(
          () ->
              new CalendarProviderException.NotAuthorized(
                  store
                      .find(practiceId, providerId, Connection.Kind.GOOGLE)
                      .map(t -> t.statusReason() == null ? "not authorised" : t.statusReason())
                      .orElse("the provider's Google account is not linked"),
                  null));
    }

    @Override
    public void invalidate(String rejected) {
      store.invalidate(practiceId, providerId, Connection.Kind.GOOGLE, rejected);
    }

    @Override
    public String toString() {
      return "GoogleAccount[" + id() + "]";
    }
  }

  @Override
  public String toString() {
    return "StoredGoogleAccounts";
  }
}
