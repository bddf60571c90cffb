package org.sessionbridge.routes.calendar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.sessionbridge.routes.calendar.CalendarTestBed.FIFTY_MINUTES;
import static org.sessionbridge.routes.calendar.CalendarTestBed.LEASE;
import static org.sessionbridge.routes.calendar.CalendarTestBed.NINE;
import static org.sessionbridge.routes.calendar.CalendarTestBed.PRIMARY;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.calendar.CalendarAudit;
import org.sessionbridge.core.calendar.CalendarAudit.Action;
import org.sessionbridge.core.calendar.CalendarWork.State;
import org.sessionbridge.routes.calendar.FakeCalendarProvider.Op;

/**
 * Two hub nodes, each with its own calendar-push and calendar-pull routes in its own Camel context
 * and its own worker pools, over one database and one (fake) calendar service: every booking ends
 * up as exactly one event with its final state, no event is written by two workers at once, and
 * busy time and the owner's edits come back through the pull.
 */
class CalendarRoutesTest {

  private static final Duration POLL = Duration.ofMillis(20);
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private CalendarTestBed bed;
  private final List<CamelContext> nodes = new ArrayList<>();
  private final List<ExecutorService> pools = new ArrayList<>();
  private final List<CalendarPushReconciler> pushers = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    bed = new CalendarTestBed();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (CamelContext node : nodes) {
      node.close();
    }
    for (ExecutorService pool : pools) {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }
    bed.close();
  }

  @Test
  void twoNodesKeepOneEventPerBookingAndNeverWriteItTwiceAtOnce() {
    int bookings = 30;
    bed.calendar.callTakes(5);
    startNode("node-a");
    startNode("node-b");

    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < bookings; i++) {
      ids.add(bed.book(NINE.plus(Duration.ofHours(i)), Modality.TELEHEALTH));
      if (i % 10 == 9) {
        bed.plan(); // rows arrive while both nodes poll
      }
    }
    for (int i = 0; i < bookings; i += 3) {
      bed.moveTo(ids.get(i), NINE.plus(Duration.ofHours(i)).plus(Duration.ofMinutes(30)));
    }
    bed.plan();

    await().atMost(PATIENCE).until(() -> bed.store.countByState().get(State.SYNCED) == bookings);

    assertThat(bed.calendar.overlaps()).as("calls for one event at the same time").isEmpty();
    assertThat(bed.calendar.events(PRIMARY)).hasSize(bookings);
    for (int i = 0; i < bookings; i++) {
      UUID id = ids.get(i);
      Instant start = NINE.plus(Duration.ofHours(i)).plus(Duration.ofMinutes(i % 3 == 0 ? 30 : 0));
      FakeCalendarProvider.Event e = bed.calendar.event(PRIMARY, id).orElseThrow();
      assertThat(e.start).as("final start of %s", i).isEqualTo(start);
      assertThat(e.end).isEqualTo(start.plus(FIFTY_MINUTES));
      assertThat(bed.row(id).syncedVersion()).isEqualTo(i % 3 == 0 ? 2 : 1);
      assertThat(bed.actions(id)).first().isEqualTo(Action.CREATED);
      assertThat(bed.actions(id)).filteredOn(a -> a == Action.CREATED).hasSize(1);
    }
    assertThat(bed.calendar.calls(Op.UPSERT)).isBetween(bookings, bookings + bookings / 3);
    assertThat(pushers.get(0).pushCount() + pushers.get(1).pushCount())
        .isEqualTo(bed.calendar.calls(Op.UPSERT));
    assertThat(pushers.get(0).failureCount() + pushers.get(1).failureCount()).isZero();
  }

  @Test
  void thePullRouteStoresBusyTimeAndPutsBackWhatTheOwnerMoved() {
    startNode("node-a");
    startNode("node-b");
    UUID id = bed.book(NINE, Modality.TELEHEALTH);
    bed.plan();
    await().atMost(PATIENCE).until(() -> bed.row(id).state() == State.SYNCED);
    await().atMost(PATIENCE).until(() -> bed.link(bed.google).cursor() != null);

    Instant gym = Instant.parse("2030-03-12T17:00:00Z");
    bed.calendar.ownerAddsBusy(PRIMARY, "gym", gym, gym.plus(Duration.ofHours(1)));
    bed.calendar.ownerMoves(PRIMARY, id, NINE.plusSeconds(3600), NINE.plusSeconds(6600));
    bed.store.requestPull(bed.google.id()); // what the webhook will do

    await()
        .atMost(PATIENCE)
        .until(
            () ->
                bed.store.busyBetween(bed.provider.id(), gym, gym.plusSeconds(60)).size() == 1
                    && bed.calendar.event(PRIMARY, id).orElseThrow().start.equals(NINE)
                    && bed.row(id).state() == State.SYNCED);
    assertThat(bed.store.audits(bed.practiceId, id))
        .extracting(CalendarAudit::action)
        .containsExactly(Action.CREATED, Action.MOVED_BY_OWNER, Action.RESTORED);
  }

  private void startNode(String name) {
    ExecutorService pushPool = Executors.newFixedThreadPool(4);
    ExecutorService pullPool = Executors.newFixedThreadPool(2);
    pools.add(pushPool);
    pools.add(pullPool);
    CalendarPushReconciler pusher = bed.pusher(name);
    pushers.add(pusher);
    CamelContext camel = new DefaultCamelContext();
    camel.getShutdownStrategy().setTimeout(30);
    try {
      camel.addRoutes(new CalendarPushRoute(bed.store, pusher, POLL, LEASE, 5, pushPool));
      camel.addRoutes(new CalendarPullRoute(bed.store, bed.puller(name), POLL, LEASE, 5, pullPool));
    } catch (Exception e) {
      throw new IllegalStateException("the calendar routes did not build", e);
    }
    camel.start();
    nodes.add(camel);
  }
}
