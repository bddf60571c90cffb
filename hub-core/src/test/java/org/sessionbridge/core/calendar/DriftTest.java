package org.sessionbridge.core.calendar;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.sessionbridge.core.appointment.Modality;

class DriftTest {

  static final UUID ID = UUID.randomUUID();
  static final Instant NINE = Instant.parse("2030-03-11T09:00:00Z");
  static final Instant TEN = NINE.plus(Duration.ofMinutes(50));

  @Test
  void anEventWhereWePutItIsNoDrift() {
    assertThat(Drift.of(row(CalendarWork.State.SYNCED, 2, 2, true, null), seen(2, false, NINE)))
        .isEmpty();
  }

  @Test
  void anEventTheOwnerMovedOrDeletedIsADrift() {
    CalendarWork synced = row(CalendarWork.State.SYNCED, 2, 2, true, null);
    assertThat(Drift.of(synced, seen(2, false, NINE.plusSeconds(900)))).contains(Drift.MOVED);
    assertThat(Drift.of(synced, seen(2, true, null))).contains(Drift.DELETED);
  }

  @Test
  void rowsWithWorkPendingOrRemovedOrAlreadyDriftedAreLeftToThePush() {
    OwnEvent moved = seen(2, false, NINE.plusSeconds(900));
    assertThat(Drift.of(row(CalendarWork.State.PENDING, 2, 1, true, null), moved)).isEmpty();
    assertThat(Drift.of(row(CalendarWork.State.SYNCED, 2, 2, false, null), moved)).isEmpty();
    assertThat(Drift.of(row(CalendarWork.State.SYNCED, 2, 2, true, Drift.MOVED), moved)).isEmpty();
    assertThat(Drift.of(row(CalendarWork.State.PARKED, 2, 2, true, null), moved)).isEmpty();
  }

  @Test
  void aCopyOlderThanWhatWePushedIsNotADrift() {
    assertThat(
            Drift.of(
                row(CalendarWork.State.SYNCED, 3, 3, true, null),
                seen(2, false, NINE.plusSeconds(900))))
        .isEmpty();
  }

  static CalendarWork row(
      CalendarWork.State state, long wanted, long synced, boolean present, @Nullable Drift drift) {
    CalendarEvent event =
        new CalendarEvent(
            ID,
            wanted,
            "Video session",
            "",
            NINE,
            TEN,
            ZoneId.of("Europe/Berlin"),
            Optional.empty(),
            Optional.empty(),
            CalendarEvent.Status.CONFIRMED);
    return new CalendarWork(
        ID,
        UUID.randomUUID(),
        UUID.randomUUID(),
        UUID.randomUUID(),
        wanted,
        present,
        Modality.TELEHEALTH,
        event,
        "ext",
        "e1",
        synced,
        0,
        0,
        drift,
        state,
        0,
        NINE,
        null);
  }

  static OwnEvent seen(long version, boolean deleted, @Nullable Instant start) {
    return new OwnEvent(
        ID,
        "ext",
        OptionalLong.of(version),
        deleted,
        Optional.ofNullable(start),
        Optional.ofNullable(start).map(s -> s.plus(Duration.ofMinutes(50))));
  }
}
