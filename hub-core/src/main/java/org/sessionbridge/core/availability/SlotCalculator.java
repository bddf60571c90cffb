package org.sessionbridge.core.availability;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.error.FieldProblem;
import org.sessionbridge.core.practice.VideoPlatform;

/**
 * Availability arithmetic, as pure functions: a provider's weekly sections turned into instants,
 * the bookable slots they leave once booked sessions and busy time are taken out, and whether a
 * session fits into them.
 *
 * <h2>Wall-clock time across DST changes</h2>
 *
 * A section runs from the first moment the provider's clock reads its start (or a later time) to
 * the first moment it reads its end (or a later time). So:
 *
 * <ul>
 *   <li>When clocks spring forward, the skipped wall-clock times are not worked: a section
 *       01:30–03:30 on the day New York jumps from 02:00 to 03:00 lasts one hour (01:30 EST to
 *       03:30 EDT); one starting at 02:30 starts at the jump (03:00 EDT); one that lies entirely in
 *       the skipped hour does not occur that day.
 *   <li>When clocks fall back, a section that spans the repeated hour works it twice: 01:30–03:30
 *       on the day New York goes back from 02:00 to 01:00 lasts three hours (01:30 EDT to 03:30
 *       EST). A time that occurs twice means its first occurrence, so a section that lies inside
 *       the repeated hour (01:00–01:45) occurs once, the first time round (EDT).
 * </ul>
 *
 * This reading is monotone, so sections that touch on the clock still touch as instants, and
 * sections that do not overlap on the clock never overlap as instants, whatever the zone does.
 *
 * <h2>Slots</h2>
 *
 * Sections that offer a modality and touch or follow each other join into one run of working time
 * (09:00–12:00 IN_PERSON and 12:00–17:00 BOTH make one in-person run 09:00–17:00). Slots of a run
 * start at the run's start and then every {@code step} (in elapsed time, so across a DST change the
 * grid keeps its pace); a slot is offered when it ends inside the run, starts in {@code [from,
 * to)}, and overlaps nothing taken (a booked session or busy time). A telehealth slot offers the
 * video services that every section it touches offers.
 */
public final class SlotCalculator {

  private SlotCalculator() {}

  /**
   * The occurrences of the sections that overlap {@code [from, to)}, by start, each as found in the
   * zone (not cut to the range).
   */
  public static List<Window> windows(
      List<WorkingSection> sections, ZoneId zone, Instant from, Instant to) {
    List<Window> windows = new ArrayList<>();
    if (sections.isEmpty() || !to.isAfter(from)) {
      return windows;
    }
    // A day starts at most a day (UTC offsets span 26 hours) before or after the instant does.
    LocalDate first = from.atZone(zone).toLocalDate().minusDays(1);
    LocalDate last = to.atZone(zone).toLocalDate().plusDays(1);
    for (LocalDate date = first; !date.isAfter(last); date = date.plusDays(1)) {
      for (WorkingSection section : sections) {
        if (section.day() != date.getDayOfWeek()) {
          continue;
        }
        Span span = occurrence(date, section.start(), section.end(), zone);
        if (span != null && span.overlaps(from, to)) {
          windows.add(new Window(span, section));
        }
      }
    }
    windows.sort(Comparator.comparing(Window::start));
    return windows;
  }

  /**
   * The occurrence of {@code [start, end)} on {@code date}: from the first moment the zone's clock
   * reads {@code start} or later to the first moment it reads {@code end} or later; null when that
   * is no time at all (the section lies in an hour the clocks skip).
   */
  static @Nullable Span occurrence(LocalDate date, LocalTime start, LocalTime end, ZoneId zone) {
    Instant from = firstReading(date.atTime(start), zone);
    Instant to = firstReading(date.atTime(end), zone);
    return to.isAfter(from) ? new Span(from, to) : null;
  }

  /**
   * The first moment the zone's clock reads {@code time} or later: for a time that occurs twice,
   * its first occurrence; for one that clocks skip, the moment they jump.
   */
  static Instant firstReading(LocalDateTime time, ZoneId zone) {
    ZoneOffsetTransition transition = zone.getRules().getTransition(time);
    if (transition != null && transition.isGap()) {
      return transition.getInstant();
    }
    return time.atZone(zone).toInstant(); // the earlier offset when the time occurs twice
  }

  /**
   * The bookable slots: the sections' working time minus {@code taken}, as described in the class
   * comment.
   *
   * @param services the video services the provider offers (what a section without its own list
   *     offers)
   * @param taken booked sessions and busy time, in any order, overlapping or not
   */
  public static List<Slot> slots(
      List<WorkingSection> sections,
      ZoneId zone,
      Set<VideoPlatform> services,
      List<Span> taken,
      SlotQuery query) {
    Duration duration = query.duration();
    // From a day early: a run that began before `from` keeps the grid it started with.
    List<Window> windows =
        windows(
            sections,
            zone,
            query.from().minus(Duration.ofDays(1)),
            query.to().plus(duration).plus(query.step()));
    List<Span> busy = merged(taken);
    Map<Instant, SlotBuilder> found = new TreeMap<>();
    for (Modality modality : query.modalities()) {
      int next = 0; // the first busy span that may still block (candidates only move forward)
      for (Run run : runs(windows, modality)) {
        for (Instant t = run.span().start();
            !t.plus(duration).isAfter(run.span().end());
            t = t.plus(query.step())) {
          Instant end = t.plus(duration);
          if (t.isBefore(query.from())) {
            continue;
          }
          if (!t.isBefore(query.to())) {
            break;
          }
          while (next < busy.size() && !busy.get(next).end().isAfter(t)) {
            next++;
          }
          if (next < busy.size() && busy.get(next).start().isBefore(end)) {
            continue;
          }
          Set<VideoPlatform> platforms = null;
          if (modality == Modality.TELEHEALTH) {
            platforms = offered(run, t, end, services);
            if (platforms == null) {
              continue; // the sections it touches have no video service in common
            }
          }
          found.computeIfAbsent(t, s -> new SlotBuilder(s, end)).add(modality, platforms);
        }
      }
    }
    return found.values().stream().map(SlotBuilder::build).toList();
  }

  /**
   * Why a session {@code [start, end)} does not fit the sections, as problems naming the field to
   * change ({@code start}, {@code modality} or {@code videoPlatform}); empty when it fits. Booked
   * sessions and busy time are not looked at here.
   *
   * @param platform the session's video service, when it has one
   */
  public static List<FieldProblem> check(
      List<WorkingSection> sections,
      ZoneId zone,
      Set<VideoPlatform> services,
      Instant start,
      Instant end,
      Modality modality,
      @Nullable VideoPlatform platform) {
    List<Window> windows = windows(sections, zone, start, end);
    if (runs(windows, null).stream().noneMatch(r -> r.span().contains(start, end))) {
      return List.of(
          new FieldProblem(
              "start",
              "the session is outside the provider's working hours; pick a slot from"
                  + " GET /api/v1/providers/{id}/availability, or send force: true"));
    }
    Run run =
        runs(windows, modality).stream()
            .filter(r -> r.span().contains(start, end))
            .findFirst()
            .orElse(null);
    if (run == null) {
      return List.of(
          new FieldProblem(
              "modality",
              modality == Modality.IN_PERSON
                  ? "the provider does not see clients in person at this time"
                  : "the provider does not offer telehealth sessions at this time"));
    }
    if (modality == Modality.TELEHEALTH && platform != null) {
      Set<VideoPlatform> offered = offered(run, start, end, services);
      if (offered == null || !offered.contains(platform)) {
        return List.of(
            new FieldProblem(
                "videoPlatform",
                offered == null || offered.isEmpty()
                    ? "the provider offers no video service at this time"
                    : "the provider does not offer this video service at this time; offered then: "
                        + offered.stream().map(Enum::name).collect(Collectors.joining(", "))));
      }
    }
    return List.of();
  }

  /**
   * Sections' occurrences that offer {@code modality} (any, when null), joined where they touch.
   */
  private static List<Run> runs(List<Window> windows, @Nullable Modality modality) {
    List<Run> runs = new ArrayList<>();
    Run current = null;
    for (Window w : windows) {
      if (modality != null && !w.section().offers(modality)) {
        continue;
      }
      if (current != null && !w.start().isAfter(current.span().end())) {
        current.windows().add(w);
        Instant end = max(current.span().end(), w.end());
        current = new Run(new Span(current.span().start(), end), current.windows());
        runs.set(runs.size() - 1, current);
      } else {
        current = new Run(w.span(), new ArrayList<>(List.of(w)));
        runs.add(current);
      }
    }
    return runs;
  }

  /**
   * The video services every section of the run that {@code [start, end)} touches offers; empty
   * when the provider offers none at all; {@code null} when the sections offer some but none in
   * common.
   */
  private static @Nullable Set<VideoPlatform> offered(
      Run run, Instant start, Instant end, Set<VideoPlatform> services) {
    Set<VideoPlatform> common = null;
    boolean anyOffered = false;
    for (Window w : run.windows()) {
      if (!w.span().overlaps(start, end)) {
        continue;
      }
      Set<VideoPlatform> here = w.section().platformsAmong(services);
      anyOffered |= !here.isEmpty();
      if (common == null) {
        common = here.isEmpty() ? EnumSet.noneOf(VideoPlatform.class) : EnumSet.copyOf(here);
      } else {
        common.retainAll(here);
      }
    }
    if (common == null) {
      return EnumSet.noneOf(VideoPlatform.class);
    }
    return common.isEmpty() && anyOffered ? null : Collections.unmodifiableSet(common);
  }

  /** The spans sorted by start, overlapping or touching ones joined. */
  private static List<Span> merged(List<Span> spans) {
    List<Span> sorted = new ArrayList<>(spans);
    sorted.sort(Comparator.comparing(Span::start));
    List<Span> merged = new ArrayList<>();
    for (Span s : sorted) {
      int last = merged.size() - 1;
      if (last >= 0 && !s.start().isAfter(merged.get(last).end())) {
        merged.set(last, new Span(merged.get(last).start(), max(merged.get(last).end(), s.end())));
      } else {
        merged.add(s);
      }
    }
    return merged;
  }

  private static <T extends Comparable<? super T>> T max(T a, T b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static <T extends Comparable<? super T>> T min(T a, T b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Working time that offers a modality without a break, with the occurrences it is made of. */
  private record Run(Span span, List<Window> windows) {}

  private static final class SlotBuilder {
    private final Instant start;
    private final Instant end;
    private final Set<Modality> modalities = EnumSet.noneOf(Modality.class);
    private @Nullable Set<VideoPlatform> platforms;

    SlotBuilder(Instant start, Instant end) {
      this.start = start;
      this.end = end;
    }

    void add(Modality modality, @Nullable Set<VideoPlatform> platforms) {
      modalities.add(modality);
      if (platforms != null) {
        this.platforms = platforms;
      }
    }

    Slot build() {
      return new Slot(start, end, Collections.unmodifiableSet(modalities), platforms);
    }
  }
}
