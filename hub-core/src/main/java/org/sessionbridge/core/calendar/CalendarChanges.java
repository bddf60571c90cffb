package org.sessionbridge.core.calendar;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What changed in a calendar since a cursor, every page read.
 *
 * @param fullSync {@code true} when read without a cursor: {@code busy} is then the complete set
 *     (within the connector's look-back) and the caller replaces the blocks it holds for the
 *     calendar; {@code false}: apply {@code busy} and {@code freed} to the blocks held
 * @param busy busy blocks added or changed, one per external id
 * @param freed external ids whose busy block is gone (event deleted, cancelled, made free or
 *     declined); may name ids the caller never saw
 * @param ownEvents the hub's own events that appeared in the changes, as the calendar has them
 * @param nextCursor where the next read starts; opaque, store it with the calendar link
 */
public record CalendarChanges(
    boolean fullSync,
    List<BusyBlock> busy,
    Set<String> freed,
    List<OwnEvent> ownEvents,
    String nextCursor) {

  public CalendarChanges {
    busy = List.copyOf(busy);
    freed = Set.copyOf(freed);
    ownEvents = List.copyOf(ownEvents);
    Objects.requireNonNull(nextCursor, "nextCursor");
  }

  @Override
  public String toString() {
    return "CalendarChanges[fullSync="
        + fullSync
        + ", busy="
        + busy.size()
        + ", freed="
        + freed.size()
        + ", ownEvents="
        + ownEvents.size()
        + "]";
  }
}
