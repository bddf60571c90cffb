package org.sessionbridge.connector.google.fake;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Users, their calendars and events, each calendar's change log, sync tokens and page cursors.
 * Every API operation and host action runs under one lock; {@code onChange} is told the calendar id
 * after each change (it must not block). See {@link GoogleFake} for the behaviour modelled.
 */
final class GoogleFakeCalendars {

  /** Google's rule for client-chosen ids: base32hex (RFC 2938 §3.1.2), 5 to 1024 characters. */
  static final Pattern EVENT_ID = Pattern.compile("[a-v0-9]{5,1024}");

  static final int DEFAULT_PAGE = 250;
  static final int MAX_PAGE = 2500;
  private static final int MAX_CURSORS = 10_000;
  private static final String BASE32HEX = "0123456789abcdefghijklmnopqrstuv";

  /** Fields a client may write; everything else in a request body is ignored, as Google does. */
  private static final Set<String> WRITABLE =
      Set.of(
          "summary",
          "description",
          "location",
          "start",
          "end",
          "status",
          "transparency",
          "visibility",
          "extendedProperties",
          "attendees",
          "reminders",
          "colorId",
          "recurrence",
          "source",
          "guestsCanModify",
          "guestsCanInviteOthers",
          "guestsCanSeeOtherGuests",
          "anyoneCanAddSelf",
          "conferenceData");

  /** A refusal with Google's answer, thrown from deep inside a request and answered as is. */
  static final class Rejection extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient GoogleFakeReply reply;

    Rejection(GoogleFakeReply reply) {
      super(null, null, false, false);
      this.reply = reply;
    }

    static Rejection bad(String reason, String message) {
      return new Rejection(GoogleFakeReply.badRequest(reason, message));
    }
  }

  private static final class Calendar {
    final String id;
    final String owner;
    final String summary;
    final ZoneId zone;
    final Map<String, Stored> events = new LinkedHashMap<>();
    long seq;
    int epoch;
    Instant updated;

    Calendar(String id, String owner, String summary, ZoneId zone, Instant now) {
      this.id = id;
      this.owner = owner;
      this.summary = summary;
      this.zone = zone;
      this.updated = now;
    }
  }

  private static final class Stored {
    final String id;
    final Instant created;
    ObjectNode fields;
    String organizer;
    boolean deleted;
    long seq;
    long etag;
    Instant updated;
    int sequence;

    Stored(String id, Instant created) {
      this.id = id;
      this.created = created;
      this.updated = created;
      this.fields = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
      this.organizer = "";
    }

    String status() {
      return fields.path("status").asString("confirmed");
    }

    boolean cancelled() {
      return "cancelled".equals(status());
    }
  }

  private record SyncPoint(String calendarId, long seq, int epoch) {}

  private record Cursor(String calendarId, List<ObjectNode> rest, String nextSyncToken) {}

  private final Clock clock;
  private final JsonMapper json;
  private final GoogleFakeCounters counters;
  private final Consumer<String> onChange;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, List<String>> users = new LinkedHashMap<>();
  private final Map<String, Calendar> calendars = new HashMap<>();
  private final Map<SyncPoint, String> syncTokensByPoint = new HashMap<>();
  private final Map<String, SyncPoint> syncTokens = new HashMap<>();
  private final LinkedHashMap<String, Cursor> cursors =
      new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cursor> eldest) {
          return size() > MAX_CURSORS;
        }
      };
  private long etags;
  private final String baseUrl;

  GoogleFakeCalendars(
      Clock clock,
      JsonMapper json,
      GoogleFakeCounters counters,
      String baseUrl,
      Consumer<String> onChange) {
    this.clock = clock;
    this.json = json;
    this.counters = counters;
    this.baseUrl = baseUrl;
    this.onChange = onChange;
    this.etags = 3_181_000_000_000_000L + clock.millis() % 1_000_000_000L;
  }

  // -------------------------------------------------------------------- setup

  synchronized void addUser(String email, ZoneId zone) {
    if (email.isBlank() || !email.contains("@")) {
      throw new IllegalArgumentException("a user is an e-mail address");
    }
    if (users.containsKey(email)) {
      throw new IllegalArgumentException("the fake already has this user");
    }
    users.put(email, new ArrayList<>(List.of(email)));
    calendars.put(email, new Calendar(email, email, email, zone, clock.instant()));
  }

  synchronized String addCalendar(String email, String name, ZoneId zone) {
    List<String> owned = users.get(email);
    if (owned == null) {
      throw new IllegalArgumentException("the fake has no such user; call addUser first");
    }
    String id = randomId(26) + "@group.calendar.google.com";
    owned.add(id);
    calendars.put(id, new Calendar(id, email, name, zone, clock.instant()));
    return id;
  }

  synchronized Optional<String> firstUser() {
    return users.keySet().stream().findFirst();
  }

  synchronized boolean hasUser(String email) {
    return users.containsKey(email);
  }

  /** Whether the user owns the calendar ({@code primary} being their own). */
  synchronized Optional<String> resolve(String email, String calendarId) {
    String id = calendarId.equals("primary") ? email : calendarId;
    Calendar calendar = calendars.get(id);
    return calendar != null && calendar.owner.equals(email) ? Optional.of(id) : Optional.empty();
  }

  synchronized ZoneId zone(String calendarId) {
    return calendar(calendarId).zone;
  }

  /** {@code GET /users/me/calendarList}: the user's own calendars, one page. */
  synchronized GoogleFakeReply calendarList(String email) {
    ObjectNode page = json.createObjectNode();
    page.put("kind", "calendar#calendarList");
    page.put("etag", "\"l" + users.getOrDefault(email, List.of()).size() + "\"");
    ArrayNode items = page.putArray("items");
    for (String id : users.getOrDefault(email, List.of())) {
      Calendar calendar = calendars.get(id);
      ObjectNode entry = items.addObject();
      entry.put("kind", "calendar#calendarListEntry");
      entry.put("id", calendar.id);
      entry.put("summary", calendar.summary);
      entry.put("timeZone", calendar.zone.getId());
      entry.put("accessRole", "owner");
      if (calendar.id.equals(email)) {
        entry.put("primary", true);
      }
    }
    page.put("nextSyncToken", "CL" + randomId(20));
    return GoogleFakeReply.json(200, page);
  }

  synchronized void expireSyncTokens(String calendarId) {
    calendar(calendarId).epoch++;
  }

  // ---------------------------------------------------------------- snapshots

  synchronized List<GoogleFake.StoredEvent> snapshots(String calendarId) {
    Calendar calendar = calendar(calendarId);
    List<GoogleFake.StoredEvent> out = new ArrayList<>();
    for (Stored event : calendar.events.values()) {
      out.add(snapshot(calendar, event));
    }
    return out;
  }

  synchronized Optional<GoogleFake.StoredEvent> snapshot(String calendarId, String eventId) {
    Calendar calendar = calendar(calendarId);
    return Optional.ofNullable(calendar.events.get(eventId)).map(e -> snapshot(calendar, e));
  }

  private GoogleFake.StoredEvent snapshot(Calendar calendar, Stored event) {
    JsonNode start = event.fields.path("start");
    JsonNode end = event.fields.path("end");
    Map<String, String> properties = new LinkedHashMap<>();
    event
        .fields
        .path("extendedProperties")
        .path("private")
        .properties()
        .forEach(e -> properties.put(e.getKey(), e.getValue().asString("")));
    return new GoogleFake.StoredEvent(
        calendar.id,
        event.id,
        event.status(),
        event.deleted,
        GoogleFakeTimes.instant(start, calendar.zone),
        GoogleFakeTimes.instant(end, calendar.zone),
        GoogleFakeTimes.isAllDay(start),
        "transparent".equals(event.fields.path("transparency").asString("")),
        ownerResponse(calendar, event).orElse(""),
        "\"" + event.etag + "\"",
        event.created,
        event.updated,
        event.sequence,
        properties,
        event.fields.path("summary").asString(""));
  }

  // -------------------------------------------------------------- the API

  synchronized GoogleFakeReply insert(
      String calendarId, Map<String, List<String>> query, byte[] body) {
    Calendar calendar = calendar(calendarId);
    ObjectNode request = parse(body);
    String id;
    JsonNode requestedId = request.get("id");
    if (requestedId != null && !requestedId.isNull()) {
      id = requestedId.asString("");
      if (!EVENT_ID.matcher(id).matches()) {
        throw Rejection.bad("invalid", "Invalid resource id value.");
      }
      if (calendar.events.containsKey(id)) {
        // Also for a deleted or cancelled event: its id stays taken (API-NOTES §3.2).
        return GoogleFakeReply.error(
            409, "global", "duplicate", "The requested identifier already exists.");
      }
    } else {
      do {
        id = randomId(26);
      } while (calendar.events.containsKey(id));
    }
    ObjectNode fields = writable(request, query);
    validate(calendar, fields);
    Stored event = new Stored(id, clock.instant());
    event.fields = fields;
    event.organizer = calendar.owner;
    changed(calendar, event);
    calendar.events.put(id, event);
    counters.inserts.incrementAndGet();
    return GoogleFakeReply.json(200, render(calendar, event, false));
  }

  synchronized GoogleFakeReply get(String calendarId, String eventId) {
    Calendar calendar = calendar(calendarId);
    Stored event = calendar.events.get(eventId);
    if (event == null) {
      return GoogleFakeReply.notFound();
    }
    counters.gets.incrementAndGet();
    // A deleted event stays readable with status "cancelled" (API-NOTES §3.2).
    return GoogleFakeReply.json(200, render(calendar, event, false));
  }

  synchronized GoogleFakeReply update(
      String calendarId,
      String eventId,
      Map<String, List<String>> query,
      byte[] body,
      @Nullable String ifMatch) {
    Calendar calendar = calendar(calendarId);
    Stored event = calendar.events.get(eventId);
    if (event == null) {
      return GoogleFakeReply.notFound();
    }
    preconditions(event, ifMatch);
    ObjectNode fields = writable(parse(body), query);
    validate(calendar, fields);
    apply(calendar, event, fields);
    counters.updates.incrementAndGet();
    return GoogleFakeReply.json(200, render(calendar, event, false));
  }

  synchronized GoogleFakeReply patch(
      String calendarId,
      String eventId,
      Map<String, List<String>> query,
      byte[] body,
      @Nullable String ifMatch) {
    Calendar calendar = calendar(calendarId);
    Stored event = calendar.events.get(eventId);
    if (event == null) {
      return GoogleFakeReply.notFound();
    }
    preconditions(event, ifMatch);
    ObjectNode patch = writable(parse(body), query);
    ObjectNode merged = event.fields.deepCopy();
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (value.isNull()) {
        merged.remove(name);
      } else if ((name.equals("start") || name.equals("end")) && value.isObject()) {
        ObjectNode time = merged.path(name).isObject() ? (ObjectNode) merged.get(name) : null;
        if (time == null || value.has("date") || value.has("dateTime")) {
          // A new kind of time replaces the old one; a lone timeZone is merged in.
          ObjectNode replaced = ((ObjectNode) value).deepCopy();
          if (!value.has("timeZone") && time != null && time.has("timeZone")) {
            replaced.set("timeZone", time.get("timeZone"));
          }
          merged.set(name, replaced);
        } else {
          time.setAll((ObjectNode) value);
        }
      } else if (value.isObject() && merged.path(name).isObject()) {
        merge((ObjectNode) merged.get(name), (ObjectNode) value);
      } else {
        merged.set(name, value.deepCopy()); // arrays are replaced wholesale (API-NOTES §3.2)
      }
    }
    validate(calendar, merged);
    apply(calendar, event, merged);
    counters.patches.incrementAndGet();
    return GoogleFakeReply.json(200, render(calendar, event, false));
  }

  synchronized GoogleFakeReply delete(String calendarId, String eventId, @Nullable String ifMatch) {
    Calendar calendar = calendar(calendarId);
    Stored event = calendar.events.get(eventId);
    if (event == null) {
      return GoogleFakeReply.notFound();
    }
    if (event.cancelled()) {
      return GoogleFakeReply.error(410, "calendar", "deleted", "Resource has been deleted");
    }
    preconditions(event, ifMatch);
    event.fields.put("status", "cancelled");
    event.deleted = true;
    changed(calendar, event);
    counters.deletes.incrementAndGet();
    return GoogleFakeReply.noContent();
  }

  synchronized GoogleFakeReply list(String calendarId, Map<String, List<String>> query) {
    Calendar calendar = calendar(calendarId);
    int pageSize = pageSize(first(query, "maxResults"));
    String pageToken = first(query, "pageToken");
    List<ObjectNode> items;
    String nextSyncToken;
    if (pageToken != null) {
      Cursor cursor = cursors.remove(pageToken);
      if (cursor == null || !cursor.calendarId().equals(calendar.id)) {
        throw Rejection.bad("invalid", "Invalid Value");
      }
      items = cursor.rest();
      nextSyncToken = cursor.nextSyncToken();
    } else {
      String syncToken = first(query, "syncToken");
      items = syncToken != null ? changedSince(calendar, syncToken, query) : full(calendar, query);
      nextSyncToken = syncToken(calendar);
    }
    ObjectNode page = json.createObjectNode();
    page.put("kind", "calendar#events");
    page.put("etag", "\"p" + calendar.seq + "\"");
    page.put("summary", calendar.summary);
    page.put("description", "");
    page.put("updated", GoogleFakeTimes.stamp(calendar.updated));
    page.put("timeZone", calendar.zone.getId());
    page.put("accessRole", "owner");
    ObjectNode reminder = page.putArray("defaultReminders").addObject();
    reminder.put("method", "popup");
    reminder.put("minutes", 10);
    ArrayNode out = page.putArray("items");
    int shown = Math.min(pageSize, items.size());
    for (int i = 0; i < shown; i++) {
      out.add(items.get(i));
    }
    if (items.size() > shown) {
      String token = randomId(40);
      cursors.put(
          token,
          new Cursor(
              calendar.id, new ArrayList<>(items.subList(shown, items.size())), nextSyncToken));
      page.put("nextPageToken", token);
    } else {
      page.put("nextSyncToken", nextSyncToken);
    }
    counters.lists.incrementAndGet();
    return GoogleFakeReply.json(200, page);
  }

  private static final List<String> FORBIDDEN_WITH_SYNC_TOKEN =
      List.of(
          "iCalUID",
          "orderBy",
          "privateExtendedProperty",
          "q",
          "sharedExtendedProperty",
          "timeMin",
          "timeMax",
          "updatedMin");

  private List<ObjectNode> changedSince(
      Calendar calendar, String syncToken, Map<String, List<String>> query) {
    for (String name : FORBIDDEN_WITH_SYNC_TOKEN) {
      if (query.containsKey(name)) {
        throw Rejection.bad(
            "syncTokenWithRequestRestrictions",
            "Sync token cannot be used with other request restrictions.");
      }
    }
    if ("false".equals(first(query, "showDeleted"))) {
      throw Rejection.bad(
          "syncTokenWithRequestRestrictions",
          "Sync token cannot be used with other request restrictions.");
    }
    SyncPoint point = syncTokens.get(syncToken);
    if (point == null
        || !point.calendarId().equals(calendar.id)
        || point.epoch() != calendar.epoch) {
      throw new Rejection(
          GoogleFakeReply.error(
              410,
              "calendar",
              "fullSyncRequired",
              "Sync token is no longer valid, a full sync is required."));
    }
    return calendar.events.values().stream()
        .filter(e -> e.seq > point.seq())
        .sorted(Comparator.comparingLong(e -> e.seq))
        .map(e -> render(calendar, e, true))
        .toList();
  }

  private List<ObjectNode> full(Calendar calendar, Map<String, List<String>> query) {
    boolean showDeleted = "true".equals(first(query, "showDeleted"));
    Instant timeMin = GoogleFakeTimes.queryInstant("timeMin", first(query, "timeMin"));
    Instant timeMax = GoogleFakeTimes.queryInstant("timeMax", first(query, "timeMax"));
    Instant updatedMin = GoogleFakeTimes.queryInstant("updatedMin", first(query, "updatedMin"));
    if (timeMin != null && timeMax != null && !timeMax.isAfter(timeMin)) {
      throw new Rejection(
          GoogleFakeReply.error(
              400, "calendar", "timeRangeEmpty", "The specified time range is empty."));
    }
    String orderBy = first(query, "orderBy");
    if ("startTime".equals(orderBy) && !"true".equals(first(query, "singleEvents"))) {
      throw Rejection.bad(
          "badRequest", "The requested ordering is not available for the particular query.");
    }
    String iCalUid = first(query, "iCalUID");
    String q = first(query, "q");
    List<String> properties = query.getOrDefault("privateExtendedProperty", List.of());
    List<Stored> matching = new ArrayList<>();
    for (Stored event : calendar.events.values()) {
      if (event.cancelled() && !showDeleted) {
        continue;
      }
      Instant start = GoogleFakeTimes.instant(event.fields.get("start"), calendar.zone);
      Instant end = endOf(calendar, event);
      if (timeMin != null && !end.isAfter(timeMin)) {
        continue;
      }
      if (timeMax != null && !start.isBefore(timeMax)) {
        continue;
      }
      if (updatedMin != null && event.updated.isBefore(updatedMin)) {
        continue;
      }
      if (iCalUid != null && !iCalUid.equals(event.id + "@google.com")) {
        continue;
      }
      if (q != null && !matchesText(event, q)) {
        continue;
      }
      if (!hasProperties(event, properties)) {
        continue;
      }
      matching.add(event);
    }
    if ("startTime".equals(orderBy)) {
      matching.sort(
          Comparator.comparing(e -> GoogleFakeTimes.instant(e.fields.get("start"), calendar.zone)));
    } else if ("updated".equals(orderBy)) {
      matching.sort(Comparator.comparing(e -> e.updated));
    }
    return matching.stream().map(e -> render(calendar, e, true)).toList();
  }

  private static Instant endOf(Calendar calendar, Stored event) {
    return GoogleFakeTimes.instant(event.fields.get("end"), calendar.zone);
  }

  private static boolean matchesText(Stored event, String q) {
    String needle = q.toLowerCase(java.util.Locale.ROOT);
    for (String field : List.of("summary", "description", "location")) {
      if (event
          .fields
          .path(field)
          .asString("")
          .toLowerCase(java.util.Locale.ROOT)
          .contains(needle)) {
        return true;
      }
    }
    return false;
  }

  /** {@code privateExtendedProperty=name=value}, repeatable, all must hold. */
  private static boolean hasProperties(Stored event, List<String> wanted) {
    JsonNode stored = event.fields.path("extendedProperties").path("private");
    for (String pair : wanted) {
      int equals = pair.indexOf('=');
      if (equals < 1) {
        throw Rejection.bad("invalid", "Invalid Value");
      }
      String name = pair.substring(0, equals);
      if (!stored.path(name).asString("\u0000").equals(pair.substring(equals + 1))) {
        return false;
      }
    }
    return true;
  }

  private String syncToken(Calendar calendar) {
    SyncPoint point = new SyncPoint(calendar.id, calendar.seq, calendar.epoch);
    return syncTokensByPoint.computeIfAbsent(
        point,
        p -> {
          String token = "CP" + randomId(30) + "GAU=";
          syncTokens.put(token, p);
          return token;
        });
  }

  private static int pageSize(@Nullable String maxResults) {
    if (maxResults == null) {
      return DEFAULT_PAGE;
    }
    int size;
    try {
      size = Integer.parseInt(maxResults);
    } catch (NumberFormatException e) {
      throw Rejection.bad("invalid", "Invalid value for: maxResults");
    }
    if (size < 1) {
      throw Rejection.bad("invalid", "Invalid value for: maxResults");
    }
    return Math.min(size, MAX_PAGE); // Google never sends more than 2500
  }

  // ------------------------------------------------------------ host actions

  synchronized void hostMoves(String calendarId, String eventId, Instant start, Instant end) {
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("the end must be after the start");
    }
    Calendar calendar = calendar(calendarId);
    Stored event = live(calendar, eventId);
    ZoneId zone = GoogleFakeTimes.zoneOf(event.fields.get("start")).orElse(calendar.zone);
    ObjectNode fields = event.fields.deepCopy();
    fields.set("start", GoogleFakeTimes.timed(start, zone));
    fields.set("end", GoogleFakeTimes.timed(end, zone));
    apply(calendar, event, fields);
  }

  synchronized void hostDeletes(String calendarId, String eventId) {
    Calendar calendar = calendar(calendarId);
    Stored event = live(calendar, eventId);
    event.fields.put("status", "cancelled");
    event.deleted = true;
    changed(calendar, event);
  }

  synchronized String hostAdds(
      String calendarId,
      String summary,
      ObjectNode start,
      ObjectNode end,
      boolean transparent,
      @Nullable String organizer) {
    Calendar calendar = calendar(calendarId);
    String id;
    do {
      id = randomId(26);
    } while (calendar.events.containsKey(id));
    ObjectNode fields = json.createObjectNode();
    fields.put("summary", summary);
    fields.set("start", start);
    fields.set("end", end);
    fields.put("status", "confirmed");
    if (transparent) {
      fields.put("transparency", "transparent");
    }
    if (organizer != null) {
      ArrayNode attendees = fields.putArray("attendees");
      ObjectNode them = attendees.addObject();
      them.put("email", organizer);
      them.put("organizer", true);
      them.put("responseStatus", "accepted");
      ObjectNode self = attendees.addObject();
      self.put("email", calendar.owner);
      self.put("responseStatus", "needsAction");
    }
    validate(calendar, fields);
    Stored event = new Stored(id, clock.instant());
    event.fields = fields;
    event.organizer = organizer != null ? organizer : calendar.owner;
    changed(calendar, event);
    calendar.events.put(id, event);
    return id;
  }

  synchronized void hostDeclines(String calendarId, String eventId) {
    Calendar calendar = calendar(calendarId);
    Stored event = live(calendar, eventId);
    ObjectNode fields = event.fields.deepCopy();
    ArrayNode attendees =
        fields.path("attendees").isArray()
            ? (ArrayNode) fields.get("attendees")
            : fields.putArray("attendees");
    ObjectNode self = null;
    for (JsonNode attendee : attendees) {
      if (calendar.owner.equalsIgnoreCase(attendee.path("email").asString(""))) {
        self = (ObjectNode) attendee;
      }
    }
    if (self == null) {
      self = attendees.addObject();
      self.put("email", calendar.owner);
    }
    self.put("responseStatus", "declined");
    event.fields = fields;
    changed(calendar, event);
  }

  private Stored live(Calendar calendar, String eventId) {
    Stored event = calendar.events.get(eventId);
    if (event == null || event.cancelled()) {
      throw new IllegalArgumentException("no such event on this calendar (or it is cancelled)");
    }
    return event;
  }

  // ---------------------------------------------------------------- helpers

  private Calendar calendar(String calendarId) {
    Calendar calendar = calendars.get(calendarId);
    if (calendar == null) {
      throw new IllegalArgumentException("the fake has no such calendar");
    }
    return calendar;
  }

  private ObjectNode parse(byte[] body) {
    if (body.length == 0) {
      return json.createObjectNode();
    }
    try {
      JsonNode node = json.readTree(body);
      if (node == null || !node.isObject()) {
        throw Rejection.bad("parseError", "Parse Error");
      }
      return (ObjectNode) node;
    } catch (JacksonException e) {
      throw Rejection.bad("parseError", "Parse Error");
    }
  }

  /** The writable fields of a request; {@code conferenceData} only with conferenceDataVersion=1. */
  private ObjectNode writable(ObjectNode request, Map<String, List<String>> query) {
    ObjectNode fields = json.createObjectNode();
    boolean conference = "1".equals(first(query, "conferenceDataVersion"));
    for (Map.Entry<String, JsonNode> field : request.properties()) {
      if (WRITABLE.contains(field.getKey())
          && (conference || !field.getKey().equals("conferenceData"))) {
        fields.set(field.getKey(), field.getValue().deepCopy());
      }
    }
    return fields;
  }

  /** Checks and normalizes a full set of fields in place (start/end, enums). */
  private void validate(Calendar calendar, ObjectNode fields) {
    JsonNode start = fields.get("start");
    JsonNode end = fields.get("end");
    if (start == null || start.isNull()) {
      throw Rejection.bad("required", "Missing start time.");
    }
    if (end == null || end.isNull()) {
      throw Rejection.bad("required", "Missing end time.");
    }
    ObjectNode startTime = GoogleFakeTimes.normalize("start", start, calendar.zone);
    ObjectNode endTime = GoogleFakeTimes.normalize("end", end, calendar.zone);
    if (GoogleFakeTimes.isAllDay(startTime) != GoogleFakeTimes.isAllDay(endTime)) {
      throw Rejection.bad(
          "invalid", "Start and end times must either both be date or both be dateTime.");
    }
    if (GoogleFakeTimes.instant(endTime, calendar.zone)
        .isBefore(GoogleFakeTimes.instant(startTime, calendar.zone))) {
      throw new Rejection(
          GoogleFakeReply.error(
              400, "calendar", "timeRangeEmpty", "The specified time range is empty."));
    }
    fields.set("start", startTime);
    fields.set("end", endTime);
    oneOf(fields, "status", "confirmed", "confirmed", "tentative", "cancelled");
    oneOf(fields, "transparency", "opaque", "opaque", "transparent");
    oneOf(fields, "visibility", "default", "default", "public", "private", "confidential");
    JsonNode properties = fields.path("extendedProperties");
    if (!properties.isMissingNode() && !properties.isObject()) {
      throw Rejection.bad("invalid", "Invalid Value");
    }
    for (String scope : List.of("private", "shared")) {
      JsonNode map = properties.path(scope);
      if (map.isMissingNode() || map.isNull()) {
        continue;
      }
      if (!map.isObject()) {
        throw Rejection.bad("invalid", "Invalid Value");
      }
      for (Map.Entry<String, JsonNode> entry : map.properties()) {
        if (!entry.getValue().isString()) {
          throw Rejection.bad("invalid", "Invalid Value"); // a string→string map
        }
      }
    }
    JsonNode attendees = fields.path("attendees");
    if (!attendees.isMissingNode() && !attendees.isArray()) {
      throw Rejection.bad("invalid", "Invalid Value");
    }
    for (JsonNode attendee : attendees) {
      if (!attendee.isObject() || attendee.path("email").asString("").isBlank()) {
        throw Rejection.bad("required", "Missing attendee email.");
      }
    }
  }

  private static void oneOf(ObjectNode fields, String name, String fallback, String... allowed) {
    JsonNode value = fields.get(name);
    if (value == null || value.isNull()) {
      fields.put(name, fallback);
      return;
    }
    String text = value.asString("");
    for (String ok : allowed) {
      if (ok.equals(text)) {
        return;
      }
    }
    throw Rejection.bad("invalid", "Invalid value for: " + name);
  }

  private static void preconditions(Stored event, @Nullable String ifMatch) {
    if (ifMatch != null && !ifMatch.equals("*") && !ifMatch.equals("\"" + event.etag + "\"")) {
      throw new Rejection(
          GoogleFakeReply.error(412, "global", "conditionNotMet", "Precondition Failed"));
    }
  }

  /** Replaces the event's fields; a live status revives a deleted event. */
  private void apply(Calendar calendar, Stored event, ObjectNode fields) {
    boolean moved =
        !fields.path("start").equals(event.fields.path("start"))
            || !fields.path("end").equals(event.fields.path("end"));
    event.fields = fields;
    if (!event.cancelled()) {
      event.deleted = false;
    }
    if (moved) {
      event.sequence++;
    }
    changed(calendar, event);
  }

  private void changed(Calendar calendar, Stored event) {
    Instant now = clock.instant();
    calendar.seq++;
    calendar.updated = now;
    event.seq = calendar.seq;
    event.etag = ++etags;
    event.updated = now;
    onChange.accept(calendar.id);
  }

  private static void merge(ObjectNode target, ObjectNode patch) {
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      JsonNode value = field.getValue();
      if (value.isNull()) {
        target.remove(field.getKey());
      } else if (value.isObject() && target.path(field.getKey()).isObject()) {
        merge((ObjectNode) target.get(field.getKey()), (ObjectNode) value);
      } else {
        target.set(field.getKey(), value.deepCopy());
      }
    }
  }

  /**
   * The event as Google shows it. In lists a cancelled event is the short form Google sends for
   * deleted events: kind, etag, id, status, updated.
   */
  private ObjectNode render(Calendar calendar, Stored event, boolean inList) {
    ObjectNode out = json.createObjectNode();
    out.put("kind", "calendar#event");
    out.put("etag", "\"" + event.etag + "\"");
    out.put("id", event.id);
    out.put("status", event.status());
    if (inList && event.cancelled()) {
      out.put("updated", GoogleFakeTimes.stamp(event.updated));
      return out;
    }
    out.put(
        "htmlLink",
        baseUrl
            + "/calendar/event?eid="
            + Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((event.id + " " + calendar.id).getBytes(StandardCharsets.UTF_8)));
    out.put("created", GoogleFakeTimes.stamp(event.created));
    out.put("updated", GoogleFakeTimes.stamp(event.updated));
    for (String text : List.of("summary", "description", "location", "colorId")) {
      if (event.fields.hasNonNull(text)) {
        out.set(text, event.fields.get(text));
      }
    }
    ObjectNode creator = out.putObject("creator");
    creator.put("email", event.organizer);
    if (event.organizer.equals(calendar.owner)) {
      creator.put("self", true);
    }
    ObjectNode organizer = out.putObject("organizer");
    organizer.put("email", event.organizer);
    if (event.organizer.equals(calendar.owner)) {
      organizer.put("self", true);
    }
    out.set("start", event.fields.get("start"));
    out.set("end", event.fields.get("end"));
    if ("transparent".equals(event.fields.path("transparency").asString(""))) {
      out.put("transparency", "transparent"); // Google leaves out the default "opaque"
    }
    String visibility = event.fields.path("visibility").asString("default");
    if (!visibility.equals("default")) {
      out.put("visibility", visibility);
    }
    if (event.fields.hasNonNull("recurrence")) {
      out.set("recurrence", event.fields.get("recurrence"));
    }
    out.put("iCalUID", event.id + "@google.com");
    out.put("sequence", event.sequence);
    if (event.fields.path("attendees").isArray()) {
      ArrayNode attendees = out.putArray("attendees");
      for (JsonNode given : event.fields.get("attendees")) {
        ObjectNode attendee = ((ObjectNode) given).deepCopy();
        if (!attendee.hasNonNull("responseStatus")) {
          attendee.put("responseStatus", "needsAction");
        }
        if (calendar.owner.equalsIgnoreCase(attendee.path("email").asString(""))) {
          attendee.put("self", true);
        }
        attendees.add(attendee);
      }
    }
    for (String copied : List.of("extendedProperties", "conferenceData", "source")) {
      if (event.fields.hasNonNull(copied)) {
        out.set(copied, event.fields.get(copied));
      }
    }
    for (String flag :
        List.of(
            "guestsCanModify",
            "guestsCanInviteOthers",
            "guestsCanSeeOtherGuests",
            "anyoneCanAddSelf")) {
      if (event.fields.hasNonNull(flag)) {
        out.set(flag, event.fields.get(flag));
      }
    }
    if (event.fields.hasNonNull("reminders")) {
      out.set("reminders", event.fields.get("reminders"));
    } else {
      out.putObject("reminders").put("useDefault", true);
    }
    out.put("eventType", "default");
    return out;
  }

  private static Optional<String> ownerResponse(Calendar calendar, Stored event) {
    for (JsonNode attendee : event.fields.path("attendees")) {
      if (calendar.owner.equalsIgnoreCase(attendee.path("email").asString(""))) {
        return Optional.of(attendee.path("responseStatus").asString("needsAction"));
      }
    }
    return Optional.empty();
  }

  static @Nullable String first(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** Random base32hex, the alphabet Google uses for the ids it makes. */
  String randomId(int length) {
    StringBuilder id = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      id.append(BASE32HEX.charAt(random.nextInt(32)));
    }
    return id.toString();
  }
}
