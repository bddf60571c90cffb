package org.sessionbridge.routes.meeting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.sessionbridge.routes.meeting.MeetingTestBed.LEASE;
import static org.sessionbridge.routes.meeting.MeetingTestBed.NINE;

import java.time.Duration;
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
import org.sessionbridge.core.meeting.MeetingAudit.Action;
import org.sessionbridge.core.meeting.MeetingReference;
import org.sessionbridge.core.meeting.MeetingWork;
import org.sessionbridge.core.meeting.MeetingWork.State;
import org.sessionbridge.core.practice.VideoPlatform;
import org.sessionbridge.routes.meeting.FakePlatform.Op;

/**
 * Two hub nodes, each with its own meeting-sync route in its own Camel context and its own worker
 * pool, over one database and one (fake) Zoom: every booking gets exactly one meeting.
 */
class MeetingRouteTest {

  private static final Duration POLL = Duration.ofMillis(20);
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private MeetingTestBed bed;
  private final List<CamelContext> nodes = new ArrayList<>();
  private final List<ExecutorService> pools = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    bed = new MeetingTestBed();
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
  void twoNodesMakeExactlyOneMeetingPerBooking() {
    int bookings = 50;
    FakePlatform zoom = new FakePlatform(VideoPlatform.ZOOM);
    MeetingReconciler a = bed.reconciler("node-a", zoom);
    MeetingReconciler b = bed.reconciler("node-b", zoom);
    startNode(a);
    startNode(b);

    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < bookings; i++) {
      ids.add(bed.bookTelehealth(NINE.plus(Duration.ofHours(i)), VideoPlatform.ZOOM));
      if (i % 10 == 9) {
        bed.plan(); // rows arrive while both nodes poll
      }
    }

    await().atMost(PATIENCE).until(() -> bed.store.countByState().get(State.SYNCED) == bookings);

    assertThat(zoom.made()).as("meetings ever made").isEqualTo(bookings);
    assertThat(zoom.calls(Op.CREATE)).isEqualTo(bookings);
    assertThat(zoom.overlappingCreates()).isEmpty();
    assertThat(zoom.meetings())
        .extracting(m -> MeetingReference.in(m.topic).orElseThrow())
        .containsExactlyInAnyOrderElementsOf(ids.stream().map(MeetingReference::of).toList());
    for (UUID id : ids) {
      MeetingWork w = bed.row(id);
      assertThat(zoom.meeting(w.meetingId()).topic).contains(w.reference());
      assertThat(w.waitingRoom()).isEqualTo(MeetingWork.WaitingRoom.ENFORCED);
      assertThat(bed.actions(id)).containsExactly(Action.CREATED);
    }
    assertThat(a.createCount() + b.createCount()).isEqualTo(bookings);
    assertThat(a.failureCount() + b.failureCount()).isZero();
  }

  private void startNode(MeetingReconciler reconciler) {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    pools.add(pool);
    CamelContext camel = new DefaultCamelContext();
    camel.getShutdownStrategy().setTimeout(30);
    try {
      camel.addRoutes(new MeetingRoute(bed.store, reconciler, POLL, LEASE, 5, pool));
    } catch (Exception e) {
      throw new IllegalStateException("the meeting route did not build", e);
    }
    camel.start();
    nodes.add(camel);
  }
}
