package org.sessionbridge.connector.microsoft.fake;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Teams online meetings of the fake (API-NOTES §2.1): {@code createOrGet} idempotent by organizer
 * and {@code externalId}, get, PATCH (merge, start and end together, full object back), DELETE
 * (204, then 404). A new meeting gets Teams' tenant defaults (lobby scope {@code organization},
 * dial-in bypass on, presenters {@code everyone}) unless {@code createOrGet} is told to honour a
 * {@code lobbyBypassSettings} in its body ({@link #honourLobbyOnCreate}): Graph documents only
 * subject, times, participants and externalId for it. Thread-safe.
 */
final class GraphFakeMeetings {

  private static final Set<String> SCOPES =
      Set.of(
          "organizer",
          "organization",
          "organizationAndFederated",
          "everyone",
          "invited",
          "organizationExcludingGuests");
  private static final Set<String> PRESENTERS =
      Set.of("everyone", "organization", "roleIsPresenter", "organizer");

  /** A meeting as the fake holds it. {@link #toString()} leaves out subject and join link. */
  record Meeting(
      String id,
      String organizerId,
      String externalId,
      String subject,
      Instant start,
      Instant end,
      String lobbyScope,
      boolean dialInBypass,
      String allowedPresenters,
      String joinWebUrl,
      Instant created,
      boolean deleted) {

    Meeting with(
        String subject,
        Instant start,
        Instant end,
        String lobbyScope,
        boolean dialInBypass,
        String allowedPresenters,
        boolean deleted) {
      return new Meeting(
          id,
          organizerId,
          externalId,
          subject,
          start,
          end,
          lobbyScope,
          dialInBypass,
          allowedPresenters,
          joinWebUrl,
          created,
          deleted);
    }

    @Override
    public String toString() {
      return "Meeting[id="
          + id
          + ", externalId="
          + externalId
          + ", start="
          + start
          + ", end="
          + end
          + ", lobbyScope="
          + lobbyScope
          + ", dialInBypass="
          + dialInBypass
          + ", allowedPresenters="
          + allowedPresenters
          + ", deleted="
          + deleted
          + ", subject, joinWebUrl=<redacted>]";
    }
  }

  private final Clock clock;
  private final GraphFakeCounters counters;
  private final String baseUrl;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Meeting> meetings = new LinkedHashMap<>();
  private final Map<String, String> byExternalId = new HashMap<>();
  private volatile boolean honourLobbyOnCreate;

  GraphFakeMeetings(Clock clock, GraphFakeCounters counters, String baseUrl) {
    this.clock = clock;
    this.counters = counters;
    this.baseUrl = baseUrl;
  }

  void honourLobbyOnCreate(boolean honour) {
    this.honourLobbyOnCreate = honour;
  }

  synchronized GraphFakeReply createOrGet(String organizerId, byte[] body) {
    ObjectNode request;
    try {
      request = object(body);
    } catch (JacksonException | IllegalArgumentException e) {
      return GraphFakeReply.error(400, "BadRequest", "Invalid request body.");
    }
    String externalId = request.path("externalId").asString("");
    if (externalId.isBlank()) {
      return GraphFakeReply.error(400, "BadRequest", "externalId is required for createOrGet.");
    }
    String key = organizerId + "|" + externalId;
    String existing = byExternalId.get(key);
    if (existing != null && !meetings.get(existing).deleted()) {
      return GraphFakeReply.json(200, json(meetings.get(existing)));
    }
    Instant now = clock.instant();
    Instant start;
    Instant end;
    try {
      start = time(request, "startDateTime", now);
      end = time(request, "endDateTime", start.plusSeconds(3600));
    } catch (DateTimeParseException e) {
      return GraphFakeReply.error(400, "BadRequest", "Invalid startDateTime or endDateTime.");
    }
    if (!end.isAfter(start)) {
      return GraphFakeReply.error(
          400, "BadRequest", "The end date time must be after the start date time.");
    }
    String scope = "organization";
    boolean dialIn = true;
    String presenters = "everyone";
    if (honourLobbyOnCreate) {
      JsonNode lobby = request.path("lobbyBypassSettings");
      if (SCOPES.contains(lobby.path("scope").asString(""))) {
        scope = lobby.path("scope").asString();
      }
      if (lobby.path("isDialInBypassEnabled").isBoolean()) {
        dialIn = lobby.path("isDialInBypassEnabled").asBoolean();
      }
      if (PRESENTERS.contains(request.path("allowedPresenters").asString(""))) {
        presenters = request.path("allowedPresenters").asString();
      }
    }
    String thread = "19:meeting_" + token(18) + "@thread.v2";
    String id =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                ("1*" + organizerId + "*0**" + thread).getBytes(StandardCharsets.UTF_8));
    Meeting meeting =
        new Meeting(
            id,
            organizerId,
            externalId,
            request.path("subject").asString(""),
            start,
            end,
            scope,
            dialIn,
            presenters,
            baseUrl + "/l/meetup-join/" + thread.replace(":", "%3a").replace("@", "%40") + "/0",
            now,
            false);
    meetings.put(id, meeting);
    byExternalId.put(key, id);
    counters.meetingCreates.incrementAndGet();
    return GraphFakeReply.json(201, json(meeting));
  }

  synchronized GraphFakeReply get(String organizerId, String id) {
    Meeting meeting = meetings.get(id);
    if (meeting == null || meeting.deleted() || !meeting.organizerId().equals(organizerId)) {
      return notFound();
    }
    return GraphFakeReply.json(200, json(meeting));
  }

  synchronized GraphFakeReply patch(String organizerId, String id, byte[] body) {
    Meeting meeting = meetings.get(id);
    if (meeting == null || meeting.deleted() || !meeting.organizerId().equals(organizerId)) {
      return notFound();
    }
    ObjectNode request;
    try {
      request = object(body);
    } catch (JacksonException | IllegalArgumentException e) {
      return GraphFakeReply.error(400, "BadRequest", "Invalid request body.");
    }
    if (request.has("startDateTime") != request.has("endDateTime")) {
      return GraphFakeReply.error(
          400, "BadRequest", "startDateTime and endDateTime must be updated together.");
    }
    Instant start;
    Instant end;
    try {
      start = time(request, "startDateTime", meeting.start());
      end = time(request, "endDateTime", meeting.end());
    } catch (DateTimeParseException e) {
      return GraphFakeReply.error(400, "BadRequest", "Invalid startDateTime or endDateTime.");
    }
    if (!end.isAfter(start)) {
      return GraphFakeReply.error(
          400, "BadRequest", "The end date time must be after the start date time.");
    }
    String scope = meeting.lobbyScope();
    boolean dialIn = meeting.dialInBypass();
    JsonNode lobby = request.path("lobbyBypassSettings");
    if (lobby.isObject()) {
      if (lobby.has("scope")) {
        if (!SCOPES.contains(lobby.path("scope").asString(""))) {
          return GraphFakeReply.error(400, "BadRequest", "Invalid lobbyBypassSettings.scope.");
        }
        scope = lobby.path("scope").asString();
      }
      if (lobby.path("isDialInBypassEnabled").isBoolean()) {
        dialIn = lobby.path("isDialInBypassEnabled").asBoolean();
      }
    }
    String presenters = meeting.allowedPresenters();
    if (request.has("allowedPresenters")) {
      if (!PRESENTERS.contains(request.path("allowedPresenters").asString(""))) {
        return GraphFakeReply.error(400, "BadRequest", "Invalid allowedPresenters.");
      }
      presenters = request.path("allowedPresenters").asString();
    }
    String subject =
        request.has("subject") ? request.path("subject").asString("") : meeting.subject();
    Meeting changed = meeting.with(subject, start, end, scope, dialIn, presenters, false);
    meetings.put(id, changed);
    counters.meetingPatches.incrementAndGet();
    return GraphFakeReply.json(200, json(changed));
  }

  synchronized GraphFakeReply delete(String organizerId, String id) {
    Meeting meeting = meetings.get(id);
    if (meeting == null || meeting.deleted() || !meeting.organizerId().equals(organizerId)) {
      return notFound();
    }
    meetings.put(
        id,
        meeting.with(
            meeting.subject(),
            meeting.start(),
            meeting.end(),
            meeting.lobbyScope(),
            meeting.dialInBypass(),
            meeting.allowedPresenters(),
            true));
    counters.meetingDeletes.incrementAndGet();
    return GraphFakeReply.noContent();
  }

  /** The organizer changes the lobby in Teams (drift); nothing else changes. */
  synchronized void organizerChangesLobby(
      String id, String scope, boolean dialInBypass, String allowedPresenters) {
    Meeting meeting = meetings.get(id);
    if (meeting == null || meeting.deleted()) {
      throw new IllegalArgumentException("the fake has no such meeting");
    }
    if (!SCOPES.contains(scope) || !PRESENTERS.contains(allowedPresenters)) {
      throw new IllegalArgumentException("not a lobby scope / presenters value");
    }
    meetings.put(
        id,
        meeting.with(
            meeting.subject(),
            meeting.start(),
            meeting.end(),
            scope,
            dialInBypass,
            allowedPresenters,
            false));
  }

  synchronized List<Meeting> snapshots() {
    return new ArrayList<>(meetings.values());
  }

  synchronized Optional<Meeting> snapshot(String id) {
    return Optional.ofNullable(meetings.get(id));
  }

  private static GraphFakeReply notFound() {
    return GraphFakeReply.error(404, "NotFound", "The requested resource was not found.");
  }

  private ObjectNode json(Meeting m) {
    ObjectNode node = GraphFakeReply.MAPPER.createObjectNode();
    node.put(
        "@odata.context",
        baseUrl + "/v1.0/$metadata#users('" + m.organizerId() + "')/onlineMeetings/$entity");
    node.put("id", m.id());
    node.put("externalId", m.externalId());
    node.put("creationDateTime", m.created().toString());
    node.put("startDateTime", m.start().toString());
    node.put("endDateTime", m.end().toString());
    node.put("joinWebUrl", m.joinWebUrl());
    node.put("subject", m.subject());
    node.put("isEntryExitAnnounced", true);
    node.put("allowedPresenters", m.allowedPresenters());
    ObjectNode lobby = node.putObject("lobbyBypassSettings");
    lobby.put("scope", m.lobbyScope());
    lobby.put("isDialInBypassEnabled", m.dialInBypass());
    ObjectNode chat = node.putObject("chatInfo");
    chat.put("threadId", "19:meeting_" + m.id().substring(Math.max(0, m.id().length() - 12)));
    chat.put("messageId", "0");
    ObjectNode organizer = node.putObject("participants").putObject("organizer");
    organizer.put("role", "presenter");
    organizer.putObject("identity").putObject("user").put("id", m.organizerId());
    return node;
  }

  private static ObjectNode object(byte[] body) {
    JsonNode node = GraphFakeReply.MAPPER.readTree(body);
    if (!(node instanceof ObjectNode object)) {
      throw new IllegalArgumentException("not an object");
    }
    return object;
  }

  private static Instant time(ObjectNode request, String field, Instant fallback) {
    JsonNode value = request.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    return OffsetDateTime.parse(value.asString()).withOffsetSameInstant(ZoneOffset.UTC).toInstant();
  }

  private String token(int bytes) {
    byte[] raw = new byte[bytes];
    random.nextBytes(raw);
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw)
        .replace("-", "x")
        .replace("_", "y");
  }
}
