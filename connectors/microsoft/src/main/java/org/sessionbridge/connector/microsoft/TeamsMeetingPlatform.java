package org.sessionbridge.connector.microsoft;

import com.microsoft.graph.models.LobbyBypassScope;
import com.microsoft.graph.models.LobbyBypassSettings;
import com.microsoft.graph.models.OnlineMeeting;
import com.microsoft.graph.models.OnlineMeetingPresenters;
import com.microsoft.graph.users.item.onlinemeetings.createorget.CreateOrGetPostRequestBody;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.sessionbridge.core.meeting.MeetingSpec;
import org.sessionbridge.core.meeting.PlatformMeeting;
import org.sessionbridge.core.port.MeetingPlatform;
import org.sessionbridge.core.port.MeetingPlatformException.MeetingGone;
import org.sessionbridge.core.port.MeetingPlatformException.NotAuthorized;
import org.sessionbridge.core.port.MeetingPlatformException.Rejected;
import org.sessionbridge.core.port.MeetingPlatformException.Retryable;
import org.sessionbridge.core.practice.VideoPlatform;

/**
 * Microsoft Teams as a {@link MeetingPlatform}: standalone online meetings (API-NOTES §2.1) made
 * with each practice's own app registration (found through {@link MicrosoftTenants}, app-only
 * token, {@code OnlineMeetings.ReadWrite.All} with an application access policy for the
 * organizers), on the Graph SDK behind the guards of {@link GraphCalls}.
 *
 * <p><b>Idempotent create.</b> {@code POST /users/{host}/onlineMeetings/createOrGet} with {@code
 * externalId} = {@link MeetingSpec#reference()}: Graph answers the meeting made earlier with that
 * id instead of making a second one. Unlike Zoom's, a create is therefore safe to repeat, and it is
 * retried inline like every other idempotent call (a lost answer repeated gives the same meeting).
 * For the same reason {@link #findByReference} has nothing to find that a create would not return,
 * and answers an empty list without a request (Graph v1.0 has no query by {@code externalId}; the
 * caller's next create is the lookup).
 *
 * <p><b>Lobby.</b> Every create, update and enforcement asks for {@code lobbyBypassSettings {scope:
 * organizer, isDialInBypassEnabled: false}} and {@code allowedPresenters: organizer}: only the
 * organizer bypasses the lobby, dial-in callers wait too, nobody else presents. The create request
 * carries them as well, and when the meeting Graph answers is not so guarded (createOrGet documents
 * only subject, times, participants and externalId; an existing meeting comes back as it is), they
 * are PATCHed at once. {@link PlatformMeeting#waitingRoom()} is "lobby scope organizer and no
 * dial-in bypass"; Teams has no separate join-before-host switch, and whoever bypasses the lobby is
 * in before the organizer, so {@link PlatformMeeting#joinBeforeHost()} is its negation.
 *
 * <p><b>Meeting ids.</b> Graph addresses a meeting under its organizer ({@code
 * /users/{host}/onlineMeetings/{id}}) while the port's get/update/delete receive only the meeting
 * id, so the id given to the hub is {@code {host}/{graph meeting id}} (a host never contains a
 * {@code /}). Graph's ids are long (about 100 to 150 characters).
 *
 * <p><b>Failures</b> (mapped in {@link GraphErrors}): 401 after one fresh token and 403 (no
 * permission, no application access policy) → {@link NotAuthorized}; 404 → {@link MeetingGone}
 * (create: {@link Rejected}, the host is unknown); 429 and 503 with {@code Retry-After} → {@link
 * Retryable} with the wait (short ones are waited inline); other 5xx, timeouts, resets, an open
 * breaker, a full mailbox → {@link Retryable}; other 4xx → {@link Rejected} with Graph's code and
 * message (scrubbed). Messages never carry tokens, secrets, join links, subjects or the host.
 *
 * <p><b>Threading.</b> Thread-safe and blocking; one instance serves every practice.
 */
public final class TeamsMeetingPlatform implements MeetingPlatform {

  private final MicrosoftSettings settings;
  private final MicrosoftTenants tenants;
  private final Clock clock;
  private final MicrosoftTokenEndpoint tokenEndpoint;
  private final GraphErrors errors;
  private final GraphCalls calls;
  private final ConcurrentMap<UUID, Tenant> byPractice = new ConcurrentHashMap<>();

  public TeamsMeetingPlatform(
      MicrosoftSettings settings, MicrosoftResilience resilience, MicrosoftTenants tenants) {
    this(settings, resilience, tenants, Clock.systemUTC());
  }

  TeamsMeetingPlatform(
      MicrosoftSettings settings,
      MicrosoftResilience resilience,
      MicrosoftTenants tenants,
      Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.tenants = Objects.requireNonNull(tenants, "tenants");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.tokenEndpoint = new MicrosoftTokenEndpoint(settings);
    this.errors = new GraphErrors(clock, Objects.requireNonNull(resilience, "resilience"));
    this.calls = new GraphCalls("graph-teams", settings, resilience, clock, errors);
  }

  @Override
  public VideoPlatform platform() {
    return VideoPlatform.TEAMS;
  }

  /**
   * {@code POST /users/{host}/onlineMeetings/createOrGet} (idempotent by {@code externalId}), then
   * a PATCH of the lobby when the answer is not guarded.
   */
  @Override
  public PlatformMeeting create(UUID practiceId, String host, MeetingSpec spec) {
    Objects.requireNonNull(spec, "spec");
    String operation = "create meeting " + spec.reference();
    String organizer = host(operation, host);
    Tenant tenant = tenant(practiceId, operation);
    // Built anew for every attempt: Kiota's backing store marks a model's values as sent once it
    // was serialized, so a retried request would otherwise go out with an empty body.
    Supplier<CreateOrGetPostRequestBody> body =
        () -> {
          CreateOrGetPostRequestBody create = new CreateOrGetPostRequestBody();
          create.setExternalId(spec.reference());
          create.setSubject(subject(spec));
          create.setStartDateTime(OffsetDateTime.ofInstant(spec.start(), spec.timeZone()));
          create.setEndDateTime(
              OffsetDateTime.ofInstant(spec.start().plus(spec.duration()), spec.timeZone()));
          Map<String, Object> lobby = new HashMap<>();
          lobby.put("lobbyBypassSettings", strictLobby());
          lobby.put("allowedPresenters", "organizer");
          create.setAdditionalData(lobby);
          return create;
        };
    OnlineMeeting meeting =
        call(
            tenant,
            practiceId,
            organizer,
            operation,
            true,
            (graph, bearer) ->
                graph
                    .users()
                    .byUserId(organizer)
                    .onlineMeetings()
                    .createOrGet()
                    .post(body.get(), c -> GraphCalls.authorize(c, bearer)),
            true);
    String graphId = graphId(operation, meeting);
    if (!guarded(meeting)) {
      meeting =
          patch(
              tenant, practiceId, organizer, graphId, TeamsMeetingPlatform::lobbyPatch, operation);
    }
    return platformMeeting(organizer, meeting, operation);
  }

  /**
   * Nothing to look up: {@link #create} is idempotent by {@code externalId}, so repeating it is the
   * lookup (Graph v1.0 has no query by {@code externalId}). No request is sent.
   */
  @Override
  public List<PlatformMeeting> findByReference(UUID practiceId, String host, String reference) {
    if (reference == null || reference.isBlank()) {
      throw new Rejected("Teams find meetings by reference not sent: blank reference", null);
    }
    return List.of();
  }

  /** {@code GET /users/{host}/onlineMeetings/{id}}. */
  @Override
  public PlatformMeeting get(UUID practiceId, String meetingId) {
    String operation = "get meeting";
    MeetingId id = MeetingId.parse(operation, meetingId);
    Tenant tenant = tenant(practiceId, operation);
    OnlineMeeting meeting =
        call(
            tenant,
            practiceId,
            id.host,
            operation,
            true,
            (graph, bearer) ->
                graph
                    .users()
                    .byUserId(id.host)
                    .onlineMeetings()
                    .byOnlineMeetingId(id.graphId)
                    .get(c -> GraphCalls.authorize(c, bearer)),
            false);
    return platformMeeting(id.host, meeting, operation);
  }

  /** A PATCH of subject, start and end (sent together) and the lobby re-asserted. */
  @Override
  public void update(UUID practiceId, String meetingId, MeetingSpec spec) {
    Objects.requireNonNull(spec, "spec");
    String operation = "update meeting";
    MeetingId id = MeetingId.parse(operation, meetingId);
    Tenant tenant = tenant(practiceId, operation);
    Supplier<OnlineMeeting> changes =
        () -> {
          OnlineMeeting patch = lobbyPatch();
          patch.setSubject(subject(spec));
          patch.setStartDateTime(OffsetDateTime.ofInstant(spec.start(), spec.timeZone()));
          patch.setEndDateTime(
              OffsetDateTime.ofInstant(spec.start().plus(spec.duration()), spec.timeZone()));
          return patch;
        };
    patch(tenant, practiceId, id.host, id.graphId, changes, operation);
  }

  /** A PATCH of {@code lobbyBypassSettings} and {@code allowedPresenters} only. */
  @Override
  public void enforceWaitingRoom(UUID practiceId, String meetingId) {
    String operation = "enforce lobby of meeting";
    MeetingId id = MeetingId.parse(operation, meetingId);
    patch(
        tenant(practiceId, operation),
        practiceId,
        id.host,
        id.graphId,
        TeamsMeetingPlatform::lobbyPatch,
        operation);
  }

  /**
   * {@code DELETE /users/{host}/onlineMeetings/{id}}; 404 means gone already and returns {@code
   * false} (also when a retried delete lost its first answer).
   */
  @Override
  public boolean delete(UUID practiceId, String meetingId) {
    String operation = "delete meeting";
    MeetingId id = MeetingId.parse(operation, meetingId);
    Tenant tenant = tenant(practiceId, operation);
    try {
      calls.call(
          mailbox(practiceId, id.host),
          tenant.tokens,
          operation,
          true,
          (graph, bearer) -> {
            graph
                .users()
                .byUserId(id.host)
                .onlineMeetings()
                .byOnlineMeetingId(id.graphId)
                .delete(c -> GraphCalls.authorize(c, bearer));
            return Boolean.TRUE;
          });
      return true;
    } catch (GraphFailure failure) {
      if (failure.kind() == GraphFailure.Kind.NOT_FOUND) {
        return false;
      }
      throw errors.toMeeting(operation, failure, calls.remainingOpenWait());
    } catch (RuntimeException failure) {
      throw errors.toMeeting(operation, failure, calls.remainingOpenWait());
    }
  }

  @Override
  public String toString() {
    return "TeamsMeetingPlatform["
        + settings.graphBaseUrl()
        + ", practices="
        + byPractice.size()
        + ", breaker="
        + calls.breakerState()
        + "]";
  }

  /** For tests: the guards. */
  GraphCalls calls() {
    return calls;
  }

  private OnlineMeeting patch(
      Tenant tenant,
      UUID practiceId,
      String host,
      String graphId,
      Supplier<OnlineMeeting> changes,
      String operation) {
    return call(
        tenant,
        practiceId,
        host,
        operation,
        true,
        (graph, bearer) ->
            graph
                .users()
                .byUserId(host)
                .onlineMeetings()
                .byOnlineMeetingId(graphId)
                .patch(changes.get(), c -> GraphCalls.authorize(c, bearer)),
        false);
  }

  private <T> T call(
      Tenant tenant,
      UUID practiceId,
      String host,
      String operation,
      boolean idempotent,
      GraphCalls.Request<T> request,
      boolean creating) {
    T answer;
    try {
      answer = calls.call(mailbox(practiceId, host), tenant.tokens, operation, idempotent, request);
    } catch (GraphFailure failure) {
      if (creating && failure.kind() == GraphFailure.Kind.NOT_FOUND) {
        throw new Rejected(
            failure.getMessage()
                + "; Graph does not know the organizer: map the provider to their Microsoft 365"
                + " user (object id)",
            null);
      }
      throw errors.toMeeting(operation, failure, calls.remainingOpenWait());
    } catch (RuntimeException failure) {
      throw errors.toMeeting(operation, failure, calls.remainingOpenWait());
    }
    if (answer == null) {
      throw errors.toMeeting(
          operation, errors.unreadable(operation, "an answer without a body"), null);
    }
    return answer;
  }

  private static String mailbox(UUID practiceId, String host) {
    return practiceId + "/" + host;
  }

  /** The practice's token cache for its current credentials. */
  private Tenant tenant(UUID practiceId, String operation) {
    Objects.requireNonNull(practiceId, "practiceId");
    Optional<MicrosoftCredentials> found;
    try {
      found = Objects.requireNonNull(tenants.credentials(practiceId), "credentials lookup");
    } catch (RuntimeException e) {
      throw new Retryable(
          "Teams "
              + operation
              + " not sent: could not read the Microsoft 365 connection of practice "
              + practiceId
              + " ("
              + e.getClass().getSimpleName()
              + ")",
          null,
          e);
    }
    if (found.isEmpty()) {
      byPractice.remove(practiceId);
      throw new NotAuthorized(
          "Microsoft 365 is not connected for this practice ("
              + practiceId
              + "): connect the practice's app registration before "
              + operation,
          null);
    }
    MicrosoftCredentials credentials = found.get();
    Tenant current = byPractice.get(practiceId);
    if (current != null && current.credentials.equals(credentials)) {
      return current;
    }
    return byPractice.compute(
        practiceId,
        (id, old) ->
            old != null && old.credentials.equals(credentials)
                ? old
                : new Tenant(credentials, new AppTokens(tokenEndpoint, credentials, clock)));
  }

  private record Tenant(MicrosoftCredentials credentials, AppTokens tokens) {
    @Override
    public String toString() {
      return "Tenant[" + credentials + "]";
    }
  }

  /** {@code {host}/{graph meeting id}}, see the class comment. */
  private record MeetingId(String host, String graphId) {
    static MeetingId parse(String operation, String meetingId) {
      Objects.requireNonNull(meetingId, "meetingId");
      int slash = meetingId.indexOf('/');
      if (slash < 1 || slash == meetingId.length() - 1) {
        throw new Rejected(
            "Teams "
                + operation
                + " not sent: a Teams meeting id of the hub is {organizer}/{Graph meeting id}",
            null);
      }
      return new MeetingId(meetingId.substring(0, slash), meetingId.substring(slash + 1));
    }
  }

  private static String host(String operation, String host) {
    if (host == null || host.isBlank() || host.contains("/")) {
      throw new Rejected(
          "Teams "
              + operation
              + " not sent: the organizer must be a Microsoft 365 user id or user principal name",
          null);
    }
    return host.strip();
  }

  /** The spec's topic, which carries the reference and no client names (MeetingReference). */
  private static String subject(MeetingSpec spec) {
    return spec.topic().contains(spec.reference())
        ? spec.topic()
        : spec.topic() + " (" + spec.reference() + ")";
  }

  private static LobbyBypassSettings strictLobby() {
    LobbyBypassSettings lobby = new LobbyBypassSettings();
    lobby.setScope(LobbyBypassScope.Organizer);
    lobby.setIsDialInBypassEnabled(false);
    return lobby;
  }

  private static OnlineMeeting lobbyPatch() {
    OnlineMeeting patch = new OnlineMeeting();
    patch.setLobbyBypassSettings(strictLobby());
    patch.setAllowedPresenters(OnlineMeetingPresenters.Organizer);
    return patch;
  }

  /** Only the organizer bypasses the lobby, dial-in callers wait, only the organizer presents. */
  static boolean guarded(OnlineMeeting meeting) {
    return lobbyOn(meeting) && meeting.getAllowedPresenters() == OnlineMeetingPresenters.Organizer;
  }

  private static boolean lobbyOn(OnlineMeeting meeting) {
    LobbyBypassSettings lobby = meeting.getLobbyBypassSettings();
    return lobby != null
        && lobby.getScope() == LobbyBypassScope.Organizer
        && Boolean.FALSE.equals(lobby.getIsDialInBypassEnabled());
  }

  private String graphId(String operation, OnlineMeeting meeting) {
    String id = meeting.getId();
    if (id == null || id.isBlank()) {
      throw errors.toMeeting(
          operation, errors.unreadable(operation, "a meeting without an id"), null);
    }
    return id;
  }

  private PlatformMeeting platformMeeting(String host, OnlineMeeting meeting, String operation) {
    String id = graphId(operation, meeting);
    URI joinUrl;
    try {
      joinUrl = URI.create(Objects.requireNonNull(meeting.getJoinWebUrl()));
    } catch (RuntimeException e) {
      throw errors.toMeeting(
          operation, errors.unreadable(operation, "a meeting without a usable joinWebUrl"), null);
    }
    Optional<Instant> start =
        Optional.ofNullable(meeting.getStartDateTime()).map(t -> t.toInstant());
    long minutes = 0;
    if (meeting.getStartDateTime() != null && meeting.getEndDateTime() != null) {
      Duration length = Duration.between(meeting.getStartDateTime(), meeting.getEndDateTime());
      minutes = Math.max(0, (length.getSeconds() + 59) / 60);
    }
    boolean lobby = lobbyOn(meeting);
    return new PlatformMeeting(
        host + "/" + id,
        joinUrl,
        meeting.getSubject() == null ? "" : meeting.getSubject(),
        start,
        minutes,
        lobby,
        !lobby);
  }
}
