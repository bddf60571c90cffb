package org.sessionbridge.config.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.connector.microsoft.MicrosoftCredentials;
import org.sessionbridge.connector.microsoft.MicrosoftTokenEndpoint;
import org.sessionbridge.connector.zoom.ZoomApi;
import org.sessionbridge.connector.zoom.ZoomAuthorizationException;
import org.sessionbridge.connector.zoom.ZoomCredentials;
import org.sessionbridge.connector.zoom.ZoomException;
import org.sessionbridge.connector.zoom.ZoomSettings;
import org.sessionbridge.core.credential.Connection;
import org.sessionbridge.core.credential.ConnectionStore;
import org.sessionbridge.core.error.InvalidInputException;
import org.sessionbridge.core.error.NotFoundException;
import org.sessionbridge.core.meeting.MeetingStore;
import org.sessionbridge.core.practice.VideoPlatform;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Connecting the practice's Zoom account (a Server-to-Server OAuth app) and Microsoft 365 tenant
 * (an Entra ID app). The credentials are checked by obtaining a token before anything is stored;
 * the client secret is sealed at rest and never answered, logged or echoed in an error.
 */
@RestController
@RequestMapping("/api/v1/connections")
@Tag(name = "Connections")
final class ConnectionApi {

  private final ObjectProvider<ConnectionStore> connections;
  private final ZoomSettings zoom;
  private final MeetingStore meetings;
  private final MicrosoftTokenEndpoint microsoft;

  ConnectionApi(
      ObjectProvider<ConnectionStore> connections,
      ZoomSettings zoom,
      MeetingStore meetings,
      MicrosoftTokenEndpoint microsoft) {
    this.connections = connections;
    this.zoom = zoom;
    this.meetings = meetings;
    this.microsoft = microsoft;
  }

  /** A practice's Entra ID app with application permissions (OnlineMeetings.ReadWrite.All). */
  record MicrosoftConnection(
      @Nullable String tenantId, @Nullable String clientId, @Nullable String clientSecret) {
    @Override
    public String toString() {
      return "MicrosoftConnection[tenantId=" + tenantId + ", clientSecret=<redacted>]";
    }
  }

  @PutMapping("/microsoft")
  @Operation(
      summary = "Connect the practice's Microsoft 365 tenant (an Entra ID app, client credentials)",
      description =
          "For Teams meetings with the lobby enforced. Answers 200 once Microsoft issued a token"
              + " for these credentials, 422 naming clientSecret with Microsoft's reason (AADSTS"
              + " code) otherwise (nothing is stored then), 503 when Microsoft could not be"
              + " reached. The app needs OnlineMeetings.ReadWrite.All and an application access"
              + " policy for the organizers (docs/MICROSOFT.md).")
  ConnectionView connectMicrosoft(
      Caller.PracticeMember caller, @RequestBody MicrosoftConnection body) {
    ConnectionStore store = store();
    FieldCheck check = new FieldCheck();
    String tenantId = check.text("tenantId", body.tenantId(), 200, true);
    String clientId = check.text("clientId", body.clientId(), 200, true);
    String secret = check.text("clientSecret", body.clientSecret(), 500, true);
    check.done();
    MicrosoftCredentials credentials =
        new MicrosoftCredentials(
            Objects.requireNonNull(tenantId),
            Objects.requireNonNull(clientId),
            Objects.requireNonNull(secret));
    MicrosoftTokenEndpoint.TokenCheck outcome = microsoft.check(credentials);
    switch (outcome.outcome()) {
      case OK -> {}
      case REFUSED ->
          throw InvalidInputException.rule(
              "clientSecret", "Microsoft refused these credentials: " + outcome.reason());
      case UNAVAILABLE ->
          throw new ApiException(
              HttpStatus.SERVICE_UNAVAILABLE,
              "Microsoft unavailable",
              "Microsoft could not be asked to check the credentials ("
                  + outcome.reason()
                  + "); retry later");
    }
    Connection saved =
        store.save(caller.practiceId(), Connection.Kind.MICROSOFT, tenantId, clientId, secret);
    // Teams meetings parked while Microsoft refused the old credentials go ahead now.
    meetings.resume(caller.practiceId(), VideoPlatform.TEAMS);
    return ConnectionView.of(saved);
  }

  @GetMapping("/microsoft")
  @Operation(summary = "The practice's Microsoft 365 connection, without its secret")
  ConnectionView microsoft(Caller.PracticeMember caller) {
    return store()
        .find(caller.practiceId(), Connection.Kind.MICROSOFT)
        .map(ConnectionView::of)
        .orElseThrow(() -> new NotFoundException("Microsoft connection"));
  }

  /**
   * @param lockWaitingRoom also turn the waiting room on for the whole Zoom account and lock it, so
   *     that no host can turn it off (needs an account-admin scope on the app)
   */
  record ZoomConnection(
      @Nullable String accountId,
      @Nullable String clientId,
      @Nullable String clientSecret,
      @Nullable Boolean lockWaitingRoom) {
    @Override
    public String toString() {
      return "ZoomConnection[accountId=" + accountId + ", clientSecret=<redacted>]";
    }
  }

  /**
   * @param status {@code CONNECTED}, or {@code NEEDS_REAUTHORIZATION} after Zoom refused the
   *     credentials (connect again with PUT; parked meetings then resume)
   * @param problem Zoom's reason when it refused them
   */
  record ConnectionView(
      String status,
      String accountId,
      String clientId,
      String checkedAt,
      @Nullable String problem,
      @Nullable String waitingRoomLock) {
    static ConnectionView of(Connection c) {
      return of(c, null);
    }

    static ConnectionView of(Connection c, @Nullable String waitingRoomLock) {
      return new ConnectionView(
          c.status(),
          c.accountRef(),
          c.clientId(),
          c.checkedAt().toString(),
          c.statusReason(),
          waitingRoomLock);
    }
  }

  @PutMapping("/zoom")
  @Operation(
      summary = "Connect the practice's Zoom account (Server-to-Server OAuth app)",
      description =
          "Answers 200 once Zoom issued a token for these credentials, 422 with Zoom's reason"
              + " otherwise (nothing is stored then), 503 when Zoom could not be reached.")
  ConnectionView connectZoom(Caller.PracticeMember caller, @RequestBody ZoomConnection body) {
    ConnectionStore store = store();
    FieldCheck check = new FieldCheck();
    String accountId = check.text("accountId", body.accountId(), 200, true);
    String clientId = check.text("clientId", body.clientId(), 200, true);
    String secret = check.text("clientSecret", body.clientSecret(), 500, true);
    check.done();
    ZoomCredentials credentials =
        new ZoomCredentials(
            Objects.requireNonNull(accountId),
            Objects.requireNonNull(clientId),
            Objects.requireNonNull(secret));
    ZoomApi api = new ZoomApi(zoom, credentials);
    try {
      api.verifyCredentials();
    } catch (ZoomAuthorizationException e) {
      // Zoom's reason (status and code), never the credentials.
      throw InvalidInputException.rule(
          "clientSecret", "Zoom refused these credentials: " + e.getMessage());
    } catch (ZoomException e) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "Zoom unavailable",
          "Zoom could not be asked to check the credentials (" + e.getMessage() + "); retry later");
    }
    Connection saved =
        store.save(caller.practiceId(), Connection.Kind.ZOOM, accountId, clientId, secret);
    // Meetings parked while Zoom refused the old credentials go ahead now.
    meetings.resume(caller.practiceId(), VideoPlatform.ZOOM);
    String lock = null;
    if (Boolean.TRUE.equals(body.lockWaitingRoom())) {
      // The connection stands either way; the lock is an extra the practice asked for.
      try {
        api.lockWaitingRoom();
        lock = "LOCKED";
      } catch (ZoomException e) {
        lock = "NOT_LOCKED: " + e.getMessage();
      }
    }
    return ConnectionView.of(saved, lock);
  }

  @GetMapping("/zoom")
  @Operation(summary = "The practice's Zoom connection, without its secret")
  ConnectionView zoom(Caller.PracticeMember caller) {
    return store()
        .find(caller.practiceId(), Connection.Kind.ZOOM)
        .map(ConnectionView::of)
        .orElseThrow(() -> new NotFoundException("Zoom connection"));
  }

  private ConnectionStore store() {
    ConnectionStore store = connections.getIfAvailable();
    if (store == null) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "Connections not configured",
          "the operator must set sessionbridge.security.encryption-keys.<id> (base64 of 32 random"
              + " bytes) and sessionbridge.security.active-key-id before accounts can be connected");
    }
    return store;
  }
}
