package org.sessionbridge.connector.microsoft.fake;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Mailboxes, calendars, events, calendar-view delta and subscriptions of the fake (API-NOTES §2.2
 * to §2.6). Thread-safe: state changes are synchronized; notifications go out on one background
 * thread, in order.
 */
public final class GraphFakeCalendars {

  /** Graph's maximum subscription lifetime for Outlook events (basic notifications). */
  static final Duration MAX_SUBSCRIPTION = Duration.ofMinutes(10_080);

  private static final Duration MIN_SUBSCRIPTION = Duration.ofMinutes(45);
  private static final DateTimeFormatter GRAPH_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS");
  private static final Pattern PROPERTY_FILTER =
      Pattern.compile(
          "singleValueExtendedProperties/any\\(\\s*(\\w+)\\s*:\\s*\\1/id eq '([^']+)' and \\1/value"
              + " eq '([^']*)'\\s*\\)",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern EXPAND_FILTER =
      Pattern.compile(
          "singleValueExtendedProperties\\(\\$filter=id eq '([^']+)'\\)", Pattern.CASE_INSENSITIVE);

  /**
   * One notification the fake sent and how the receiver answered.
   *
   * @param kind {@code change}, {@code lifecycle} or {@code validation}
   * @param status the receiver's HTTP status, 0 when it did not answer
   */
  public record Delivery(String kind, String subscriptionId, String detail, int status) {}

  private static final class Event {
    final String id;
    final String calendarId;
    final String owner;
    String subject;
    String bodyType = "text";
    String body = "";
    String location = "";
    Instant start;
    Instant end;
    boolean allDay;
    String showAs;
    String sensitivity = "normal";
    final @Nullable String transactionId;
    final Map<String, String> properties = new LinkedHashMap<>();
    String changeKey;
    long seq;
    boolean deleted;
    final Instant created;
    Instant modified;

    Event(
        String id,
        String calendarId,
        String owner,
        String subject,
        Instant start,
        Instant end,
        String showAs,
        @Nullable String transactionId,
        Instant now) {
      this.id = id;
      this.calendarId = calendarId;
      this.owner = owner;
      this.subject = subject;
      this.start = start;
      this.end = end;
      this.showAs = showAs;
      this.transactionId = transactionId;
      this.created = now;
      this.modified = now;
      this.changeKey = "";
    }
  }

  private static final class Subscription {
    final String id;
    final String resource;
    final String userId;
    final @Nullable String calendarId;
    final String changeType;
    final String notificationUrl;
    final @Nullable String lifecycleUrl;
    final String clientState;
    final String tenantId;
    Instant expiration;
    boolean deleted;

    Subscription(
        String id,
        String resource,
        String userId,
        @Nullable String calendarId,
        String changeType,
        String notificationUrl,
        @Nullable String lifecycleUrl,
        String clientState,
        String tenantId,
        Instant expiration) {
      this.id = id;
      this.resource = resource;
      this.userId = userId;
      this.calendarId = calendarId;
      this.changeType = changeType;
      this.notificationUrl = notificationUrl;
      this.lifecycleUrl = lifecycleUrl;
      this.clientState = clientState;
      this.tenantId = tenantId;
      this.expiration = expiration;
    }
  }

  private record DeltaState(
      String userId,
      @Nullable String calendarId,
      Instant windowStart,
      Instant windowEnd,
      long watermark,
      List<ObjectNode> remaining,
      long generation) {}

  private final Clock clock;
  private final GraphFakeCounters counters;
  private final String graphBaseUrl;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, String> defaultCalendars = new HashMap<>();
  private final Map<String, String> calendarOwners = new HashMap<>();
  private final Map<String, String> calendarNames = new LinkedHashMap<>();
  private final Map<String, Event> events = new LinkedHashMap<>();
  private final Map<String, DeltaState> deltaTokens = new HashMap<>();
  private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
  private final List<Delivery> deliveries = new ArrayList<>();
  private final ExecutorService notifier = GraphFake.pool("graph-fake-notify-", 1);
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private long seq;
  private long generation;
  private volatile boolean validate = true;

  GraphFakeCalendars(Clock clock, GraphFakeCounters counters, String graphBaseUrl) {
    this.clock = clock;
    this.counters = counters;
    this.graphBaseUrl = graphBaseUrl;
  }

  void close() {
    notifier.shutdownNow();
  }

  void validateNotificationUrls(boolean validate) {
    this.validate = validate;
  }

  synchronized void addMailbox(String userId) {
    String id = "AAMkCal" + token(18);
    defaultCalendars.put(userId, id);
    calendarOwners.put(id, userId);
    calendarNames.put(id, "Calendar");
  }

  synchronized String defaultCalendar(String userId) {
    return Objects.requireNonNull(defaultCalendars.get(userId), "mailbox");
  }

  synchronized String addCalendar(String userId, String name) {
    String id = "AAMkCal" + token(18);
    calendarOwners.put(id, userId);
    calendarNames.put(id, name);
    return id;
  }

  // ------------------------------------------------------------------ API

  synchronized GraphFakeReply mailboxApi(
      String userId,
      String method,
      List<String> rest,
      Map<String, String> query,
      String prefer,
      byte[] body) {
    // /calendars: the mailbox's calendars, default first
    if (rest.size() == 1 && rest.get(0).equals("calendars")) {
      if (!method.equals("GET")) {
        return GraphFake.methodNotAllowed(method);
      }
      ObjectNode page = GraphFakeReply.MAPPER.createObjectNode();
      ArrayNode items = page.putArray("value");
      for (Map.Entry<String, String> c : calendarNames.entrySet()) {
        if (!userId.equals(calendarOwners.get(c.getKey()))) {
          continue;
        }
        ObjectNode item = items.addObject();
        item.put("id", c.getKey());
        item.put("name", c.getValue());
        item.put("isDefaultCalendar", c.getKey().equals(defaultCalendars.get(userId)));
        item.put("canEdit", true);
      }
      return GraphFakeReply.json(200, page);
    }
    // /calendar/events, /calendars/{id}/events
    String calendarId = null;
    List<String> tail = rest;
    if (!rest.isEmpty() && rest.get(0).equals("calendar")) {
      calendarId = defaultCalendars.get(userId);
      tail = rest.subList(1, rest.size());
    } else if (rest.size() >= 2 && rest.get(0).equals("calendars")) {
      calendarId = rest.get(1);
      if (!userId.equals(calendarOwners.get(calendarId))) {
        return GraphFakeReply.error(
            404, "ErrorItemNotFound", "The specified object was not found in the store.");
      }
      tail = rest.subList(2, rest.size());
    }
    if (tail.size() == 1 && tail.get(0).equals("events")) {
      String calendar = calendarId != null ? calendarId : defaultCalendars.get(userId);
      return switch (method) {
        case "POST" -> createEvent(userId, calendar, body);
        case "GET" -> listEvents(userId, calendar, query);
        default -> GraphFake.methodNotAllowed(method);
      };
    }
    // The SDK calls the function as delta(), Graph's own links say delta: both are served.
    if (tail.size() == 2
        && tail.get(0).equals("calendarView")
        && (tail.get(1).equals("delta") || tail.get(1).equals("delta()"))) {
      if (!method.equals("GET")) {
        return GraphFake.methodNotAllowed(method);
      }
      String calendar = calendarId != null ? calendarId : defaultCalendars.get(userId);
      return delta(userId, calendar, calendarId == null, query, prefer);
    }
    if (calendarId == null && tail.size() == 2 && tail.get(0).equals("events")) {
      Event event = events.get(tail.get(1));
      if (event == null || event.deleted || !event.owner.equals(userId)) {
        return GraphFakeReply.error(
            404, "ErrorItemNotFound", "The specified object was not found in the store.");
      }
      return switch (method) {
        case "GET" -> GraphFakeReply.json(200, json(event, expandedProperty(query)));
        case "PATCH" -> patchEvent(event, body);
        case "DELETE" -> deleteEvent(event);
        default -> GraphFake.methodNotAllowed(method);
      };
    }
    return GraphFakeReply.error(400, "BadRequest", "Unsupported mailbox request.");
  }

  private GraphFakeReply createEvent(String userId, String calendarId, byte[] body) {
    ObjectNode request;
    try {
      request = (ObjectNode) GraphFakeReply.MAPPER.readTree(body);
    } catch (RuntimeException e) {
      return GraphFakeReply.error(400, "RequestBodyRead", "Cannot read the request body.");
    }
    String transactionId =
        request.path("transactionId").isString() ? request.path("transactionId").asString() : null;
    if (transactionId != null) {
      for (Event existing : events.values()) {
        if (!existing.deleted
            && existing.owner.equals(userId)
            && transactionId.equals(existing.transactionId)) {
          return GraphFakeReply.json(201, json(existing, null)); // the retried create: no twin
        }
      }
    }
    Instant start;
    Instant end;
    try {
      start = dateTimeTimeZone(request.path("start"));
      end = dateTimeTimeZone(request.path("end"));
    } catch (RuntimeException e) {
      return GraphFakeReply.error(
          400, "ErrorInvalidRequest", "start and end must be dateTimeTimeZone values.");
    }
    if (end.isBefore(start)) {
      return GraphFakeReply.error(
          400, "ErrorInvalidRequest", "The end of the event is before its start.");
    }
    Event event =
        new Event(
            "AAMkEv" + token(24),
            calendarId,
            userId,
            request.path("subject").asString(""),
            start,
            end,
            request.path("showAs").asString("busy"),
            transactionId,
            clock.instant());
    apply(event, request);
    touch(event);
    events.put(event.id, event);
    counters.eventCreates.incrementAndGet();
    notify(event, "created");
    return GraphFakeReply.json(201, json(event, null));
  }

  private GraphFakeReply patchEvent(Event event, byte[] body) {
    ObjectNode request;
    try {
      request = (ObjectNode) GraphFakeReply.MAPPER.readTree(body);
    } catch (RuntimeException e) {
      return GraphFakeReply.error(400, "RequestBodyRead", "Cannot read the request body.");
    }
    if (request.has("transactionId")
        && !Objects.equals(request.path("transactionId").asString(null), event.transactionId)) {
      return GraphFakeReply.error(
          400, "ErrorInvalidPropertyUpdate", "transactionId cannot be changed.");
    }
    try {
      if (request.has("start")) {
        event.start = dateTimeTimeZone(request.path("start"));
      }
      if (request.has("end")) {
        event.end = dateTimeTimeZone(request.path("end"));
      }
    } catch (RuntimeException e) {
      return GraphFakeReply.error(
          400, "ErrorInvalidRequest", "start and end must be dateTimeTimeZone values.");
    }
    if (request.has("subject")) {
      event.subject = request.path("subject").asString("");
    }
    if (request.has("showAs")) {
      event.showAs = request.path("showAs").asString("busy");
    }
    apply(event, request);
    touch(event);
    counters.eventPatches.incrementAndGet();
    notify(event, "updated");
    return GraphFakeReply.json(200, json(event, null));
  }

  private GraphFakeReply deleteEvent(Event event) {
    event.deleted = true;
    touch(event);
    counters.eventDeletes.incrementAndGet();
    notify(event, "deleted");
    return GraphFakeReply.noContent();
  }

  private void apply(Event event, ObjectNode request) {
    JsonNode body = request.path("body");
    if (body.isObject()) {
      event.bodyType = body.path("contentType").asString("text");
      event.body = body.path("content").asString("");
    }
    if (request.path("location").isObject()) {
      event.location = request.path("location").path("displayName").asString("");
    }
    if (request.has("sensitivity")) {
      event.sensitivity = request.path("sensitivity").asString("normal");
    }
    if (request.has("isAllDay")) {
      event.allDay = request.path("isAllDay").asBoolean(false);
    }
    JsonNode properties = request.path("singleValueExtendedProperties");
    if (properties.isArray()) {
      for (JsonNode property : properties) {
        event.properties.put(property.path("id").asString(""), property.path("value").asString(""));
      }
    }
  }

  private GraphFakeReply listEvents(String userId, String calendarId, Map<String, String> query) {
    String filter = query.get("$filter");
    String propertyId = null;
    String propertyValue = null;
    if (filter != null) {
      Matcher m = PROPERTY_FILTER.matcher(filter.strip());
      if (!m.matches()) {
        return GraphFakeReply.error(
            400, "ErrorInvalidUrlQueryFilter", "The query filter is not supported by the fake.");
      }
      propertyId = m.group(2);
      propertyValue = m.group(3);
    }
    ArrayNode value = GraphFakeReply.MAPPER.createArrayNode();
    for (Event event : events.values()) {
      if (event.deleted || !event.owner.equals(userId) || !event.calendarId.equals(calendarId)) {
        continue;
      }
      if (propertyId != null && !propertyValue.equals(lookup(event.properties, propertyId))) {
        continue;
      }
      value.add(json(event, expandedProperty(query)));
    }
    ObjectNode page = GraphFakeReply.MAPPER.createObjectNode();
    page.set("value", value);
    return GraphFakeReply.json(200, page);
  }

  /** Extended property ids compare case-insensitively, as Exchange's do. */
  private static @Nullable String lookup(Map<String, String> properties, String id) {
    for (Map.Entry<String, String> e : properties.entrySet()) {
      if (e.getKey().equalsIgnoreCase(id)) {
        return e.getValue();
      }
    }
    return null;
  }

  private static @Nullable String expandedProperty(Map<String, String> query) {
    String expand = query.get("$expand");
    if (expand == null) {
      return null;
    }
    Matcher m = EXPAND_FILTER.matcher(expand);
    return m.find() ? m.group(1) : null;
  }

  // ---------------------------------------------------------------- delta

  private GraphFakeReply delta(
      String userId, String calendarId, boolean primary, Map<String, String> query, String prefer) {
    int pageSize = 10;
    Matcher size = Pattern.compile("odata\\.maxpagesize=(\\d+)").matcher(prefer);
    if (size.find()) {
      pageSize = Math.max(1, Math.min(1000, Integer.parseInt(size.group(1))));
    }
    DeltaState state;
    String skip = query.get("$skiptoken");
    String deltaToken = query.get("$deltatoken");
    if (skip != null || deltaToken != null) {
      DeltaState known = deltaTokens.remove(skip != null ? skip : deltaToken);
      if (known == null) {
        return GraphFakeReply.error(
            400, "syncStateNotFound", "The sync state generation is not found.");
      }
      if (known.generation != generation) {
        String restart =
            graphBaseUrl
                + "/users/"
                + userId
                + (primary ? "" : "/calendars/" + calendarId)
                + "/calendarView/delta?startDateTime="
                + enc(known.windowStart.toString())
                + "&endDateTime="
                + enc(known.windowEnd.toString());
        return GraphFakeReply.error(410, "syncStateNotFound", "The sync state has expired.")
            .withHeaders(Map.of("Location", restart));
      }
      if (!known.userId.equals(userId) || !Objects.equals(known.calendarId, calendarId)) {
        return GraphFakeReply.error(400, "syncStateInvalid", "The sync state is not valid.");
      }
      if (skip != null) {
        state = known;
      } else {
        state =
            new DeltaState(
                userId,
                calendarId,
                known.windowStart,
                known.windowEnd,
                seq,
                changesSince(known),
                generation);
      }
    } else {
      Instant from;
      Instant to;
      try {
        from = OffsetDateTime.parse(query.getOrDefault("startDateTime", "")).toInstant();
        to = OffsetDateTime.parse(query.getOrDefault("endDateTime", "")).toInstant();
      } catch (RuntimeException e) {
        return GraphFakeReply.error(
            400,
            "ErrorInvalidParameter",
            "startDateTime and endDateTime are required ISO 8601 values.");
      }
      List<ObjectNode> all = new ArrayList<>();
      for (Event event : events.values()) {
        if (!event.deleted
            && event.owner.equals(userId)
            && event.calendarId.equals(calendarId)
            && overlaps(event, from, to)) {
          all.add(json(event, null));
        }
      }
      state = new DeltaState(userId, calendarId, from, to, seq, all, generation);
    }
    List<ObjectNode> pageItems =
        new ArrayList<>(state.remaining.subList(0, Math.min(pageSize, state.remaining.size())));
    List<ObjectNode> left =
        new ArrayList<>(state.remaining.subList(pageItems.size(), state.remaining.size()));
    ObjectNode page = GraphFakeReply.MAPPER.createObjectNode();
    String token = token(24);
    String base =
        graphBaseUrl
            + "/users/"
            + userId
            + (primary ? "" : "/calendars/" + calendarId)
            + "/calendarView/delta?";
    if (!left.isEmpty()) {
      deltaTokens.put(
          token,
          new DeltaState(
              userId,
              calendarId,
              state.windowStart,
              state.windowEnd,
              state.watermark,
              left,
              generation));
      page.put("@odata.nextLink", base + "$skiptoken=" + token);
    } else {
      deltaTokens.put(
          token,
          new DeltaState(
              userId,
              calendarId,
              state.windowStart,
              state.windowEnd,
              state.watermark,
              List.of(),
              generation));
      page.put("@odata.deltaLink", base + "$deltatoken=" + token);
    }
    ArrayNode value = page.putArray("value");
    pageItems.forEach(value::add);
    counters.deltaPages.incrementAndGet();
    return GraphFakeReply.json(200, page);
  }

  private List<ObjectNode> changesSince(DeltaState known) {
    List<ObjectNode> changed = new ArrayList<>();
    for (Event event : events.values()) {
      if (event.seq <= known.watermark
          || !event.owner.equals(known.userId)
          || !event.calendarId.equals(known.calendarId)) {
        continue;
      }
      if (!event.deleted && overlaps(event, known.windowStart, known.windowEnd)) {
        changed.add(json(event, null));
      } else {
        ObjectNode removed = GraphFakeReply.MAPPER.createObjectNode();
        removed.put("@odata.type", "#microsoft.graph.event");
        removed.put("id", event.id);
        removed.putObject("@removed").put("reason", "deleted");
        changed.add(removed);
      }
    }
    return changed;
  }

  synchronized void expireDeltaTokens() {
    generation++;
  }

  private static boolean overlaps(Event event, Instant from, Instant to) {
    return event.start.isBefore(to) && event.end.isAfter(from);
  }

  // -------------------------------------------------------- host actions

  synchronized String userAddsEvent(
      String userId,
      @Nullable String calendarId,
      String subject,
      Instant start,
      Instant end,
      String showAs,
      boolean allDay) {
    String calendar = calendarId != null ? calendarId : defaultCalendars.get(userId);
    Event event =
        new Event(
            "AAMkEv" + token(24),
            calendar,
            userId,
            subject,
            start,
            end,
            showAs,
            null,
            clock.instant());
    event.allDay = allDay;
    touch(event);
    events.put(event.id, event);
    notify(event, "created");
    return event.id;
  }

  synchronized void userDeletesEvent(String userId, String eventId) {
    Event event = ownEvent(userId, eventId);
    event.deleted = true;
    touch(event);
    notify(event, "deleted");
  }

  synchronized void userMovesEvent(String userId, String eventId, Instant start, Instant end) {
    Event event = ownEvent(userId, eventId);
    event.start = start;
    event.end = end;
    touch(event);
    notify(event, "updated");
  }

  private Event ownEvent(String userId, String eventId) {
    Event event = events.get(eventId);
    if (event == null || event.deleted || !event.owner.equals(userId)) {
      throw new IllegalArgumentException("the fake has no such event");
    }
    return event;
  }

  synchronized List<GraphFakeEvent> events(String userId, @Nullable String calendarId) {
    String calendar = calendarId != null ? calendarId : defaultCalendars.get(userId);
    List<GraphFakeEvent> out = new ArrayList<>();
    for (Event e : events.values()) {
      if (e.owner.equals(userId) && e.calendarId.equals(calendar)) {
        out.add(
            new GraphFakeEvent(
                e.id,
                e.calendarId,
                e.subject,
                e.start,
                e.end,
                e.allDay,
                e.showAs,
                e.transactionId,
                Map.copyOf(e.properties),
                e.changeKey,
                e.deleted));
      }
    }
    return out;
  }

  private void touch(Event event) {
    event.seq = ++seq;
    event.modified = clock.instant();
    event.changeKey = token(12);
  }

  private ObjectNode json(Event e, @Nullable String expandProperty) {
    ObjectNode node = GraphFakeReply.MAPPER.createObjectNode();
    node.put("@odata.etag", "W/\"" + e.changeKey + "\"");
    node.put("id", e.id);
    node.put("createdDateTime", e.created.toString());
    node.put("lastModifiedDateTime", e.modified.toString());
    node.put("changeKey", e.changeKey);
    node.put("subject", e.subject);
    node.put("isAllDay", e.allDay);
    node.put("isCancelled", false);
    node.put("showAs", e.showAs);
    node.put("sensitivity", e.sensitivity);
    node.put("isOnlineMeeting", false);
    node.putNull("onlineMeeting");
    if (e.transactionId != null) {
      node.put("transactionId", e.transactionId);
    } else {
      node.putNull("transactionId");
    }
    ObjectNode body = node.putObject("body");
    body.put("contentType", e.bodyType);
    body.put("content", e.body);
    node.set("start", graphTime(e.start));
    node.set("end", graphTime(e.end));
    node.putObject("location").put("displayName", e.location);
    ObjectNode response = node.putObject("responseStatus");
    response.put("response", "organizer");
    response.put("time", "0001-01-01T00:00:00Z");
    if (expandProperty != null) {
      ArrayNode props = node.putArray("singleValueExtendedProperties");
      String value = lookup(e.properties, expandProperty);
      if (value != null) {
        ObjectNode p = props.addObject();
        p.put("id", expandProperty);
        p.put("value", value);
      }
    }
    return node;
  }

  private static ObjectNode graphTime(Instant instant) {
    ObjectNode node = GraphFakeReply.MAPPER.createObjectNode();
    node.put("dateTime", GRAPH_TIME.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC)));
    node.put("timeZone", "UTC");
    return node;
  }

  private static Instant dateTimeTimeZone(JsonNode node) {
    String dateTime = node.path("dateTime").asString(null);
    String zone = node.path("timeZone").asString("UTC");
    if (dateTime == null) {
      throw new IllegalArgumentException("no dateTime");
    }
    return LocalDateTime.parse(dateTime).atZone(ZoneId.of(zone)).toInstant();
  }

  // -------------------------------------------------------- subscriptions

  GraphFakeReply subscriptionsApi(
      GraphFakeIdentity.Principal principal, String method, List<String> rest, byte[] body) {
    if (rest.isEmpty() && method.equals("POST")) {
      return createSubscription(principal, body);
    }
    if (rest.size() != 1) {
      return GraphFakeReply.error(400, "BadRequest", "Unsupported subscriptions request.");
    }
    synchronized (this) {
      Subscription sub = subscriptions.get(rest.get(0));
      if (sub == null || sub.deleted || !clock.instant().isBefore(sub.expiration)) {
        return GraphFakeReply.error(404, "ResourceNotFound", "The object was not found.");
      }
      switch (method) {
        case "GET":
          return GraphFakeReply.json(200, json(sub));
        case "DELETE":
          sub.deleted = true;
          return GraphFakeReply.noContent();
        case "PATCH":
          try {
            JsonNode request = GraphFakeReply.MAPPER.readTree(body);
            Instant expiration = expiration(request.path("expirationDateTime").asString(""));
            if (expiration == null) {
              return tooLong();
            }
            sub.expiration = expiration;
          } catch (RuntimeException e) {
            return GraphFakeReply.error(400, "InvalidRequest", "Invalid expirationDateTime.");
          }
          return GraphFakeReply.json(200, json(sub));
        default:
          return GraphFake.methodNotAllowed(method);
      }
    }
  }

  private GraphFakeReply createSubscription(GraphFakeIdentity.Principal principal, byte[] body) {
    JsonNode request;
    try {
      request = GraphFakeReply.MAPPER.readTree(body);
    } catch (RuntimeException e) {
      return GraphFakeReply.error(400, "InvalidRequest", "Cannot read the request body.");
    }
    String changeType = request.path("changeType").asString("");
    String notificationUrl = request.path("notificationUrl").asString("");
    String lifecycleUrl =
        request.path("lifecycleNotificationUrl").isString()
            ? request.path("lifecycleNotificationUrl").asString()
            : null;
    String clientState = request.path("clientState").asString("");
    String resource = request.path("resource").asString("");
    if (changeType.isBlank()
        || !changeType.matches("(created|updated|deleted)(,(created|updated|deleted))*")) {
      return GraphFakeReply.error(400, "InvalidRequest", "Invalid changeType.");
    }
    if (clientState.length() > 128) {
      return GraphFakeReply.error(
          400, "InvalidRequest", "clientState must be at most 128 characters.");
    }
    if (!acceptableUrl(notificationUrl) || (lifecycleUrl != null && !acceptableUrl(lifecycleUrl))) {
      return GraphFakeReply.error(
          400, "InvalidRequest", "The notification URL must be an https URL.");
    }
    Instant expiration;
    try {
      expiration = expiration(request.path("expirationDateTime").asString(""));
    } catch (RuntimeException e) {
      return GraphFakeReply.error(400, "InvalidRequest", "Invalid expirationDateTime.");
    }
    if (expiration == null) {
      return tooLong();
    }
    Matcher m =
        Pattern.compile("/?(me|users/([^/]+))(/calendars/([^/]+)|/calendar)?/events")
            .matcher(resource);
    if (!m.matches()) {
      return GraphFakeReply.error(400, "InvalidRequest", "The fake supports event resources only.");
    }
    String userId;
    synchronized (this) {
      if (m.group(1).equals("me")) {
        if (!principal.delegated()) {
          return GraphFakeReply.error(400, "InvalidRequest", "/me needs a delegated token.");
        }
        userId = principal.userId();
      } else {
        userId = m.group(2);
        if (!defaultCalendars.containsKey(userId)) {
          return GraphFakeReply.error(
              404, "ResourceNotFound", "The user of the resource does not exist.");
        }
      }
    }
    String calendarId = m.group(4);
    // The handshake runs outside the lock: the receiver may call the fake back.
    for (String url :
        lifecycleUrl == null ? List.of(notificationUrl) : List.of(notificationUrl, lifecycleUrl)) {
      if (validate && !handshake(url)) {
        return GraphFakeReply.error(
            400,
            "InvalidRequest",
            "Subscription validation request failed. Notification endpoint must respond with 200"
                + " OK to validation request.");
      }
    }
    synchronized (this) {
      Subscription sub =
          new Subscription(
              java.util.UUID.randomUUID().toString(),
              resource,
              userId,
              calendarId,
              changeType,
              notificationUrl,
              lifecycleUrl,
              clientState,
              principal.tenantId(),
              expiration);
      subscriptions.put(sub.id, sub);
      counters.subscriptions.incrementAndGet();
      return GraphFakeReply.json(201, json(sub));
    }
  }

  private static GraphFakeReply tooLong() {
    return GraphFakeReply.error(
        400, "InvalidRequest", "Subscription expiration can only be 10080 minutes in the future.");
  }

  /** The granted expiry, or null when it is too far in the future. */
  private @Nullable Instant expiration(String requested) {
    Instant at = OffsetDateTime.parse(requested).toInstant();
    Instant now = clock.instant();
    if (at.isAfter(now.plus(MAX_SUBSCRIPTION))) {
      return null;
    }
    return at.isBefore(now.plus(MIN_SUBSCRIPTION)) ? now.plus(MIN_SUBSCRIPTION) : at;
  }

  private static boolean acceptableUrl(String url) {
    try {
      URI uri = URI.create(url);
      String host = uri.getHost();
      return "https".equals(uri.getScheme())
          || ("http".equals(uri.getScheme())
              && host != null
              && (host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]")));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Graph's validation request: POST {url}?validationToken=…, 200 text/plain echo within 10 s. */
  private boolean handshake(String url) {
    String validationToken = "Validation: Testing client application reachability " + token(9);
    int status = 0;
    boolean echoed = false;
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          url
                              + (url.contains("?") ? "&" : "?")
                              + "validationToken="
                              + enc(validationToken)))
                  .timeout(Duration.ofSeconds(10))
                  .header("Content-Type", "text/plain; charset=utf-8")
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      status = response.statusCode();
      echoed =
          status == 200
              && validationToken.equals(response.body())
              && response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain");
    } catch (java.io.IOException e) {
      status = 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      deliveries.add(new Delivery("validation", "", echoed ? "echoed" : "refused", status));
      notifyAll();
    }
    return echoed;
  }

  private ObjectNode json(Subscription sub) {
    ObjectNode node = GraphFakeReply.MAPPER.createObjectNode();
    node.put("id", sub.id);
    node.put("resource", sub.resource);
    node.put("applicationId", "fake-application");
    node.put("changeType", sub.changeType);
    node.put("clientState", sub.clientState);
    node.put("notificationUrl", sub.notificationUrl);
    if (sub.lifecycleUrl != null) {
      node.put("lifecycleNotificationUrl", sub.lifecycleUrl);
    }
    node.put("expirationDateTime", sub.expiration.toString());
    node.put("latestSupportedTlsVersion", "v1_2");
    return node;
  }

  synchronized List<GraphFakeSubscription> subscriptions() {
    List<GraphFakeSubscription> out = new ArrayList<>();
    for (Subscription s : subscriptions.values()) {
      out.add(
          new GraphFakeSubscription(
              s.id,
              s.resource,
              s.changeType,
              s.notificationUrl,
              s.lifecycleUrl,
              s.clientState,
              s.expiration,
              s.deleted));
    }
    return out;
  }

  private void notify(Event event, String changeType) {
    Instant now = clock.instant();
    for (Subscription sub : subscriptions.values()) {
      if (sub.deleted
          || !now.isBefore(sub.expiration)
          || !sub.userId.equals(event.owner)
          || (sub.calendarId != null && !sub.calendarId.equals(event.calendarId))
          || !sub.changeType.contains(changeType)) {
        continue;
      }
      ObjectNode payload = GraphFakeReply.MAPPER.createObjectNode();
      ObjectNode item = payload.putArray("value").addObject();
      item.put("subscriptionId", sub.id);
      item.put("subscriptionExpirationDateTime", sub.expiration.toString());
      item.put("changeType", changeType);
      item.put("resource", "Users/" + sub.userId + "/Events/" + event.id);
      item.put("clientState", sub.clientState);
      item.put("tenantId", sub.tenantId);
      ObjectNode data = item.putObject("resourceData");
      data.put("@odata.type", "#Microsoft.Graph.Event");
      data.put("@odata.id", "Users/" + sub.userId + "/Events/" + event.id);
      data.put("@odata.etag", "W/\"" + event.changeKey + "\"");
      data.put("id", event.id);
      send("change", sub.id, changeType, sub.notificationUrl, payload);
    }
  }

  synchronized void sendLifecycle(String subscriptionId, String lifecycleEvent) {
    Subscription sub = subscriptions.get(subscriptionId);
    if (sub == null || sub.lifecycleUrl == null) {
      throw new IllegalArgumentException("no such subscription with a lifecycle URL");
    }
    if (!List.of("reauthorizationRequired", "subscriptionRemoved", "missed")
        .contains(lifecycleEvent)) {
      throw new IllegalArgumentException("not a lifecycle event: " + lifecycleEvent);
    }
    ObjectNode payload = GraphFakeReply.MAPPER.createObjectNode();
    ObjectNode item = payload.putArray("value").addObject();
    item.put("subscriptionId", sub.id);
    item.put("subscriptionExpirationDateTime", sub.expiration.toString());
    item.put("tenantId", sub.tenantId);
    item.put("clientState", sub.clientState);
    item.put("lifecycleEvent", lifecycleEvent);
    if (lifecycleEvent.equals("subscriptionRemoved")) {
      sub.deleted = true;
    }
    send("lifecycle", sub.id, lifecycleEvent, sub.lifecycleUrl, payload);
  }

  private void send(
      String kind, String subscriptionId, String detail, String url, ObjectNode payload) {
    byte[] bytes = GraphFakeReply.MAPPER.writeValueAsBytes(payload);
    notifier.execute(
        () -> {
          int status = 0;
          try {
            status =
                http.send(
                        HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/json; charset=utf-8")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                            .build(),
                        HttpResponse.BodyHandlers.discarding())
                    .statusCode();
          } catch (java.io.IOException e) {
            status = 0;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
          counters.notificationsSent.incrementAndGet();
          synchronized (GraphFakeCalendars.this) {
            deliveries.add(new Delivery(kind, subscriptionId, detail, status));
            GraphFakeCalendars.this.notifyAll();
          }
        });
  }

  synchronized List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  synchronized List<Delivery> awaitDeliveries(int count, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (deliveries.size() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return List.copyOf(deliveries);
  }

  private String token(int bytes) {
    byte[] raw = new byte[bytes];
    random.nextBytes(raw);
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw)
        .replace('-', 'x')
        .replace('_', 'y');
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
