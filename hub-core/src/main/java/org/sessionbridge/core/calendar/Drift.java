package org.sessionbridge.core.calendar;

import java.util.Optional;

/**
 * What the calendar's owner did to one of the hub's events. The practice store is the source of
 * truth: a drift is put back and audited.
 */
public enum Drift {
  MOVED,
  DELETED;

  /**
   * Compares one of our events as the calendar has it with the row that was pushed. Only a row in
   * step with its newest version can drift: a row still due will be pushed anyway. A copy older
   * than what was pushed (the read crossed our own write) is not a drift either.
   */
  public static Optional<Drift> of(CalendarWork row, OwnEvent seen) {
    if (row.state() != CalendarWork.State.SYNCED
        || row.syncedVersion() != row.wantedVersion()
        || !row.present()
        || row.drift() != null) {
      return Optional.empty();
    }
    if (seen.version().isPresent() && seen.version().getAsLong() < row.syncedVersion()) {
      return Optional.empty();
    }
    if (seen.deleted()) {
      return Optional.of(DELETED);
    }
    boolean sameStart = seen.start().map(s -> s.equals(row.event().start())).orElse(true);
    boolean sameEnd = seen.end().map(e -> e.equals(row.event().end())).orElse(true);
    return sameStart && sameEnd ? Optional.empty() : Optional.of(MOVED);
  }
}
