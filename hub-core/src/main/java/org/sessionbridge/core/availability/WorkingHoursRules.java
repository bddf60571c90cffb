package org.sessionbridge.core.availability;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.sessionbridge.core.error.FieldProblem;
import org.sessionbridge.core.practice.VideoPlatform;

/**
 * The rules a provider's weekly sections obey, as pure functions. Fields are named by their place
 * in the list ({@code [2].end}).
 */
public final class WorkingHoursRules {

  /** More than this is a mistake, not a week of work (seven days of fourteen sections). */
  public static final int MAX_SECTIONS = 100;

  private WorkingHoursRules() {}

  /**
   * Problems of {@code sections}: a section that does not end after it starts, sections of one day
   * that overlap, video services on a section without telehealth, an empty list of them, or one the
   * provider does not offer ({@code services}).
   */
  public static List<FieldProblem> check(
      List<WorkingSection> sections, Set<VideoPlatform> services) {
    List<FieldProblem> problems = new ArrayList<>();
    if (sections.size() > MAX_SECTIONS) {
      problems.add(new FieldProblem("body", "at most " + MAX_SECTIONS + " sections"));
      return problems;
    }
    for (int i = 0; i < sections.size(); i++) {
      WorkingSection s = sections.get(i);
      if (!s.end().isAfter(s.start())) {
        problems.add(
            new FieldProblem(
                "[" + i + "].end", "must be after start (a section ends on the day it starts)"));
      }
      if (s.platforms() == null) {
        continue;
      }
      if (!s.modality().offersTelehealth()) {
        problems.add(
            new FieldProblem(
                "[" + i + "].platforms", "only TELEHEALTH or BOTH sections offer video services"));
      } else if (s.platforms().isEmpty()) {
        problems.add(
            new FieldProblem(
                "[" + i + "].platforms",
                "must name at least one video service; leave it out for all the provider's"));
      } else {
        for (VideoPlatform p : s.platforms()) {
          if (!services.contains(p)) {
            problems.add(
                new FieldProblem(
                    "[" + i + "].platforms",
                    "names a video service the provider does not offer; add it with POST"
                        + " /api/v1/providers/{id}/video-services first"));
            break;
          }
        }
      }
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < sections.size(); i++) {
      if (sections.get(i).end().isAfter(sections.get(i).start())) {
        order.add(i);
      }
    }
    order.sort(
        Comparator.comparing((Integer i) -> sections.get(i).day())
            .thenComparing(i -> sections.get(i).start()));
    // By day and start: a section overlaps the day's section that reaches furthest before it.
    int furthest = -1;
    for (int i : order) {
      WorkingSection s = sections.get(i);
      if (furthest >= 0 && sections.get(furthest).day() == s.day()) {
        if (s.start().isBefore(sections.get(furthest).end())) {
          problems.add(
              new FieldProblem(
                  "[" + i + "].start", "overlaps section [" + furthest + "] on the same day"));
        }
        if (s.end().isAfter(sections.get(furthest).end())) {
          furthest = i;
        }
      } else {
        furthest = i;
      }
    }
    return problems;
  }
}
