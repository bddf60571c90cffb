package org.sessionbridge.config.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.connector.google.GoogleTokenEndpoint;
import org.sessionbridge.connector.microsoft.MicrosoftDelegatedApp;
import org.sessionbridge.connector.microsoft.MicrosoftTokenEndpoint;
import org.sessionbridge.core.calendar.BusyBlock;
import org.sessionbridge.core.calendar.CalendarLink;
import org.sessionbridge.core.calendar.CalendarStore;
import org.sessionbridge.core.calendar.Removal;
import org.sessionbridge.core.credential.ProviderTokenStore;
import org.sessionbridge.core.error.ConflictException;
import org.sessionbridge.core.error.InvalidInputException;
import org.sessionbridge.core.error.NotFoundException;
import org.sessionbridge.core.practice.PracticeStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Providers' external calendars (docs/CALENDARS.md). {@code POST} links a Google calendar for a
 * practice system that already holds the provider's refresh token: the token is checked by
 * obtaining an access token from Google, then stored sealed; it is never answered, logged or echoed
 * in an error.
 */
@RestController
@RequestMapping("/api/v1/providers/{id}/calendars")
@Tag(name = "Providers")
final class CalendarApi {

  private final PracticeStore practices;
  private final CalendarStore calendars;
  private final ObjectProvider<ProviderTokenStore> tokens;
  private final ObjectProvider<GoogleTokenEndpoint> google;
  private final CalendarLinks links;
  private final MicrosoftTokenEndpoint microsoft;
  private final ObjectProvider<MicrosoftDelegatedApp> microsoftApp;

  CalendarApi(
      PracticeStore practices,
      CalendarStore calendars,
      ObjectProvider<ProviderTokenStore> tokens,
      ObjectProvider<GoogleTokenEndpoint> google,
      CalendarLinks links,
      MicrosoftTokenEndpoint microsoft,
      ObjectProvider<MicrosoftDelegatedApp> microsoftApp) {
    this.microsoft = microsoft;
    this.microsoftApp = microsoftApp;
    this.practices = practices;
    this.calendars = calendars;
    this.tokens = tokens;
    this.google = google;
    this.links = links;
  }

  /** Kinds the hub can link. */
  enum LinkableKind {
    GOOGLE,
    MICROSOFT
  }

  record NewCalendar(
      @Nullable String kind,
      @Nullable String refreshToken,
      @Nullable String calendarId,
      @Nullable Boolean receivesSessions,
      @Nullable Boolean busy,
      @Nullable String removal) {
    @Override
    public String toString() {
      return "NewCalendar[kind="
          + kind
          + ", calendarId="
          + calendarId
          + ", refreshToken=<redacted>]";
    }
  }

  /**
   * @param receivesSessions whether the provider's sessions are put in it (false: it only counts as
   *     busy time)
   * @param status {@code ACTIVE}, {@code NEEDS_REAUTHORIZATION} (link again with a new refresh
   *     token; parked events then resume) or {@code CALENDAR_GONE}
   * @param problem why the link stopped, when it did
   */
  record CalendarView(
      UUID id,
      String kind,
      String calendarId,
      boolean receivesSessions,
      boolean busy,
      String removal,
      String status,
      @Nullable String problem) {
    static CalendarView of(CalendarLink l) {
      return new CalendarView(
          l.id(),
          l.kind().name(),
          l.calendarId(),
          l.receivesSessions(),
          l.countsBusy(),
          l.removal().name(),
          l.status().name(),
          l.statusReason());
    }
  }

  record BusyView(String externalId, String start, String end, boolean allDay) {
    static BusyView of(BusyBlock b) {
      return new BusyView(b.externalId(), b.start().toString(), b.end().toString(), b.allDay());
    }
  }

  @PostMapping
  @Operation(
      summary =
          "Link a provider's Google or Outlook calendar with a refresh token the practice holds",
      description =
          "kind GOOGLE or MICROSOFT (Outlook through Microsoft Graph; Microsoft's answer carries a"
              + " new refresh token, which is what gets stored). Answers 201 once the vendor"
              + " issued an access token for the refresh token (calendarId"
              + " defaults to primary; receivesSessions and busy default to true, at least one"
              + " must be; removal DELETE or MARK_CANCELLED). A calendar that receives sessions"
              + " gets the provider's upcoming sessions at once. 409 when the provider linked the"
              + " calendar already; 422 with Google's reason when the token is refused (nothing is"
              + " stored then), 503 without"
              + " sessionbridge.google.client-id or the encryption key, or when Google could not"
              + " be reached.")
  ResponseEntity<CalendarView> link(
      Caller.PracticeMember caller, @PathVariable UUID id, @RequestBody NewCalendar body) {
    requireProvider(caller, id);
    FieldCheck check = new FieldCheck();
    LinkableKind kind = check.oneOf("kind", body.kind(), LinkableKind.class, true);
    String refreshToken = check.text("refreshToken", body.refreshToken(), 2000, true);
    String calendarId = check.text("calendarId", body.calendarId(), 1024, false);
    Removal removal = check.oneOf("removal", body.removal(), Removal.class, false);
    boolean receivesSessions = body.receivesSessions() == null || body.receivesSessions();
    boolean busy = body.busy() == null || body.busy();
    if (!receivesSessions && !busy) {
      check.problem("busy", "a calendar that receives no sessions must count as busy time");
    }
    check.done();
    ProviderTokenStore store = tokens.getIfAvailable();
    if (store == null) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "Credentials not configured",
          "the operator must set sessionbridge.security.encryption-keys.<id> (base64 of 32 random"
              + " bytes) and sessionbridge.security.active-key-id before calendars can be linked");
    }
    Objects.requireNonNull(kind);
    String token = Objects.requireNonNull(refreshToken);
    CalendarLink.Kind linkKind = CalendarLink.Kind.valueOf(kind.name());
    String calendar = calendarId == null ? "primary" : calendarId;
    if (links.links(caller.practiceId(), id, linkKind).stream()
        .anyMatch(l -> l.calendarId().equals(calendar))) {
      throw new ConflictException(
          "calendarId",
          "the provider linked this calendar already; unlink it first to link it differently");
    }
    ProviderTokenStore.Tokens checked =
        kind == LinkableKind.GOOGLE ? checkAtGoogle(token) : checkAtMicrosoft(token);
    links.authorize(store, caller.practiceId(), id, linkKind, checked);
    CalendarLink link =
        links.link(
            caller.practiceId(),
            id,
            linkKind,
            calendar,
            receivesSessions,
            busy,
            removal == null ? Removal.DELETE : removal);
    return ResponseEntity.created(URI.create("/api/v1/providers/" + id + "/calendars/" + link.id()))
        .body(CalendarView.of(link));
  }

  @GetMapping
  @Operation(summary = "The provider's linked calendars, without credentials")
  List<CalendarView> links(Caller.PracticeMember caller, @PathVariable UUID id) {
    requireProvider(caller, id);
    return calendars.links(caller.practiceId(), id).stream().map(CalendarView::of).toList();
  }

  @GetMapping("/{linkId}/busy")
  @Operation(summary = "The busy blocks read from a linked calendar, by start")
  List<BusyView> busy(
      Caller.PracticeMember caller, @PathVariable UUID id, @PathVariable UUID linkId) {
    requireLink(caller, id, linkId);
    return calendars.busyBlocks(linkId).stream().map(BusyView::of).toList();
  }

  @DeleteMapping("/{linkId}")
  @Operation(
      summary = "Unlink a calendar",
      description =
          "Its busy blocks and event rows are dropped and its push channel is stopped; events"
              + " already in the calendar stay there.")
  ResponseEntity<Void> unlink(
      Caller.PracticeMember caller, @PathVariable UUID id, @PathVariable UUID linkId) {
    requireLink(caller, id, linkId);
    links.unlink(caller.practiceId(), linkId);
    return ResponseEntity.noContent().build();
  }

  /** Obtains an access token for the refresh token (Google keeps the refresh token as it is). */
  private ProviderTokenStore.Tokens checkAtGoogle(String token) {
    GoogleTokenEndpoint endpoint = google.getIfAvailable();
    if (endpoint == null) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "Google not configured",
          "the operator must set sessionbridge.google.client-id and"
              + " sessionbridge.google.client-secret (the hub's Google OAuth client) before"
              + " Google calendars can be linked");
    }
    try {
      GoogleTokenEndpoint.Grant grant = endpoint.refresh(token);
      return new ProviderTokenStore.Tokens(grant.accessToken(), token, grant.expiresIn());
    } catch (GoogleTokenEndpoint.Refused e) {
      // Google's reason, never the token.
      throw InvalidInputException.rule(
          "refreshToken", "Google refused this refresh token: " + e.getMessage());
    } catch (java.io.IOException e) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "Google unavailable",
          "Google could not be asked to check the refresh token ("
              + e.getMessage()
              + "); retry later");
    }
  }

  /**
   * Obtains an access token for the refresh token at Microsoft, which answers a new refresh token
   * (the one sent is spent): the new one is what gets stored.
   */
  private ProviderTokenStore.Tokens checkAtMicrosoft(String token) {
    MicrosoftDelegatedApp app = microsoftApp.getIfAvailable();
    if (app == null) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "Microsoft not configured",
          "the operator must set sessionbridge.microsoft.client-id and"
              + " sessionbridge.microsoft.client-secret (the hub's Entra ID app) before Outlook"
              + " calendars can be linked");
    }
    try {
      MicrosoftTokenEndpoint.CodeGrant grant = microsoft.refresh(app, token);
      return new ProviderTokenStore.Tokens(
          grant.accessToken(), grant.refreshToken(), grant.expiresIn());
    } catch (MicrosoftTokenEndpoint.Refused e) {
      throw InvalidInputException.rule(
          "refreshToken", "Microsoft refused this refresh token: " + e.getMessage());
    } catch (java.io.IOException e) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "Microsoft unavailable",
          "Microsoft could not be asked to check the refresh token ("
              + e.getMessage()
              + "); retry later");
    }
  }

  private void requireLink(Caller.PracticeMember caller, UUID providerId, UUID linkId) {
    requireProvider(caller, providerId);
    calendars
        .linkById(linkId)
        .filter(
            l -> l.practiceId().equals(caller.practiceId()) && l.providerId().equals(providerId))
        .orElseThrow(() -> new NotFoundException("calendar link"));
  }

  private void requireProvider(Caller.PracticeMember caller, UUID id) {
    practices.staff(caller.practiceId(), id).orElseThrow(() -> new NotFoundException("provider"));
  }
}
