package org.sessionbridge.routes.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sessionbridge.routes.calendar.CalendarTestBed.FIFTY_MINUTES;
import static org.sessionbridge.routes.calendar.CalendarTestBed.NINE;
import static org.sessionbridge.routes.calendar.CalendarTestBed.PRIMARY;
import static org.sessionbridge.routes.calendar.CalendarTestBed.zoomJoin;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.calendar.CalendarAudit.Action;
import org.sessionbridge.core.calendar.CalendarEvent;
import org.sessionbridge.core.calendar.CalendarLink;
import org.sessionbridge.core.calendar.CalendarWork;
import org.sessionbridge.core.calendar.CalendarWork.State;
import org.sessionbridge.core.calendar.Removal;
import org.sessionbridge.core.policy.ClientLabel;
import org.sessionbridge.core.port.CalendarProviderException;
import org.sessionbridge.core.practice.StaffRole;
import org.sessionbridge.routes.calendar.FakeCalendarProvider.Op;

class CalendarPushReconcilerTest {

  private CalendarTestBed bed;
  private CalendarPushReconciler pusher;
  private FakeCalendarProvider calendar;

  @BeforeEach
  void setUp() throws Exception {
    bed = new CalendarTestBed();
    pusher = bed.pusher("node-a");
    calendar = bed.calendar;
  }

  @AfterEach
  void tearDown() throws Exception {
    bed.close();
  }

  @Test
  void aBookingBecomesOneEventTitledByThePrivacyPolicy() {
    UUID id = bed.book(NINE, Modality.TELEHEALTH);
    bed.plan();

    assertThat(bed.drain(pusher)).isEqualTo(1);

    assertThat(calendar.calls(Op.UPSERT)).isEqualTo(1);
    FakeCalendarProvider.Event e = calendar.event(PRIMARY, id).orElseThrow();
    CalendarEvent written = e.written;
    assertThat(written.title()).isEqualTo("Video session – A.B.");
    assertThat(written.title() + written.description())
        .doesNotContain("Alice")
        .doesNotContain("Berger")
        .doesNotContain("anxiety");
    assertThat(written.description()).isEqualTo(CalendarProjection.LINK_FOLLOWS);
    assertThat(written.start()).isEqualTo(NINE);
    assertThat(written.end()).isEqualTo(NINE.plus(FIFTY_MINUTES));
    assertThat(written.timeZone()).isEqualTo(CalendarTestBed.BERLIN);
    assertThat(written.join()).isEmpty();
    CalendarWork row = bed.row(id);
    assertThat(row.state()).isEqualTo(State.SYNCED);
    assertThat(row.externalId()).isEqualTo(e.externalId);
    assertThat(row.etag()).isEqualTo("etag-1");
    assertThat(bed.actions(id)).containsExactly(Action.CREATED);
    assertThat(bed.drain(pusher)).as("nothing left").isZero();
  }

  @Test
  void thePracticeChoosesHowClientsAreNamedAndInPersonSessionsCarryItsAddress() {
    bed.practices.updateSettings(bed.practiceId, "Lindenstraße 4, Berlin", ClientLabel.NONE);
    UUID id = bed.book(NINE, Modality.IN_PERSON);
    bed.plan();
    bed.drain(pusher);

    CalendarEvent written = calendar.event(PRIMARY, id).orElseThrow().written;
    assertThat(written.title()).isEqualTo("Session");
    assertThat(written.description()).isEmpty();
    assertThat(written.location()).contains("Lindenstraße 4, Berlin");
    assertThat(written.join()).isEmpty();
  }

  @Test
  void aRescheduleUpsertsTheSameEventWithTheNewTimes() {
    UUID id = bed.book(NINE, Modality.TELEHEALTH);
    bed.plan();
    bed.drain(pusher);

    bed.moveTo(id, NINE.plus(Duration.ofHours(2)));
    bed.plan();
    bed.drain(pusher);

    assertThat(calendar.events(PRIMARY)).hasSize(1);
    FakeCalendarProvider.Event e = calendar.event(PRIMARY, id).orElseThrow();
    assertThat(e.start).isEqualTo(NINE.plus(Duration.ofHours(2)));
    assertThat(e.version).isEqualTo(2);
    assertThat(bed.row(id).syncedVersion()).isEqualTo(2);
    assertThat(bed.actions(id)).containsExactly(Action.CREATED, Action.UPDATED);
  }

  @Test
  void aCancellationDeletesOrMarksCancelledAsEachLinkPrefers() {
    CalendarLink outlook =
        bed.link(
            bed.provider.id(), CalendarLink.Kind.MICROSOFT, "AAMk", false, Removal.MARK_CANCELLED);
    UUID id = bed.book(NINE, Modality.TELEHEALTH);
    bed.plan();
    bed.drain(pusher);

    bed.book.cancel(bed.practiceId, id, null);
    bed.plan();
    bed.drain(pusher);

    assertThat(calendar.event(PRIMARY, id).orElseThrow().deleted).isTrue();
    assertThat(calendar.event("AAMk", id).orElseThrow().cancelled).isTrue();
    assertThat(calendar.event("AAMk", id).orElseThrow().deleted).isFalse();
    assertThat(calendar.calls(Op.REMOVE)).isEqualTo(2);
    assertThat(bed.row(id).present()).isFalse();
    assertThat(bed.row(id).state()).isEqualTo(State.SYNCED);
    assertThat(bed.row(id, outlook).state()).isEqualTo(State.SYNCED);
    assertThat(bed.store.audits(bed.practiceId, id))
        .filteredOn(a -> a.action() == Action.REMOVED)
        .extracting(a -> a.detail())
        .containsExactlyInAnyOrder("DELETE", "MARK_CANCELLED");
  }

  @Test
  void aSessionCancelledBeforeItWasPushedNeedsNoEvent() {
    UUID id = bed.book(NINE, Modality.TELEHEALTH);
    bed.book.cancel(bed.practiceId, id, null);
    bed.plan();
    bed.drain(pusher);

    // Planned then removed: the removal is asked for once (a lost upsert could have landed).
    assertThat(calendar.events(PRIMARY)).isEmpty();
    assertThat(calendar.calls(Op.UPSERT)).isZero();
    assertThat(bed.actions(id)).isEmpty();
  }

  @Test
  void theJoinLinkThatAppearsLaterIsPushedAgain() {
    UUID id = bed.book(NINE, Modality.TELEHEALTH);
    bed.plan();
    bed.drain(pusher);
    assertThat(calendar.event(PRIMARY, id).orElseThrow().written.join()).isEmpty();

    // The meeting route made the Zoom meeting and tells the calendar store.
    bed.joins.put(id, zoomJoin("123"));
    assertThat(bed.store.requestRefresh(id)).isEqualTo(1);
    bed.drain(pusher);

    CalendarEvent written = calendar.event(PRIMARY, id).orElseThrow().written;
    assertThat(written.join()).contains(zoomJoin("123"));
    assertThat(written.description()).isEmpty();
    assertThat(calendar.calls(Op.UPSERT)).isEqualTo(2);
    assertThat(bed.row(id).event().join()).contains(zoomJoin("123"));
    assertThat(bed.row(id).state()).isEqualTo(State.SYNCED);
    assertThat(bed.actions(id)).containsExactly(Action.CREATED, Action.UPDATED);
  }

  @Test
  void aJoinLinkKnownAtBookingIsInTheFirstPush() {
    bed.joins.put(UUID.randomUUID(), zoomJoin("0"));
    UUID id = bed.book(NINE, Modality.TELEHEALTH);
    bed.joins.put(id, zoomJoin("7"));
    bed.plan();
    bed.drain(pusher);

    assertThat(calendar.event(PRIMARY, id).orElseThrow().written.join()).contains(zoomJoin("7"));
    assertThat(calendar.calls(Op.UPSERT)).isEqualTo(1);
  }

  @Test
  void anAppointmentGivenToAnotherProviderLeavesTheFirstProvidersCalendar() {
    var roth =
        bed.practices.createStaff(
            bed.practiceId,
            "Dr. Roth",
            "roth@example.org",
            CalendarTestBed.BERLIN,
            StaffRole.PROVIDER,
            true);
    CalendarLink rothCalendar =
        bed.link(roth.id(), CalendarLink.Kind.GOOGLE, "roth-primary", true, Removal.DELETE);
    UUID id = bed.book(NINE, Modality.TELEHEALTH);
    bed.plan();
    bed.drain(pusher);

    // What a provider change looks like to the planner: same appointment, new provider.
    var change =
        new org.sessionbridge.core.appointment.AppointmentChange(
            999,
            bed.practiceId,
            id,
            2,
            org.sessionbridge.core.appointment.ChangeType.UPDATED,
            roth.id(),
            java.util.List.of(bed.clientId),
            NINE,
            NINE.plus(FIFTY_MINUTES),
            CalendarTestBed.BERLIN,
            Modality.TELEHEALTH,
            org.sessionbridge.core.practice.VideoPlatform.ZOOM,
            org.sessionbridge.core.appointment.AppointmentStatus.BOOKED,
            null,
            NINE);
    bed.planner.onChange(change);
    bed.drain(pusher);

    assertThat(calendar.event(PRIMARY, id).orElseThrow().deleted).isTrue();
    assertThat(calendar.event("roth-primary", id).orElseThrow().deleted).isFalse();
    assertThat(bed.row(id, rothCalendar).state()).isEqualTo(State.SYNCED);
  }

  @Test
  void aRefusedAuthorisationParksEveryRowOfTheLinkUntilItIsAuthorisedAgain() {
    UUID first = bed.book(NINE, Modality.TELEHEALTH);
    UUID second = bed.book(NINE.plus(Duration.ofHours(3)), Modality.TELEHEALTH);
    bed.plan();
    calendar.failNext(
        Op.UPSERT, new CalendarProviderException.NotAuthorized("invalid_grant", null));

    bed.drain(pusher);

    CalendarLink link = bed.link(bed.google);
    assertThat(link.status()).isEqualTo(CalendarLink.Status.NEEDS_REAUTHORIZATION);
    assertThat(link.statusReason()).isEqualTo("invalid_grant");
    assertThat(bed.row(first).state()).isEqualTo(State.PARKED);
    assertThat(bed.row(second).state()).isEqualTo(State.PARKED);
    assertThat(calendar.calls(Op.UPSERT)).as("one refusal, no more calls").isEqualTo(1);
    assertThat(bed.events.stopped).hasSize(1).allMatch(s -> s.contains("NEEDS_REAUTHORIZATION"));

    // Changes meanwhile are planned, not dropped.
    bed.moveTo(second, NINE.plus(Duration.ofHours(5)));
    bed.plan();
    assertThat(bed.row(second).state()).isEqualTo(State.PARKED);
    assertThat(bed.drain(pusher)).isZero();

    assertThat(bed.store.resumeLink(bed.google.id())).isEqualTo(2);
    bed.drain(pusher);

    assertThat(calendar.events(PRIMARY)).hasSize(2);
    assertThat(calendar.event(PRIMARY, second).orElseThrow().start)
        .isEqualTo(NINE.plus(Duration.ofHours(5)));
    assertThat(bed.store.countByState()).containsEntry(State.SYNCED, 2L);
  }

  @Test
  void missingCredentialsCountAsARefusedAuthorisation() {
    bed.unauthorised.add(bed.google.id());
    UUID id = bed.book(NINE, Modality.TELEHEALTH);
    bed.plan();

    bed.drain(pusher);

    assertThat(calendar.calls(Op.UPSERT)).isZero();
    assertThat(bed.row(id).state()).isEqualTo(State.PARKED);
    assertThat(bed.link(bed.google).status()).isEqualTo(CalendarLink.Status.NEEDS_REAUTHORIZATION);
  }

  @Test
  void aDeletedCalendarParksTheLinkWithTheReason() {
    UUID id = bed.book(NINE, Modality.TELEHEALTH);
    bed.plan();
    calendar.failNext(Op.UPSERT, new CalendarProviderException.Gone("404 notFound", null));

    bed.drain(pusher);

    assertThat(bed.link(bed.google).status()).isEqualTo(CalendarLink.Status.CALENDAR_GONE);
    assertThat(bed.link(bed.google).statusReason()).isEqualTo("404 notFound");
    assertThat(bed.row(id).state()).isEqualTo(State.PARKED);
    assertThat(bed.row(id).lastError()).isEqualTo("404 notFound");
  }

  @Test
  void aRateLimitWaitsAsLongAsTheCalendarAsks() {
    UUID id = bed.book(NINE, Modality.TELEHEALTH);
    bed.plan();
    calendar.failNext(
        Op.UPSERT,
        new CalendarProviderException.Retryable(
            "429 rateLimitExceeded", Duration.ofMinutes(10), null));

    bed.drain(pusher);

    CalendarWork waiting = bed.row(id);
    assertThat(waiting.state()).isEqualTo(State.DEFERRED);
    assertThat(waiting.nextAttemptAt()).isEqualTo(CalendarTestBed.T0.plus(Duration.ofMinutes(10)));
    assertThat(waiting.attempts()).isEqualTo(1);
    assertThat(waiting.lastError()).isEqualTo("429 rateLimitExceeded");
    bed.clock.advance(Duration.ofMinutes(9));
    assertThat(bed.drain(pusher)).isZero();

    bed.clock.advance(Duration.ofMinutes(1));
    bed.drain(pusher);
    assertThat(bed.row(id).state()).isEqualTo(State.SYNCED);
    assertThat(bed.row(id).attempts()).isZero();
    assertThat(calendar.calls(Op.UPSERT)).isEqualTo(2);
    assertThat(calendar.events(PRIMARY)).hasSize(1);
  }

  @Test
  void anOutageBacksOffOnItsOwn() {
    UUID id = bed.book(NINE, Modality.TELEHEALTH);
    bed.plan();
    calendar.failNext(Op.UPSERT, new CalendarProviderException.Retryable("503", null, null));

    bed.drain(pusher);

    CalendarWork waiting = bed.row(id);
    assertThat(waiting.state()).isEqualTo(State.PENDING);
    assertThat(waiting.nextAttemptAt())
        .isBetween(CalendarTestBed.T0.plusSeconds(5), CalendarTestBed.T0.plusSeconds(10));
  }

  @Test
  void aRefusedEventFailsUntilTheAppointmentChanges() {
    UUID id = bed.book(NINE, Modality.TELEHEALTH);
    bed.plan();
    calendar.failNext(
        Op.UPSERT, new CalendarProviderException.Rejected("400 invalid time zone", null));

    bed.drain(pusher);
    assertThat(bed.row(id).state()).isEqualTo(State.FAILED);
    assertThat(bed.link(bed.google).status()).isEqualTo(CalendarLink.Status.ACTIVE);
    bed.clock.advance(Duration.ofDays(1));
    assertThat(bed.drain(pusher)).isZero();

    bed.moveTo(id, NINE.plus(Duration.ofHours(1)));
    bed.plan();
    bed.drain(pusher);
    assertThat(bed.row(id).state()).isEqualTo(State.SYNCED);
  }

  @Test
  void aWorkerThatLostItsLeaseRecordsNothing() {
    UUID id = bed.book(NINE, Modality.TELEHEALTH);
    bed.plan();
    CalendarWork claimed = bed.store.claimDue(1, "node-a", CalendarTestBed.LEASE).get(0);
    bed.clock.advance(CalendarTestBed.LEASE.plusSeconds(1));
    CalendarWork stolen = bed.store.claimDue(1, "node-b", CalendarTestBed.LEASE).get(0);

    pusher.reconcile(claimed);

    assertThat(bed.row(id).state()).isEqualTo(State.PENDING);
    assertThat(bed.row(id).externalId()).isNull();
    bed.pusher("node-b").reconcile(stolen);
    assertThat(bed.row(id).state()).isEqualTo(State.SYNCED);
    assertThat(calendar.events(PRIMARY)).hasSize(1);
  }
}
