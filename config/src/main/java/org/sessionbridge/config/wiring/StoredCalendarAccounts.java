package org.sessionbridge.config.wiring;

import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import org.sessionbridge.connector.google.GoogleTokenEndpoint;
import org.sessionbridge.connector.microsoft.MicrosoftDelegatedApp;
import org.sessionbridge.connector.microsoft.MicrosoftTokenEndpoint;
import org.sessionbridge.core.calendar.CalendarAccount;
import org.sessionbridge.core.calendar.CalendarLink;
import org.sessionbridge.core.credential.Connection;
import org.sessionbridge.core.credential.ProviderToken;
import org.sessionbridge.core.credential.ProviderTokenStore;
import org.sessionbridge.core.port.CalendarProviderException;
import org.sessionbridge.routes.calendar.CalendarAccounts;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Providers' Google and Microsoft accounts for the calendar routes: the sealed tokens of the {@link
 * ProviderTokenStore} (kind {@code GOOGLE} or {@code MICROSOFT}), refreshed there once under the
 * row lock through the vendor's token endpoint. Google does not rotate refresh tokens, so the one
 * spent is stored again; Microsoft does, and the new one is stored in the same transaction. {@code
 * invalid_grant} marks the tokens {@code NEEDS_REAUTHORIZATION} and answers {@link
 * CalendarProviderException.NotAuthorized}; a token endpoint that could not be asked changes
 * nothing and answers {@link CalendarProviderException.Retryable}. Account ids are {@code
 * google:<providerId>} and {@code microsoft:<providerId>} ({@code KindRoutedCalendarProvider}
 * routes on them).
 */
final class StoredCalendarAccounts implements CalendarAccounts {

  private final ObjectProvider<ProviderTokenStore> tokens;
  private final ObjectProvider<GoogleTokenEndpoint> google;
  private final MicrosoftTokenEndpoint microsoft;
  private final ObjectProvider<MicrosoftDelegatedApp> microsoftApp;

  StoredCalendarAccounts(
      ObjectProvider<ProviderTokenStore> tokens,
      ObjectProvider<GoogleTokenEndpoint> google,
      MicrosoftTokenEndpoint microsoft,
      ObjectProvider<MicrosoftDelegatedApp> microsoftApp) {
    this.tokens = tokens;
    this.google = google;
    this.microsoft = microsoft;
    this.microsoftApp = microsoftApp;
  }

  @Override
  public Optional<CalendarAccount> account(CalendarLink link) {
    return account(link.practiceId(), link.providerId(), link.kind());
  }

  @Override
  public Optional<CalendarAccount> account(
      UUID practiceId, UUID providerId, CalendarLink.Kind kind) {
    ProviderTokenStore store = tokens.getIfAvailable();
    if (store == null) {
      return Optional.empty();
    }
    Connection.Kind tokenKind = kind.credentialKind();
    Optional<ProviderToken> token = store.find(practiceId, providerId, tokenKind);
    if (token.isEmpty() || !Connection.CONNECTED.equals(token.get().status())) {
      return Optional.empty();
    }
    return Optional.of(new Account(store, practiceId, providerId, kind));
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

  /** Spends a refresh token at Microsoft, which answers a new one to store in its place. */
  static ProviderTokenStore.Tokens refresh(
      MicrosoftTokenEndpoint microsoft, MicrosoftDelegatedApp app, String refreshToken) {
    try {
      MicrosoftTokenEndpoint.CodeGrant grant = microsoft.refresh(app, refreshToken);
      return new ProviderTokenStore.Tokens(
          grant.accessToken(), grant.refreshToken(), grant.expiresIn());
    } catch (MicrosoftTokenEndpoint.ConsentRevoked revoked) {
      throw new ProviderTokenStore.RefreshRefused(revoked.getMessage());
    } catch (MicrosoftTokenEndpoint.Refused refused) {
      throw new IllegalStateException(refused.getMessage());
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private ProviderTokenStore.Tokens refreshAt(CalendarLink.Kind kind, String refreshToken) {
    if (kind == CalendarLink.Kind.GOOGLE) {
      GoogleTokenEndpoint endpoint = google.getIfAvailable();
      if (endpoint == null) {
        throw new IllegalStateException(
            "sessionbridge.google.client-id and client-secret are not set: Google tokens cannot"
                + " be refreshed");
      }
      return refresh(endpoint, refreshToken);
    }
    MicrosoftDelegatedApp app = microsoftApp.getIfAvailable();
    if (app == null) {
      throw new IllegalStateException(
          "sessionbridge.microsoft.client-id and client-secret are not set: Microsoft tokens"
              + " cannot be refreshed");
    }
    return refresh(microsoft, app, refreshToken);
  }

  private final class Account implements CalendarAccount {
    private final ProviderTokenStore store;
    private final UUID practiceId;
    private final UUID providerId;
    private final CalendarLink.Kind kind;

    Account(ProviderTokenStore store, UUID practiceId, UUID providerId, CalendarLink.Kind kind) {
      this.store = store;
      this.practiceId = practiceId;
      this.providerId = providerId;
      this.kind = kind;
    }

    @Override
    public String id() {
      return kind.accountId(providerId);
    }

    @Override
    public String accessToken() {
      Optional<String> token;
      try {
        token =
            store.accessToken(
                practiceId, providerId, kind.credentialKind(), refresh -> refreshAt(kind, refresh));
      } catch (IllegalStateException e) {
        throw new CalendarProviderException.Retryable(
            kind + " token endpoint: " + e.getMessage(), null, null);
      }
      return token.orElseThrow(
          () ->
              new CalendarProviderException.NotAuthorized(
                  store
                      .find(practiceId, providerId, kind.credentialKind())
                      .map(t -> t.statusReason() == null ? "not authorised" : t.statusReason())
                      .orElse("the provider's " + kind + " account is not linked"),
                  null));
    }

    @Override
    public void invalidate(String rejected) {
      store.invalidate(practiceId, providerId, kind.credentialKind(), rejected);
    }

    @Override
    public String toString() {
      return "CalendarAccount[" + id() + "]";
    }
  }

  @Override
  public String toString() {
    return "StoredCalendarAccounts";
  }
}
