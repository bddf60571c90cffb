package org.sessionbridge.core.appointment;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.error.FieldProblem;
import org.sessionbridge.core.practice.VideoPlatform;

/** The shape rules every appointment obeys, as pure functions over its fields. */
public final class AppointmentRules {

  /** Longer than this is a data-entry mistake, not a therapy session. */
  public static final Duration MAX_LENGTH = Duration.ofHours(24);

  /** Largest group session the hub accepts. */
  public static final int MAX_CLIENTS = 50;

  private AppointmentRules() {}

  public static List<FieldProblem> check(
      Instant start,
      Instant end,
      List<UUID> clientIds,
      Modality modality,
      @Nullable VideoPlatform videoPlatform) {
    List<FieldProblem> problems = new ArrayList<>();
    if (!end.isAfter(start)) {
      problems.add(new FieldProblem("end", "must be after start"));
    } else if (Duration.between(start, end).compareTo(MAX_LENGTH) > 0) {
      problems.add(new FieldProblem("end", "a session may last at most 24 hours"));
    }
    if (clientIds.isEmpty()) {
      problems.add(new FieldProblem("clientIds", "at least one client is required"));
    } else if (clientIds.size() > MAX_CLIENTS) {
      problems.add(
          new FieldProblem("clientIds", "a group session has at most " + MAX_CLIENTS + " clients"));
    } else {
      Set<UUID> seen = new HashSet<>();
      for (int i = 0; i < clientIds.size(); i++) {
        if (!seen.add(clientIds.get(i))) {
          problems.add(new FieldProblem("clientIds[" + i + "]", "this client is listed twice"));
        }
      }
    }
    if (modality == Modality.IN_PERSON && videoPlatform != null) {
      problems.add(
          new FieldProblem("videoPlatform", "only TELEHEALTH sessions have a video platform"));
    }
    return problems;
  }

  /** What a change from {@code before} to {@code after} amounts to, for handlers and audit. */
  public static ChangeType classify(Appointment before, Appointment after) {
    if (after.status() == AppointmentStatus.CANCELLED) {
      return ChangeType.CANCELLED;
    }
    if (after.status() == AppointmentStatus.COMPLETED) {
      return ChangeType.COMPLETED;
    }
    if (!before.start().equals(after.start()) || !before.end().equals(after.end())) {
      return ChangeType.RESCHEDULED;
    }
    return ChangeType.UPDATED;
  }
}
