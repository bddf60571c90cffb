package org.sessionbridge.routes.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.sessionbridge.routes.calendar.CalendarTestBed.FIFTY_MINUTES;
import static org.sessionbridge.routes.calendar.CalendarTestBed.NINE;
import static org.sessionbridge.routes.calendar.CalendarTestBed.POLL;
import static org.sessionbridge.routes.calendar.CalendarTestBed.PRIMARY;
import static org.sessionbridge.routes.calendar.CalendarTestBed.T0;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.calendar.BusyBlock;
import org.sessionbridge.core.calendar.CalendarAudit;
import org.sessionbridge.core.calendar.CalendarAudit.Action;
import org.sessionbridge.core.calendar.CalendarLink;
import org.sessionbridge.core.calendar.CalendarWork.State;
import org.sessionbridge.core.calendar.Drift;
import org.sessionbridge.core.calendar.Removal;
import org.sessionbridge.core.port.CalendarProviderException;
import org.sessionbridge.routes.calendar.FakeCalendarProvider.Op;

class CalendarPullReconcilerTest {

  static final Instant TUESDAY = Instant.parse("2030-03-12T00:00:00Z");

  private CalendarTestBed bed;
  private CalendarPullReconciler puller;
  private CalendarPushReconciler pusher;
  private FakeCalendarProvider calendar;

  @BeforeEach
  void setUp() throws Exception {
    bed = new CalendarTestBed();
    puller = bed.puller("node-a");
    pusher = bed.pusher("node-a");
    calendar = bed.calendar;
  }

  @AfterEach
  void tearDown() throws Exception {
    bed.close();
  }

  @Test
  void theFirstPullIsFullAndLaterOnesReadOnlyChanges() {
    calendar.ownerAddsBusy(PRIMARY, "gym", at(10), at(11));
    calendar.ownerAddsBusy(PRIMARY, "lunch", at(12), at(13));

    assertThat(bed.pullDue(puller)).isEqualTo(1);
    assertThat(ids()).containsExactly("gym", "lunch");
    CalendarLink link = bed.link(bed.google);
    assertThat(link.cursor()).isNotNull();
    assertThat(link.lastFullSyncAt()).isEqualTo(T0);
    assertThat(link.nextPullAt()).isEqualTo(T0.plus(POLL));
    assertThat(bed.pullDue(puller)).as("not due before the polling interval").isZero();

    calendar.ownerFrees(PRIMARY, "lunch");
    calendar.ownerAddsBusy(PRIMARY, "gym", at(16), at(17));
    calendar.ownerAddsBusy(PRIMARY, "dentist", at(8), at(9));
    bed.clock.advance(POLL);
    assertThat(bed.pullDue(puller)).isEqualTo(1);

    assertThat(bed.store.busyBlocks(bed.google.id()))
        .extracting(BusyBlock::externalId, BusyBlock::start)
        .containsExactly(tuple("dentist", at(8)), tuple("gym", at(16)));
    assertThat(calendar.cursorsAsked()).hasSize(2).startsWith("null");
    assertThat(puller.fullSyncCount()).isEqualTo(1);
    assertThat(bed.store.busyBetween(bed.provider.id(), at(0), at(24))).hasSize(2);
  }

  @Test
  void aWebhookRequestPullsAtOnce() {
    bed.pullDue(puller);
    calendar.ownerAddsBusy(PRIMARY, "gym", at(10), at(11));
    assertThat(bed.pullDue(puller)).isZero();

    bed.store.requestPull(bed.google.id());

    assertThat(bed.pullDue(puller)).isEqualTo(1);
    assertThat(ids()).containsExactly("gym");
  }

  @Test
  void anExpiredCursorCausesExactlyOneFullResyncThatReplacesTheBlocks() {
    UUID ours = bed.book(NINE, Modality.TELEHEALTH);
    bed.plan();
    bed.drain(pusher);
    calendar.ownerAddsBusy(PRIMARY, "gym", at(10), at(11));
    calendar.ownerAddsBusy(PRIMARY, "lunch", at(12), at(13));
    bed.pullDue(puller);
    calendar.ownerFrees(PRIMARY, "gym");
    calendar.ownerAddsBusy(PRIMARY, "run", at(7), at(8));
    calendar.expireCursors();
    int readsBefore = calendar.calls(Op.CHANGES);

    bed.store.requestPull(bed.google.id());
    bed.pullDue(puller);

    assertThat(calendar.calls(Op.CHANGES) - readsBefore).as("expired read + one full").isEqualTo(2);
    assertThat(calendar.cursorsAsked()).endsWith("null");
    assertThat(puller.fullSyncCount()).isEqualTo(2);
    assertThat(ids()).as("replaced, no duplicates").containsExactly("run", "lunch");
    // Nothing in the calendar was touched: not our event, not the owner's.
    assertThat(calendar.calls(Op.REMOVE)).isZero();
    assertThat(calendar.calls(Op.UPSERT)).isEqualTo(1);
    assertThat(calendar.event(PRIMARY, ours).orElseThrow().deleted).isFalse();
    assertThat(bed.row(ours).state()).as("our own event in step: no drift").isEqualTo(State.SYNCED);
    assertThat(bed.link(bed.google).lastFullSyncAt()).isEqualTo(T0);

    // The new cursor works.
    calendar.ownerAddsBusy(PRIMARY, "late", at(20), at(21));
    bed.store.requestPull(bed.google.id());
    bed.pullDue(puller);
    assertThat(puller.fullSyncCount()).isEqualTo(2);
    assertThat(ids()).containsExactly("run", "lunch", "late");
  }

  @Test
  void ourEventMovedByTheOwnerIsPutBackAndTheDriftAudited() {
    UUID id = bed.book(NINE, Modality.TELEHEALTH);
    bed.plan();
    bed.drain(pusher);
    bed.pullDue(puller);

    calendar.ownerMoves(PRIMARY, id, NINE.plus(Duration.ofHours(1)), NINE.plusSeconds(6000));
    bed.store.requestPull(bed.google.id());
    bed.pullDue(puller);

    assertThat(puller.driftCount()).isEqualTo(1);
    assertThat(bed.row(id).drift()).isEqualTo(Drift.MOVED);
    assertThat(bed.row(id).state()).isEqualTo(State.PENDING);

    bed.drain(pusher);

    FakeCalendarProvider.Event e = calendar.event(PRIMARY, id).orElseThrow();
    assertThat(e.start).isEqualTo(NINE);
    assertThat(e.end).isEqualTo(NINE.plus(FIFTY_MINUTES));
    assertThat(bed.row(id).drift()).isNull();
    assertThat(bed.row(id).state()).isEqualTo(State.SYNCED);
    assertThat(bed.store.audits(bed.practiceId, id))
        .extracting(CalendarAudit::action)
        .containsExactly(Action.CREATED, Action.MOVED_BY_OWNER, Action.RESTORED);

    // Our own correction, read back, is not a drift.
    bed.store.requestPull(bed.google.id());
    bed.pullDue(puller);
    assertThat(bed.row(id).state()).isEqualTo(State.SYNCED);
    assertThat(puller.driftCount()).isEqualTo(1);
  }

  @Test
  void ourEventDeletedByTheOwnerIsMadeAgainAndTheDriftAudited() {
    UUID id = bed.book(NINE, Modality.TELEHEALTH);
    bed.plan();
    bed.drain(pusher);
    bed.pullDue(puller);

    calendar.ownerDeletes(PRIMARY, id);
    bed.store.requestPull(bed.google.id());
    bed.pullDue(puller);
    bed.drain(pusher);

    assertThat(calendar.event(PRIMARY, id).orElseThrow().deleted).isFalse();
    assertThat(calendar.events(PRIMARY)).hasSize(1);
    assertThat(bed.store.audits(bed.practiceId, id))
        .extracting(CalendarAudit::action, CalendarAudit::detail)
        .containsExactly(
            tuple(Action.CREATED, "version 1"),
            tuple(Action.DELETED_BY_OWNER, "deleted in the calendar"),
            tuple(Action.RESTORED, "deleted in the calendar; made again from version 1"));
  }

  @Test
  void aCancelledSessionsEventThatIsGoneIsNoDrift() {
    UUID id = bed.book(NINE, Modality.TELEHEALTH);
    bed.plan();
    bed.drain(pusher);
    bed.book.cancel(bed.practiceId, id, null);
    bed.plan();
    bed.drain(pusher);

    bed.store.requestPull(bed.google.id());
    bed.pullDue(puller);

    assertThat(bed.row(id).state()).isEqualTo(State.SYNCED);
    assertThat(puller.driftCount()).isZero();
    assertThat(calendar.event(PRIMARY, id).orElseThrow().deleted).isTrue();
  }

  @Test
  void aCalendarThatDoesNotCountAsBusyKeepsNoBlocksButItsDriftIsStillPutBack() {
    CalendarLink sessionsOnly =
        bed.link(
            bed.provider.id(), CalendarLink.Kind.MICROSOFT, "AAMk", false, Removal.MARK_CANCELLED);
    UUID id = bed.book(NINE, Modality.TELEHEALTH);
    bed.plan();
    bed.drain(pusher);
    calendar.ownerAddsBusy("AAMk", "gym", at(10), at(11));
    bed.pullDue(puller);
    assertThat(bed.store.busyBlocks(sessionsOnly.id())).isEmpty();

    calendar.ownerMoves("AAMk", id, NINE.plusSeconds(600), NINE.plusSeconds(3600));
    bed.store.requestPull(sessionsOnly.id());
    bed.pullDue(puller);
    bed.drain(pusher);

    assertThat(calendar.event("AAMk", id).orElseThrow().start).isEqualTo(NINE);
    assertThat(bed.row(id, sessionsOnly).drift()).isNull();
    assertThat(bed.row(id).drift()).as("the other calendar was left alone").isNull();
  }

  @Test
  void aRefusedAuthorisationOnPullStopsTheLinkAndParksItsRows() {
    UUID id = bed.book(NINE, Modality.TELEHEALTH);
    bed.plan();
    calendar.failNext(
        Op.CHANGES, new CalendarProviderException.NotAuthorized("invalid_grant", null));

    bed.pullDue(puller);

    assertThat(bed.link(bed.google).status()).isEqualTo(CalendarLink.Status.NEEDS_REAUTHORIZATION);
    assertThat(bed.row(id).state()).isEqualTo(State.PARKED);
    assertThat(bed.events.stopped).hasSize(1);
    bed.clock.advance(POLL.multipliedBy(3));
    assertThat(bed.pullDue(puller)).as("stopped links are not pulled").isZero();

    bed.store.resumeLink(bed.google.id());
    assertThat(bed.pullDue(puller)).isEqualTo(1);
    bed.drain(pusher);
    assertThat(bed.row(id).state()).isEqualTo(State.SYNCED);
  }

  @Test
  void anOutageRetriesThePullHonouringRetryAfter() {
    calendar.failNext(
        Op.CHANGES, new CalendarProviderException.Retryable("429", Duration.ofMinutes(3), null));

    bed.pullDue(puller);

    CalendarLink link = bed.link(bed.google);
    assertThat(link.nextPullAt()).isEqualTo(T0.plus(Duration.ofMinutes(3)));
    assertThat(link.pullAttempts()).isEqualTo(1);
    assertThat(link.cursor()).isNull();
    assertThat(link.status()).isEqualTo(CalendarLink.Status.ACTIVE);
    bed.clock.advance(Duration.ofMinutes(3));
    assertThat(bed.pullDue(puller)).isEqualTo(1);
    assertThat(bed.link(bed.google).cursor()).isNotNull();
    assertThat(bed.link(bed.google).pullAttempts()).isZero();
  }

  private static Instant at(int hour) {
    return TUESDAY.plus(Duration.ofHours(hour));
  }

  private java.util.List<String> ids() {
    return bed.store.busyBlocks(bed.google.id()).stream().map(BusyBlock::externalId).toList();
  }
}
