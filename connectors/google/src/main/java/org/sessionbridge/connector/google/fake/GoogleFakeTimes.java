package org.sessionbridge.connector.google.fake;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Google's {@code EventDateTime} ({@code date} for all-day events, or {@code dateTime} RFC 3339
 * plus an optional IANA {@code timeZone}) and the RFC 3339 timestamps Google writes.
 */
final class GoogleFakeTimes {

  /** {@code 2026-03-02T15:00:00+01:00}, {@code …Z} for UTC: how Google writes {@code dateTime}. */
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

  /** {@code 2026-03-02T14:00:00.000Z}: how Google writes {@code created} and {@code updated}. */
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private GoogleFakeTimes() {}

  /** A request's {@code start} or {@code end}, checked and normalized, or a 400 reason. */
  static ObjectNode normalize(String which, JsonNode time, ZoneId calendarZone) {
    if (!time.isObject()) {
      throw GoogleFakeCalendars.Rejection.bad("invalid", "Invalid " + which + " time.");
    }
    JsonNode date = time.get("date");
    JsonNode dateTime = time.get("dateTime");
    JsonNode zoneNode = time.get("timeZone");
    boolean hasDate = date != null && !date.isNull();
    boolean hasDateTime = dateTime != null && !dateTime.isNull();
    ZoneId zone = null;
    if (zoneNode != null && !zoneNode.isNull()) {
      try {
        zone = ZoneId.of(zoneNode.asString(""));
      } catch (DateTimeException e) {
        throw GoogleFakeCalendars.Rejection.bad(
            "timeZoneInvalid", "Invalid time zone definition for " + which + " time.");
      }
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    if (hasDate == hasDateTime) {
      throw GoogleFakeCalendars.Rejection.bad("required", "Missing " + which + " time.");
    }
    if (hasDate) {
      try {
        out.put("date", LocalDate.parse(date.asString("")).toString());
      } catch (DateTimeParseException e) {
        throw GoogleFakeCalendars.Rejection.bad("invalid", "Invalid " + which + " time.");
      }
    } else {
      String text = dateTime.asString("");
      Instant instant;
      try {
        instant = OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException noOffset) {
        if (zone == null) {
          throw GoogleFakeCalendars.Rejection.bad(
              "timeZoneRequired", "Missing time zone definition for " + which + " time.");
        }
        try {
          instant = LocalDateTime.parse(text).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
          throw GoogleFakeCalendars.Rejection.bad("invalid", "Invalid " + which + " time.");
        }
      }
      out.put("dateTime", dateTime(instant, zone != null ? zone : calendarZone));
    }
    if (zone != null) {
      out.put("timeZone", zone.getId());
    }
    return out;
  }

  static String dateTime(Instant instant, ZoneId zone) {
    return instant.truncatedTo(ChronoUnit.SECONDS).atZone(zone).format(DATE_TIME);
  }

  static String stamp(Instant instant) {
    return STAMP.format(instant);
  }

  static boolean isAllDay(JsonNode time) {
    return time.hasNonNull("date");
  }

  /** The instant an (already normalized) time stands for; all-day dates start at midnight. */
  static Instant instant(JsonNode time, ZoneId calendarZone) {
    ZoneId zone = zoneOf(time).orElse(calendarZone);
    if (time.hasNonNull("date")) {
      return LocalDate.parse(time.get("date").asString("")).atStartOfDay(zone).toInstant();
    }
    return OffsetDateTime.parse(time.get("dateTime").asString("")).toInstant();
  }

  static Optional<ZoneId> zoneOf(JsonNode time) {
    JsonNode zone = time.get("timeZone");
    return zone == null || zone.isNull()
        ? Optional.empty()
        : Optional.of(ZoneId.of(zone.asString("")));
  }

  /** A query's RFC 3339 bound ({@code timeMin}, {@code timeMax}, {@code updatedMin}). */
  static @Nullable Instant queryInstant(String name, @Nullable String value) {
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw GoogleFakeCalendars.Rejection.bad("badRequest", "Bad Request: " + name);
    }
  }

  /** A timed {@code EventDateTime} for a host action. */
  static ObjectNode timed(Instant instant, ZoneId zone) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("dateTime", dateTime(instant, zone));
    out.put("timeZone", zone.getId());
    return out;
  }
}
