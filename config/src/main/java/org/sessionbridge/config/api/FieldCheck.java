package org.sessionbridge.config.api;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.error.FieldProblem;
import org.sessionbridge.core.error.InvalidInputException;

/**
 * Reads request fields that arrive as text and collects every problem, so one answer names all
 * offending fields. Call {@link #done()} after the last field. Reasons never repeat the value.
 */
final class FieldCheck {

  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
  private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();
  private static final Pattern TIME_OF_DAY = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");

  private final List<FieldProblem> problems = new ArrayList<>();

  void problem(String field, String reason) {
    problems.add(new FieldProblem(field, reason));
  }

  @Nullable String text(String field, @Nullable String value, int maxLength, boolean required) {
    if (value == null || value.isBlank()) {
      if (required) {
        problem(field, "is required");
      }
      return null;
    }
    String trimmed = value.strip();
    if (trimmed.length() > maxLength) {
      problem(field, "must be at most " + maxLength + " characters");
      return null;
    }
    if (trimmed.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t')) {
      problem(field, "must not contain control characters");
      return null;
    }
    return trimmed;
  }

  @Nullable String email(String field, @Nullable String value, boolean required) {
    String text = text(field, value, 320, required);
    if (text != null && !EMAIL.matcher(text).matches()) {
      problem(field, "must be an email address such as name@example.org");
      return null;
    }
    return text;
  }

  @Nullable String phone(String field, @Nullable String value) {
    String text = text(field, value, 16, false);
    if (text != null && !E164.matcher(text).matches()) {
      problem(field, "must be an E.164 phone number such as +15551234567");
      return null;
    }
    return text;
  }

  @Nullable UUID uuid(String field, @Nullable String value, boolean required) {
    if (value == null || value.isBlank()) {
      if (required) {
        problem(field, "is required");
      }
      return null;
    }
    try {
      UUID id = UUID.fromString(value.strip());
      if (!id.toString().equalsIgnoreCase(value.strip())) {
        throw new IllegalArgumentException("not canonical");
      }
      return id;
    } catch (IllegalArgumentException e) {
      problem(field, "must be an id (UUID) as returned by this API");
      return null;
    }
  }

  @Nullable List<UUID> uuids(String field, @Nullable List<String> values, boolean required) {
    if (values == null) {
      if (required) {
        problem(field, "is required");
      }
      return null;
    }
    List<UUID> ids = new ArrayList<>(values.size());
    int before = problems.size();
    for (int i = 0; i < values.size(); i++) {
      UUID id = uuid(field + "[" + i + "]", values.get(i), true);
      if (id != null) {
        ids.add(id);
      }
    }
    return problems.size() == before ? ids : null;
  }

  @Nullable Instant instant(String field, @Nullable String value, boolean required) {
    if (value == null || value.isBlank()) {
      if (required) {
        problem(field, "is required");
      }
      return null;
    }
    try {
      return OffsetDateTime.parse(value.strip()).toInstant();
    } catch (DateTimeParseException e) {
      problem(
          field,
          "must be an ISO-8601 date-time with offset, such as 2026-11-24T15:00:00-05:00 or"
              + " 2026-11-24T20:00:00Z");
      return null;
    }
  }

  @Nullable ZoneId zone(String field, @Nullable String value, boolean required) {
    if (value == null || value.isBlank()) {
      if (required) {
        problem(field, "is required");
      }
      return null;
    }
    String id = value.strip();
    if (!ZONES.contains(id)) {
      problem(field, "must be an IANA time zone such as America/New_York or Europe/Berlin");
      return null;
    }
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      problem(field, "must be an IANA time zone such as America/New_York or Europe/Berlin");
      return null;
    }
  }

  /** A time of day as {@code HH:mm} (24-hour clock). */
  @Nullable LocalTime timeOfDay(String field, @Nullable String value, boolean required) {
    if (value == null || value.isBlank()) {
      if (required) {
        problem(field, "is required");
      }
      return null;
    }
    if (!TIME_OF_DAY.matcher(value.strip()).matches()) {
      problem(field, "must be a time of day such as 09:00 or 17:30 (24-hour clock, HH:mm)");
      return null;
    }
    return LocalTime.parse(value.strip());
  }

  /** A whole number of minutes in {@code [min, max]}. */
  @Nullable Integer minutes(
      String field, @Nullable String value, int min, int max, boolean required) {
    if (value == null || value.isBlank()) {
      if (required) {
        problem(field, "is required; minutes between " + min + " and " + max);
      }
      return null;
    }
    try {
      int minutes = Integer.parseInt(value.strip());
      if (minutes >= min && minutes <= max) {
        return minutes;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    problem(field, "must be a whole number of minutes between " + min + " and " + max);
    return null;
  }

  <E extends Enum<E>> @Nullable E oneOf(
      String field, @Nullable String value, Class<E> type, boolean required) {
    if (value == null || value.isBlank()) {
      if (required) {
        problem(field, "is required; one of " + names(type));
      }
      return null;
    }
    try {
      return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      problem(field, "must be one of " + names(type));
      return null;
    }
  }

  /** Checks {@code limit} (1 to {@code max}) and {@code offset} (not negative) of a list call. */
  static void page(int limit, int offset, int max) {
    FieldCheck check = new FieldCheck();
    if (limit < 1 || limit > max) {
      check.problem("limit", "must be between 1 and " + max);
    }
    if (offset < 0) {
      check.problem("offset", "must not be negative");
    }
    check.done();
  }

  /** Throws the collected problems as one 400 answer; returns when there are none. */
  void done() {
    if (!problems.isEmpty()) {
      throw new InvalidInputException(InvalidInputException.Kind.MALFORMED, problems);
    }
  }

  private static String names(Class<? extends Enum<?>> type) {
    return Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
  }
}
