package org.sessionbridge.connector.zoom.fake;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The meeting store and the meeting calls (API-NOTES §1.2, §1.3): create (201, full meeting), list
 * (paged), get, PATCH (merge, 204), DELETE (204, then 404 code 3001). Applies Zoom's rules that
 * tests depend on: the account-level "security override" (a meeting keeps at least one of waiting
 * room, passcode and authentication: if a request turns all three off, the waiting room stays on),
 * a waiting room or E2EE disabling join-before-host, a past {@code start_time} in a PATCH being
 * ignored, and the per-host daily create/update budget. Thread-safe: all state is guarded by this
 * object's monitor; it calls into the directory and the limits, never back.
 */
final class ZoomFakeMeetings {

  private static final Set<Integer> TYPES = Set.of(1, 2, 3, 8, 10);
  private static final Set<Integer> JBH_TIMES = Set.of(0, 5, 10, 15);
  private static final Set<Integer> APPROVAL_TYPES = Set.of(0, 1, 2);
  private static final Set<String> ENCRYPTION_TYPES = Set.of("enhanced_encryption", "e2ee");
  private static final Set<String> RECORDING = Set.of("local", "cloud", "none");
  private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();
  private static final int DEFAULT_PAGE_SIZE = 30;
  private static final int MAX_PAGE_SIZE = 300;
  private static final String PAGE_TOKEN_PREFIX = "fake-page:";

  /** A meeting as the fake holds it; mutable, only touched under the store's monitor. */
  private static final class Stored {
    long id;
    long sequence;
    String uuid = "";
    String accountId = "";
    String hostId = "";
    String topic = "";
    int type;
    Instant start = Instant.EPOCH;
    int duration;
    String timezone = "";
    String agenda = "";
    Instant createdAt = Instant.EPOCH;
    String password = "";
    String encryptedPassword = "";
    String h323Password = "";
    String zak = "";
    boolean waitingRoom;
    boolean joinBeforeHost;
    int jbhTime;
    boolean meetingAuthentication;
    int approvalType = 2;
    String encryptionType = "enhanced_encryption";
    boolean muteUponEntry;
    boolean hostVideo;
    boolean participantVideo;
    String autoRecording = "none";
    boolean deleted;

    Instant end() {
      return start.plus(duration, ChronoUnit.MINUTES);
    }
  }

  /** A create or PATCH body, read leniently and validated field by field. */
  private static final class Draft {
    final List<String> invalid = new ArrayList<>();
    @Nullable String topic;
    @Nullable Integer type;
    @Nullable String startTime;
    @Nullable String timezone;
    @Nullable Integer duration;
    @Nullable String password;
    @Nullable Boolean defaultPassword;
    @Nullable String agenda;
    @Nullable Boolean waitingRoom;
    @Nullable Boolean joinBeforeHost;
    @Nullable Integer jbhTime;
    @Nullable Boolean meetingAuthentication;
    @Nullable Integer approvalType;
    @Nullable String encryptionType;
    @Nullable Boolean muteUponEntry;
    @Nullable Boolean hostVideo;
    @Nullable Boolean participantVideo;
    @Nullable String autoRecording;
  }

  private final Map<Long, Stored> meetings = new LinkedHashMap<>();
  private final ZoomFakeDirectory directory;
  private final ZoomFakeLimits limits;
  private final ZoomFakeCounters counters;
  private final ZoomFakeRandom random;
  private final Clock clock;
  private final JsonMapper json;
  private final String baseUrl;
  private long sequence;

  ZoomFakeMeetings(
      ZoomFakeDirectory directory,
      ZoomFakeLimits limits,
      ZoomFakeCounters counters,
      ZoomFakeRandom random,
      Clock clock,
      JsonMapper json,
      String baseUrl) {
    this.directory = directory;
    this.limits = limits;
    this.counters = counters;
    this.random = random;
    this.clock = clock;
    this.json = json;
    this.baseUrl = baseUrl;
  }

  // ---------------------------------------------------------------- API calls

  /** {@code GET /users/{userId}} ({@code me}: the token's user): id, e-mail and account. */
  synchronized ZoomFakeReply user(ZoomFakeOAuth.Principal principal, String userRef) {
    Optional<ZoomFakeDirectory.User> found = host(principal, userRef);
    if (found.isEmpty()) {
      return userDoesNotExist(userRef);
    }
    ZoomFakeDirectory.User user = found.get();
    ObjectNode node = json.createObjectNode();
    node.put("id", user.id());
    node.put("email", user.email());
    node.put("type", 1);
    node.put("account_id", user.accountId());
    node.put("timezone", ZoomFakeDirectory.USER_TIMEZONE);
    node.put("status", "active");
    return ZoomFakeReply.json(200, node);
  }

  /** {@code POST /users/{userId}/meetings}. */
  synchronized ZoomFakeReply create(
      ZoomFakeOAuth.Principal principal, String userRef, byte[] body) {
    Optional<ZoomFakeDirectory.User> found = host(principal, userRef);
    if (found.isEmpty()) {
      return userDoesNotExist(userRef);
    }
    ZoomFakeDirectory.User host = found.get();
    ZoomFakeReply limited = limits.takeDaily(host.id(), "Medium");
    if (limited != null) {
      return limited;
    }
    Draft draft = parse(body);
    if (draft == null) {
      return notAJsonObject();
    }
    if (!draft.invalid.isEmpty()) {
      return validationFailed(draft.invalid);
    }
    Instant now = now();
    Stored meeting = new Stored();
    meeting.id = newId();
    meeting.sequence = ++sequence;
    meeting.uuid = random.meetingUuid();
    meeting.accountId = host.accountId();
    meeting.hostId = host.id();
    meeting.topic = draft.topic != null ? draft.topic : "Zoom Meeting";
    meeting.type = draft.type != null ? draft.type : 2;
    meeting.timezone = draft.timezone != null ? draft.timezone : ZoomFakeDirectory.USER_TIMEZONE;
    if (draft.startTime != null) {
      meeting.start = start(draft.startTime, ZoneId.of(meeting.timezone));
    } else {
      // API-NOTES §1.2: without a start time Zoom starts it now, as an instant meeting.
      meeting.start = now;
      if (meeting.type == 2) {
        meeting.type = 1;
      }
    }
    meeting.duration = draft.duration != null ? draft.duration : 60;
    meeting.agenda = draft.agenda != null ? draft.agenda : "";
    if (draft.password != null) {
      meeting.password = draft.password;
    } else if (!Boolean.FALSE.equals(draft.defaultPassword)) {
      meeting.password = random.passcode(); // the account requires a passcode
    }
    meeting.encryptedPassword = random.urlSafe(24);
    meeting.h323Password = random.digits(6);
    meeting.zak = random.urlSafe(24);
    meeting.createdAt = now;
    applySettings(meeting, draft);
    enforceSecurity(meeting);
    meetings.put(meeting.id, meeting);
    counters.creates.incrementAndGet();
    return ZoomFakeReply.json(201, full(meeting));
  }

  /** {@code GET /users/{userId}/meetings?type=&page_size=&next_page_token=}. */
  synchronized ZoomFakeReply list(
      ZoomFakeOAuth.Principal principal, String userRef, Map<String, String> query) {
    Optional<ZoomFakeDirectory.User> found = host(principal, userRef);
    if (found.isEmpty()) {
      return userDoesNotExist(userRef);
    }
    String hostId = found.get().id();
    Instant now = clock.instant();
    Predicate<Stored> ofType;
    switch (query.getOrDefault("type", "scheduled")) {
      case "scheduled":
        ofType = m -> true;
        break;
      case "upcoming":
      case "upcoming_meetings":
        ofType = m -> m.end().isAfter(now);
        break;
      case "previous_meetings":
        ofType = m -> !m.end().isAfter(now);
        break;
      case "live":
        ofType = m -> false; // nobody starts meetings in the fake
        break;
      default:
        return validationFailed(List.of("type"));
    }
    int pageSize = DEFAULT_PAGE_SIZE;
    String pageSizeText = query.get("page_size");
    if (pageSizeText != null && !pageSizeText.isEmpty()) {
      try {
        pageSize = Math.max(1, Math.min(MAX_PAGE_SIZE, Integer.parseInt(pageSizeText)));
      } catch (NumberFormatException e) {
        return validationFailed(List.of("page_size"));
      }
    }
    long after = 0;
    String pageToken = query.getOrDefault("next_page_token", "");
    if (!pageToken.isEmpty()) {
      Long decoded = pageTokenSequence(pageToken);
      if (decoded == null) {
        return validationFailed(List.of("next_page_token"));
      }
      after = decoded;
    }
    List<Stored> matching =
        meetings.values().stream()
            .filter(m -> !m.deleted && m.hostId.equals(hostId) && ofType.test(m))
            .collect(Collectors.toList()); // insertion order: oldest created first
    long cursor = after;
    List<Stored> rest = matching.stream().filter(m -> m.sequence > cursor).toList();
    List<Stored> page = rest.subList(0, Math.min(pageSize, rest.size()));
    ObjectNode body = json.createObjectNode();
    body.put("page_size", pageSize);
    body.put("total_records", matching.size());
    body.put(
        "next_page_token",
        rest.size() > page.size() ? pageToken(page.get(page.size() - 1).sequence) : "");
    ArrayNode items = body.putArray("meetings");
    for (Stored meeting : page) {
      ObjectNode item = items.addObject();
      item.put("uuid", meeting.uuid);
      item.put("id", meeting.id);
      item.put("host_id", meeting.hostId);
      item.put("topic", meeting.topic);
      item.put("type", meeting.type);
      item.put("start_time", iso(meeting.start));
      item.put("duration", meeting.duration);
      item.put("timezone", meeting.timezone);
      item.put("created_at", iso(meeting.createdAt));
      item.put("join_url", joinUrl(meeting));
    }
    counters.lists.incrementAndGet();
    return ZoomFakeReply.json(200, body);
  }

  /** {@code GET /meetings/{meetingId}}. */
  synchronized ZoomFakeReply get(ZoomFakeOAuth.Principal principal, String idText) {
    Stored meeting = visible(principal, idText);
    if (meeting == null) {
      return meetingDoesNotExist(idText);
    }
    counters.gets.incrementAndGet();
    return ZoomFakeReply.json(200, full(meeting));
  }

  /** {@code PATCH /meetings/{meetingId}}: merge semantics, 204 without body. */
  synchronized ZoomFakeReply update(ZoomFakeOAuth.Principal principal, String idText, byte[] body) {
    Stored meeting = visible(principal, idText);
    if (meeting == null) {
      return meetingDoesNotExist(idText);
    }
    ZoomFakeReply limited = limits.takeDaily(meeting.hostId, "Light");
    if (limited != null) {
      return limited;
    }
    Draft draft = parse(body);
    if (draft == null) {
      return notAJsonObject();
    }
    if (!draft.invalid.isEmpty()) {
      return validationFailed(draft.invalid);
    }
    if (draft.topic != null) {
      meeting.topic = draft.topic;
    }
    if (draft.type != null) {
      meeting.type = draft.type;
    }
    if (draft.timezone != null) {
      meeting.timezone = draft.timezone; // the instant stays; a new local start_time uses this zone
    }
    if (draft.startTime != null) {
      Instant start = start(draft.startTime, ZoneId.of(meeting.timezone));
      if (!start.isBefore(now())) { // API-NOTES §1.3: a start_time in the past is ignored
        meeting.start = start;
      }
    }
    if (draft.duration != null) {
      meeting.duration = draft.duration;
    }
    if (draft.agenda != null) {
      meeting.agenda = draft.agenda;
    }
    if (draft.password != null) {
      meeting.password = draft.password;
    }
    applySettings(meeting, draft);
    enforceSecurity(meeting);
    counters.updates.incrementAndGet();
    return ZoomFakeReply.noContent();
  }

  /** {@code DELETE /meetings/{meetingId}}: 204, and 404 code 3001 from then on. */
  synchronized ZoomFakeReply delete(ZoomFakeOAuth.Principal principal, String idText) {
    Stored meeting = visible(principal, idText);
    if (meeting == null) {
      return meetingDoesNotExist(idText);
    }
    meeting.deleted = true;
    counters.deletes.incrementAndGet();
    return ZoomFakeReply.noContent();
  }

  // ------------------------------------------------------------- host actions

  /**
   * The host changes the settings in the web portal (no API budget). The same rules as for API
   * requests apply. Returns the {@code meeting.updated} payload (object and old_object with the id,
   * uuid and only the changed settings), or empty when nothing changed.
   */
  synchronized Optional<ObjectNode> hostChangesSettings(
      long meetingId, boolean waitingRoom, boolean joinBeforeHost) {
    Stored meeting = existing(meetingId);
    boolean oldWaitingRoom = meeting.waitingRoom;
    boolean oldJoinBeforeHost = meeting.joinBeforeHost;
    meeting.waitingRoom = waitingRoom;
    meeting.joinBeforeHost = joinBeforeHost;
    enforceSecurity(meeting);
    if (meeting.waitingRoom == oldWaitingRoom && meeting.joinBeforeHost == oldJoinBeforeHost) {
      return Optional.empty();
    }
    ObjectNode payload = operatorPayload(meeting);
    ObjectNode object = payload.putObject("object");
    ObjectNode oldObject = payload.putObject("old_object");
    object.put("id", meeting.id);
    object.put("uuid", meeting.uuid);
    oldObject.put("id", meeting.id);
    oldObject.put("uuid", meeting.uuid);
    ObjectNode settings = object.putObject("settings");
    ObjectNode oldSettings = oldObject.putObject("settings");
    if (meeting.waitingRoom != oldWaitingRoom) {
      settings.put("waiting_room", meeting.waitingRoom);
      oldSettings.put("waiting_room", oldWaitingRoom);
    }
    if (meeting.joinBeforeHost != oldJoinBeforeHost) {
      settings.put("join_before_host", meeting.joinBeforeHost);
      oldSettings.put("join_before_host", oldJoinBeforeHost);
    }
    payload.put("time_stamp", clock.millis());
    return Optional.of(payload);
  }

  /**
   * The host deletes the meeting in the web portal; returns the {@code meeting.deleted} payload.
   */
  synchronized ObjectNode hostDeletesMeeting(long meetingId) {
    Stored meeting = existing(meetingId);
    meeting.deleted = true;
    ObjectNode payload = operatorPayload(meeting);
    ObjectNode object = payload.putObject("object");
    object.put("uuid", meeting.uuid);
    object.put("id", meeting.id);
    object.put("host_id", meeting.hostId);
    object.put("topic", meeting.topic);
    object.put("type", meeting.type);
    object.put("start_time", iso(meeting.start));
    object.put("duration", meeting.duration);
    object.put("timezone", meeting.timezone);
    payload.put("time_stamp", clock.millis());
    return payload;
  }

  // ---------------------------------------------------------------- snapshots

  synchronized List<ZoomFake.Meeting> snapshots() {
    return meetings.values().stream().map(this::snapshot).toList();
  }

  synchronized Optional<ZoomFake.Meeting> snapshot(long meetingId) {
    Stored meeting = meetings.get(meetingId);
    return meeting == null ? Optional.empty() : Optional.of(snapshot(meeting));
  }

  private ZoomFake.Meeting snapshot(Stored m) {
    return new ZoomFake.Meeting(
        m.id,
        m.uuid,
        m.hostId,
        hostEmail(m),
        m.topic,
        m.type,
        m.start,
        m.duration,
        m.timezone,
        m.createdAt,
        joinUrl(m),
        m.password,
        m.waitingRoom,
        m.joinBeforeHost,
        m.jbhTime,
        m.meetingAuthentication,
        m.approvalType,
        m.encryptionType,
        m.muteUponEntry,
        m.deleted);
  }

  // ------------------------------------------------------------------ helpers

  private Optional<ZoomFakeDirectory.User> host(ZoomFakeOAuth.Principal principal, String ref) {
    String tokenUser = principal.userId();
    Optional<ZoomFakeDirectory.User> user;
    if (ref.equals("me")) {
      user =
          tokenUser != null
              ? directory.userById(tokenUser)
              : directory.firstUser(principal.accountId());
    } else {
      user = directory.user(principal.accountId(), ref);
    }
    // A user-level token acts for its own user only.
    return tokenUser == null ? user : user.filter(u -> u.id().equals(tokenUser));
  }

  private @Nullable Stored visible(ZoomFakeOAuth.Principal principal, String idText) {
    long id;
    try {
      id = Long.parseLong(idText);
    } catch (NumberFormatException e) {
      return null;
    }
    Stored meeting = meetings.get(id);
    if (meeting == null
        || meeting.deleted
        || !meeting.accountId.equals(principal.accountId())
        || (principal.userId() != null && !meeting.hostId.equals(principal.userId()))) {
      return null;
    }
    return meeting;
  }

  private Stored existing(long meetingId) {
    Stored meeting = meetings.get(meetingId);
    if (meeting == null || meeting.deleted) {
      throw new IllegalArgumentException("the fake has no meeting " + meetingId);
    }
    return meeting;
  }

  private long newId() {
    long id;
    do {
      id = random.meetingId();
    } while (meetings.containsKey(id));
    return id;
  }

  /**
   * Zoom's "Require that all meetings are secured with one security option" (on and locked for most
   * accounts since 2020): with no passcode and no authentication the waiting room stays on. A
   * waiting room or end-to-end encryption disables join-before-host (meetingCreate spec).
   */
  private static void enforceSecurity(Stored meeting) {
    if (!meeting.waitingRoom && meeting.password.isEmpty() && !meeting.meetingAuthentication) {
      meeting.waitingRoom = true;
    }
    if (meeting.waitingRoom || meeting.encryptionType.equals("e2ee")) {
      meeting.joinBeforeHost = false;
    }
  }

  private static void applySettings(Stored meeting, Draft draft) {
    if (draft.waitingRoom != null) {
      meeting.waitingRoom = draft.waitingRoom;
    }
    if (draft.joinBeforeHost != null) {
      meeting.joinBeforeHost = draft.joinBeforeHost;
    }
    if (draft.jbhTime != null) {
      meeting.jbhTime = draft.jbhTime;
    }
    if (draft.meetingAuthentication != null) {
      meeting.meetingAuthentication = draft.meetingAuthentication;
    }
    if (draft.approvalType != null) {
      meeting.approvalType = draft.approvalType;
    }
    if (draft.encryptionType != null) {
      meeting.encryptionType = draft.encryptionType;
    }
    if (draft.muteUponEntry != null) {
      meeting.muteUponEntry = draft.muteUponEntry;
    }
    if (draft.hostVideo != null) {
      meeting.hostVideo = draft.hostVideo;
    }
    if (draft.participantVideo != null) {
      meeting.participantVideo = draft.participantVideo;
    }
    if (draft.autoRecording != null) {
      meeting.autoRecording = draft.autoRecording;
    }
  }

  /** The meeting object of create and GET (API-NOTES §1.2 "Response 201"). */
  private ObjectNode full(Stored m) {
    ObjectNode node = json.createObjectNode();
    node.put("uuid", m.uuid);
    node.put("id", m.id);
    node.put("host_id", m.hostId);
    node.put("host_email", hostEmail(m));
    node.put("topic", m.topic);
    node.put("type", m.type);
    node.put("status", "waiting");
    node.put("start_time", iso(m.start));
    node.put("duration", m.duration);
    node.put("timezone", m.timezone);
    if (!m.agenda.isEmpty()) {
      node.put("agenda", m.agenda);
    }
    node.put("created_at", iso(m.createdAt));
    node.put("start_url", baseUrl + "/s/" + m.id + "?zak=" + m.zak);
    node.put("join_url", joinUrl(m));
    if (!m.password.isEmpty()) {
      node.put("password", m.password);
      node.put("h323_password", m.h323Password);
      node.put("pstn_password", m.h323Password);
      node.put("encrypted_password", m.encryptedPassword);
    }
    node.put("pre_schedule", false);
    node.put("creation_source", "open_api");
    ObjectNode settings = node.putObject("settings");
    settings.put("host_video", m.hostVideo);
    settings.put("participant_video", m.participantVideo);
    settings.put("join_before_host", m.joinBeforeHost);
    settings.put("jbh_time", m.jbhTime);
    settings.put("mute_upon_entry", m.muteUponEntry);
    settings.put("approval_type", m.approvalType);
    settings.put("waiting_room", m.waitingRoom);
    settings.put("meeting_authentication", m.meetingAuthentication);
    settings.put("encryption_type", m.encryptionType);
    settings.put("auto_recording", m.autoRecording);
    return node;
  }

  private ObjectNode operatorPayload(Stored meeting) {
    ObjectNode payload = json.createObjectNode();
    payload.put("account_id", meeting.accountId);
    payload.put("operator", hostEmail(meeting));
    payload.put("operator_id", meeting.hostId);
    return payload;
  }

  private String hostEmail(Stored meeting) {
    return directory.userById(meeting.hostId).map(ZoomFakeDirectory.User::email).orElse("");
  }

  private String joinUrl(Stored m) {
    return baseUrl + "/j/" + m.id + (m.password.isEmpty() ? "" : "?pwd=" + m.encryptedPassword);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  /** {@code yyyy-MM-ddTHH:mm:ssZ}, the form Zoom answers in. */
  private static String iso(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /**
   * A UTC ({@code …Z}) or offset time as is; a local time in {@code zone} (API-NOTES §1.2).
   *
   * @throws DateTimeParseException when it is neither
   */
  private static Instant start(String text, ZoneId zone) {
    Instant instant;
    try {
      instant = OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException notOffset) {
      instant = LocalDateTime.parse(text).atZone(zone).toInstant();
    }
    return instant.truncatedTo(ChronoUnit.SECONDS);
  }

  private static String pageToken(long sequence) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((PAGE_TOKEN_PREFIX + sequence).getBytes(StandardCharsets.UTF_8));
  }

  private static @Nullable Long pageTokenSequence(String token) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      return text.startsWith(PAGE_TOKEN_PREFIX)
          ? Long.valueOf(text.substring(PAGE_TOKEN_PREFIX.length()))
          : null;
    } catch (IllegalArgumentException e) { // also NumberFormatException
      return null;
    }
  }

  // ------------------------------------------------------------------ parsing

  /** The body as a draft with its invalid fields listed, or {@code null} if not a JSON object. */
  private @Nullable Draft parse(byte[] body) {
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (JacksonException e) {
      return null;
    }
    if (root == null || !root.isObject()) {
      return null;
    }
    Draft draft = new Draft();
    draft.topic = string(root, "topic", "topic", draft);
    if (draft.topic != null && draft.topic.length() > 200) {
      draft.invalid.add("topic");
    }
    draft.type = integer(root, "type", "type", draft);
    if (draft.type != null && !TYPES.contains(draft.type)) {
      draft.invalid.add("type");
    }
    draft.timezone = string(root, "timezone", "timezone", draft);
    if (draft.timezone != null && !ZONES.contains(draft.timezone)) {
      draft.invalid.add("timezone");
    }
    draft.startTime = string(root, "start_time", "start_time", draft);
    if (draft.startTime != null) {
      try {
        start(draft.startTime, ZoneId.of("UTC"));
      } catch (DateTimeParseException e) {
        draft.invalid.add("start_time");
      }
    }
    draft.duration = integer(root, "duration", "duration", draft);
    if (draft.duration != null && (draft.duration < 1 || draft.duration > 1440)) {
      draft.invalid.add("duration");
    }
    draft.password = string(root, "password", "password", draft);
    if (draft.password != null && draft.password.length() > 10) {
      draft.invalid.add("password");
    }
    draft.defaultPassword = bool(root, "default_password", "default_password", draft);
    draft.agenda = string(root, "agenda", "agenda", draft);
    if (draft.agenda != null && draft.agenda.length() > 2000) {
      draft.invalid.add("agenda");
    }
    JsonNode settings = root.path("settings");
    if (settings.isObject()) {
      draft.waitingRoom = bool(settings, "waiting_room", "settings.waiting_room", draft);
      draft.joinBeforeHost = bool(settings, "join_before_host", "settings.join_before_host", draft);
      draft.jbhTime = integer(settings, "jbh_time", "settings.jbh_time", draft);
      if (draft.jbhTime != null && !JBH_TIMES.contains(draft.jbhTime)) {
        draft.invalid.add("settings.jbh_time");
      }
      draft.meetingAuthentication =
          bool(settings, "meeting_authentication", "settings.meeting_authentication", draft);
      draft.approvalType = integer(settings, "approval_type", "settings.approval_type", draft);
      if (draft.approvalType != null && !APPROVAL_TYPES.contains(draft.approvalType)) {
        draft.invalid.add("settings.approval_type");
      }
      draft.encryptionType = string(settings, "encryption_type", "settings.encryption_type", draft);
      if (draft.encryptionType != null && !ENCRYPTION_TYPES.contains(draft.encryptionType)) {
        draft.invalid.add("settings.encryption_type");
      }
      draft.muteUponEntry = bool(settings, "mute_upon_entry", "settings.mute_upon_entry", draft);
      draft.hostVideo = bool(settings, "host_video", "settings.host_video", draft);
      draft.participantVideo =
          bool(settings, "participant_video", "settings.participant_video", draft);
      draft.autoRecording = string(settings, "auto_recording", "settings.auto_recording", draft);
      if (draft.autoRecording != null && !RECORDING.contains(draft.autoRecording)) {
        draft.invalid.add("settings.auto_recording");
      }
    } else if (!settings.isMissingNode() && !settings.isNull()) {
      draft.invalid.add("settings");
    }
    return draft;
  }

  private static @Nullable String string(JsonNode node, String name, String field, Draft draft) {
    JsonNode value = node.path(name);
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (!value.isString()) {
      draft.invalid.add(field);
      return null;
    }
    return value.asString();
  }

  private static @Nullable Integer integer(JsonNode node, String name, String field, Draft draft) {
    JsonNode value = node.path(name);
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      draft.invalid.add(field);
      return null;
    }
    return value.asInt();
  }

  private static @Nullable Boolean bool(JsonNode node, String name, String field, Draft draft) {
    JsonNode value = node.path(name);
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (!value.isBoolean()) {
      draft.invalid.add(field);
      return null;
    }
    return value.asBoolean();
  }

  // ------------------------------------------------------------------- errors

  private static ZoomFakeReply userDoesNotExist(String userRef) {
    return ZoomFakeReply.error(404, 1001, "User does not exist: " + userRef);
  }

  private static ZoomFakeReply meetingDoesNotExist(String idText) {
    return ZoomFakeReply.error(404, 3001, "Meeting does not exist: " + idText + ".");
  }

  private static ZoomFakeReply notAJsonObject() {
    return ZoomFakeReply.error(400, 300, "Request Body should be a valid JSON object.");
  }

  /** API-NOTES §1.4: code 300 with an {@code errors} array naming the fields. */
  private ZoomFakeReply validationFailed(List<String> fields) {
    ObjectNode body = json.createObjectNode();
    body.put("code", 300);
    body.put("message", "Validation Failed.");
    ArrayNode errors = body.putArray("errors");
    for (String field : fields) {
      ObjectNode error = errors.addObject();
      error.put("field", field);
      error.put("message", "Invalid field.");
    }
    return ZoomFakeReply.json(400, body);
  }
}
