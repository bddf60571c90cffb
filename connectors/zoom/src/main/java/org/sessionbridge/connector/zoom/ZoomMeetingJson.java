package org.sessionbridge.connector.zoom;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Request bodies and response parsing for the meeting calls (API-NOTES §1.2, §1.3). Every body this
 * client sends asks for a waiting room and no join-before-host.
 */
final class ZoomMeetingJson {

  /** {@code type 2}: a scheduled meeting. */
  static final int SCHEDULED = 2;

  /** Zoom takes a local time without offset when {@code timezone} is given. */
  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

  private final JsonMapper json;

  ZoomMeetingJson(JsonMapper json) {
    this.json = json;
  }

  /** Telehealth defaults from API-NOTES §1.2 "Minimal request". */
  String createBody(ZoomMeetingRequest request) {
    ObjectNode body = json.createObjectNode();
    body.put("topic", request.topic());
    body.put("type", SCHEDULED);
    body.put("start_time", LOCAL.format(request.startTime()));
    body.put("timezone", request.timezone().getId());
    body.put("duration", request.durationMinutes());
    body.put("default_password", true);
    ObjectNode settings = securitySettings(body.putObject("settings"));
    settings.put("meeting_authentication", false);
    settings.put("approval_type", 2);
    settings.put("encryption_type", "enhanced_encryption");
    settings.put("mute_upon_entry", true);
    settings.put("auto_recording", "none");
    return json.writeValueAsString(body);
  }

  /** Only the changed fields (merge semantics), plus the security settings re-asserted. */
  String updateBody(ZoomMeetingUpdate update) {
    ObjectNode body = json.createObjectNode();
    if (update.topic() != null) {
      body.put("topic", update.topic());
    }
    LocalDateTime start = update.startTime();
    if (start != null) {
      body.put("start_time", LOCAL.format(start));
    }
    if (update.timezone() != null) {
      body.put("timezone", update.timezone().getId());
    }
    if (update.durationMinutes() != null) {
      body.put("duration", update.durationMinutes().intValue());
    }
    securitySettings(body.putObject("settings"));
    return json.writeValueAsString(body);
  }

  private static ObjectNode securitySettings(ObjectNode settings) {
    settings.put("waiting_room", true);
    settings.put("join_before_host", false);
    return settings;
  }

  /**
   * Reads a meeting object, leniently where Zoom varies ({@code id} as number or string) and
   * strictly where we depend on it ({@code id}, {@code uuid}, {@code join_url}).
   *
   * @throws IllegalArgumentException naming the missing or unreadable field
   */
  ZoomMeeting meeting(JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    JsonNode settings = node.path("settings");
    return new ZoomMeeting(
        id(node.path("id")),
        requiredText(node, "uuid"),
        joinUrl(node.path("join_url")),
        text(node, "topic"),
        startTime(node.path("start_time")),
        node.path("duration").isIntegralNumber() ? node.path("duration").asInt() : 0,
        text(node, "timezone"),
        text(node, "status"),
        settings.path("waiting_room").isBoolean() && settings.path("waiting_room").asBoolean(),
        !(settings.path("join_before_host").isBoolean()
            && !settings.path("join_before_host").asBoolean()));
  }

  /**
   * Reads one page of {@code GET /users/{userId}/meetings}: {@code meetings[]} and {@code
   * next_page_token}, which is empty (or absent) on the last page.
   *
   * @throws IllegalArgumentException naming the missing or unreadable field
   */
  Page page(JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    JsonNode items = node.path("meetings");
    if (!items.isMissingNode() && !items.isNull() && !items.isArray()) {
      throw new IllegalArgumentException("meetings is not an array");
    }
    List<ZoomMeetingSummary> summaries = new ArrayList<>();
    for (JsonNode item : items) {
      summaries.add(summary(item));
    }
    return new Page(summaries, text(node, "next_page_token"));
  }

  private static ZoomMeetingSummary summary(JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("a meetings item is not a JSON object");
    }
    return new ZoomMeetingSummary(
        id(node.path("id")),
        text(node, "topic"),
        startTime(node.path("start_time")),
        node.path("duration").isIntegralNumber() ? node.path("duration").asInt() : 0,
        joinUrl(node.path("join_url")),
        createdAt(node.path("created_at")));
  }

  /** One page of a meeting list; {@code nextPageToken} is empty on the last page. */
  record Page(List<ZoomMeetingSummary> meetings, String nextPageToken) {
    Page {
      meetings = List.copyOf(meetings);
    }
  }

  private static long id(JsonNode id) {
    if (id.isIntegralNumber() && id.canConvertToLong()) {
      return id.asLong();
    }
    if (id.isString()) {
      try {
        return Long.parseLong(id.asString());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("id is not a number");
      }
    }
    throw new IllegalArgumentException("no id");
  }

  private static URI joinUrl(JsonNode url) {
    if (!url.isString()) {
      throw new IllegalArgumentException("no join_url");
    }
    try {
      URI uri = new URI(url.asString());
      if (!uri.isAbsolute()) {
        throw new IllegalArgumentException("join_url is not absolute");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "join_url is not a URL"); // no value: it holds the passcode
    }
  }

  private static Optional<Instant> startTime(JsonNode start) {
    if (!start.isString() || start.asString().isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(start.asString()).toInstant());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("start_time is not an ISO-8601 UTC time");
    }
  }

  /** Only used for ordering, so an unreadable value is treated as unknown rather than fatal. */
  private static Optional<Instant> createdAt(JsonNode created) {
    if (!created.isString()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(created.asString()).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String requiredText(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (!value.isString() || value.asString().isBlank()) {
      throw new IllegalArgumentException("no " + field);
    }
    return value.asString();
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isString() ? value.asString() : "";
  }
}
