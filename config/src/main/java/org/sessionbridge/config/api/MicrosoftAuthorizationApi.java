package org.sessionbridge.config.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.connector.microsoft.MicrosoftConsent;
import org.sessionbridge.connector.microsoft.MicrosoftDelegatedApp;
import org.sessionbridge.connector.microsoft.MicrosoftTokenEndpoint;
import org.sessionbridge.core.calendar.CalendarLink;
import org.sessionbridge.core.credential.Connection;
import org.sessionbridge.core.credential.ProviderTokenStore;
import org.sessionbridge.core.error.InvalidInputException;
import org.sessionbridge.core.error.NotFoundException;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.core.practice.Staff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A provider links their own Outlook calendar through Microsoft's consent screen (delegated
 * authorization code with PKCE, scopes {@code offline_access Calendars.ReadWrite}), as Google
 * calendars are linked ({@link GoogleAuthorizationApi}): the practice starts it ({@code POST
 * /api/v1/providers/{id}/microsoft-authorization}, or {@code GET /oauth/microsoft/start} as a 302),
 * Microsoft sends the provider back to {@code /oauth/microsoft/callback}, which spends the code,
 * stores the (rotating) refresh token sealed and shows the provider their calendars to pick from
 * ({@link CalendarChoice}). Needs the hub's Entra ID app ({@code sessionbridge.microsoft.client-id}
 * / {@code client-secret}); without it, 503.
 */
@RestController
@Tag(name = "Providers")
final class MicrosoftAuthorizationApi {

  private static final Logger log = LoggerFactory.getLogger(MicrosoftAuthorizationApi.class);

  private final PracticeStore practices;
  private final ObjectProvider<ProviderTokenStore> tokens;
  private final ObjectProvider<MicrosoftConsent> consent;
  private final ObjectProvider<MicrosoftDelegatedApp> app;
  private final MicrosoftTokenEndpoint endpoint;
  private final CalendarLinks links;
  private final CalendarChoice choice;

  MicrosoftAuthorizationApi(
      PracticeStore practices,
      ObjectProvider<ProviderTokenStore> tokens,
      ObjectProvider<MicrosoftConsent> consent,
      ObjectProvider<MicrosoftDelegatedApp> app,
      MicrosoftTokenEndpoint endpoint,
      CalendarLinks links,
      CalendarChoice choice) {
    this.practices = practices;
    this.tokens = tokens;
    this.consent = consent;
    this.app = app;
    this.endpoint = endpoint;
    this.links = links;
    this.choice = choice;
  }

  @PostMapping("/api/v1/providers/{id}/microsoft-authorization")
  @Operation(
      summary = "Start linking the provider's Outlook calendar through Microsoft's consent screen",
      description =
          "Answers the Microsoft URL to send the provider to (valid 10 minutes, single use;"
              + " scopes offline_access and Calendars.ReadWrite). Microsoft returns the provider to"
              + " /oauth/microsoft/callback, where they pick their calendars. 503 without"
              + " sessionbridge.microsoft.client-id/client-secret or the encryption key.")
  GoogleAuthorizationApi.AuthorizationStart start(
      Caller.PracticeMember caller, @PathVariable UUID id) {
    MicrosoftConsent screen = screen();
    ProviderTokenStore store = ZoomAuthorizationApi.store(tokens);
    Staff provider =
        practices
            .staff(caller.practiceId(), id)
            .orElseThrow(() -> new NotFoundException("provider"));
    ProviderTokenStore.Start start =
        store.begin(caller.practiceId(), id, Connection.Kind.MICROSOFT);
    return new GoogleAuthorizationApi.AuthorizationStart(
        screen.authorizeUrl(start.state(), start.codeChallenge(), provider.email()).toString(),
        start.expiresAt().toString());
  }

  @GetMapping("/oauth/microsoft/start")
  @Operation(
      summary = "Start linking the provider's Outlook calendar, as a redirect",
      description = "The call above answered as 302 to Microsoft; needs the practice key.")
  ResponseEntity<GoogleAuthorizationApi.AuthorizationStart> redirect(
      Caller.PracticeMember caller,
      @RequestParam(name = "providerId", required = false) @Nullable String providerId) {
    return OAuthCallbacks.redirect(start(caller, OAuthCallbacks.providerId(providerId)));
  }

  @GetMapping("/oauth/microsoft/callback")
  @Operation(
      summary = "Microsoft's redirect after a provider consented to linking their calendar",
      description =
          "Not called by practices. 200 with the page where the provider picks their calendars"
              + " (or says the calendars linked before are used again); 422 naming state or code;"
              + " 503 when Microsoft could not be reached.")
  ResponseEntity<String> callback(
      @RequestParam(name = "code", required = false) @Nullable String code,
      @RequestParam(name = "state", required = false) @Nullable String state,
      @RequestParam(name = "error", required = false) @Nullable String error) {
    MicrosoftConsent screen = screen();
    MicrosoftDelegatedApp registered = app.getObject();
    ProviderTokenStore store = ZoomAuthorizationApi.store(tokens);
    OAuthCallbacks.Returned returned =
        OAuthCallbacks.accept(store, Connection.Kind.MICROSOFT, "Microsoft", state, code, error);
    ProviderTokenStore.Pending pending = returned.pending();
    MicrosoftTokenEndpoint.CodeGrant grant;
    try {
      grant = endpoint.exchange(registered, returned.code(), pending.codeVerifier());
    } catch (MicrosoftTokenEndpoint.Refused e) {
      throw InvalidInputException.rule(
          "code",
          "Microsoft refused the authorization code: "
              + e.getMessage()
              + "; start the authorization again");
    } catch (java.io.IOException e) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "Microsoft unavailable",
          "Microsoft could not be asked to confirm the authorization ("
              + e.getMessage()
              + "); start the authorization again later");
    }
    List<CalendarLink> linked =
        links.authorize(
            store,
            pending.practiceId(),
            pending.providerId(),
            CalendarLink.Kind.MICROSOFT,
            new ProviderTokenStore.Tokens(
                grant.accessToken(), grant.refreshToken(), grant.expiresIn()));
    log.info(
        "provider {} of practice {} consented on Microsoft's screen ({} calendar(s) linked before)",
        pending.providerId(),
        pending.practiceId(),
        linked.size());
    if (!linked.isEmpty()) {
      return CalendarChoice.page(
          HttpStatus.OK, CalendarChoice.reconnectedPage(CalendarLink.Kind.MICROSOFT));
    }
    return choice.offer(
        pending.practiceId(),
        pending.providerId(),
        CalendarLink.Kind.MICROSOFT,
        grant.accessToken());
  }

  private MicrosoftConsent screen() {
    MicrosoftConsent screen = consent.getIfAvailable();
    if (screen == null) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "Microsoft not configured",
          "the operator must set sessionbridge.microsoft.client-id and"
              + " sessionbridge.microsoft.client-secret (the hub's Entra ID app whose redirect URI"
              + " is {sessionbridge.public-base-url}/oauth/microsoft/callback)");
    }
    return screen;
  }
}
