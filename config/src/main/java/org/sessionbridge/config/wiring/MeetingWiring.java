package org.sessionbridge.config.wiring;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.config.feeds.FeedGenerations;
import org.sessionbridge.config.settings.SessionBridgeProperties;
import org.sessionbridge.core.appointment.AppointmentBook;
import org.sessionbridge.core.calendar.CalendarStore;
import org.sessionbridge.core.credential.Connection;
import org.sessionbridge.core.credential.ConnectionStore;
import org.sessionbridge.core.meeting.MeetingStore;
import org.sessionbridge.core.meeting.MeetingWork;
import org.sessionbridge.core.port.MeetingPlatform;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.core.practice.VideoPlatform;
import org.sessionbridge.routes.meeting.MeetingEvents;
import org.sessionbridge.routes.meeting.MeetingPlanner;
import org.sessionbridge.routes.meeting.MeetingReconciler;
import org.sessionbridge.routes.meeting.MeetingRoute;
import org.sessionbridge.routes.meeting.WaitingRoomSweepRoute;
import org.sessionbridge.routes.outbox.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The meeting route: every {@link MeetingPlatform} bean (one per hub-managed platform whose
 * connector is installed), the outbox handler that plans meetings, the reconciling route and the
 * waiting-room sweep. {@code sessionbridge.meetings.enabled=false} keeps a node from calling the
 * platforms (plans are still recorded by whichever node drains the outbox).
 */
@Configuration(proxyBeanMethods = false)
class MeetingWiring {

  private static final Logger log = LoggerFactory.getLogger(MeetingWiring.class);

  @Bean
  MeetingStore meetingStore(JdbcClient jdbc, Clock clock) {
    return new MeetingStore(jdbc, clock);
  }

  @Bean
  Map<VideoPlatform, MeetingPlatform> meetingPlatforms(ObjectProvider<MeetingPlatform> platforms) {
    Map<VideoPlatform, MeetingPlatform> byPlatform = new EnumMap<>(VideoPlatform.class);
    platforms.orderedStream().forEach(p -> byPlatform.put(p.platform(), p));
    return byPlatform;
  }

  /** Runs after the feed-cache handler has no bearing: it only writes the plan. */
  @Bean
  @Order(10)
  MeetingPlanner meetingPlanner(
      MeetingStore store, Map<VideoPlatform, MeetingPlatform> meetingPlatforms) {
    return new MeetingPlanner(store, meetingPlatforms.keySet());
  }

  @Bean
  MeetingEvents meetingEvents(
      AppointmentBook book,
      FeedGenerations generations,
      ObjectProvider<ConnectionStore> connections,
      CalendarStore calendars) {
    return new MeetingEvents() {
      @Override
      public void joinLinkChanged(MeetingWork work) {
        // Feeds of the provider and the clients now show (or lose) the join link.
        generations.bump(work.providerId());
        book.find(work.practiceId(), work.appointmentId())
            .ifPresent(a -> a.clientIds().forEach(generations::bump));
        // Calendar events of the appointment are pushed again with the new link.
        calendars.requestRefresh(work.appointmentId());
      }

      @Override
      public void connectionRefused(UUID practiceId, VideoPlatform platform, String reason) {
        ConnectionStore store = connections.getIfAvailable();
        Connection.Kind kind = kind(platform);
        if (store != null && kind != null && store.markRefused(practiceId, kind, reason)) {
          log.warn(
              "the {} connection of practice {} was refused and needs to be connected again;"
                  + " its meetings wait until then",
              platform,
              practiceId);
        }
      }
    };
  }

  @Bean
  MeetingReconciler meetingReconciler(
      MeetingStore store,
      Map<VideoPlatform, MeetingPlatform> meetingPlatforms,
      PracticeStore practices,
      MeetingEvents events,
      SessionBridgeProperties properties,
      Clock clock) {
    SessionBridgeProperties.Meetings m = properties.meetings();
    String worker =
        ManagementFactory.getRuntimeMXBean().getName()
            + "/"
            + UUID.randomUUID().toString().substring(0, 8);
    return new MeetingReconciler(
        store,
        meetingPlatforms,
        practices,
        events,
        new RetryPolicy(Integer.MAX_VALUE, m.initialBackoff(), m.maxBackoff()),
        clock,
        worker);
  }

  @Bean(destroyMethod = "shutdown")
  ExecutorService meetingWorkers(SessionBridgeProperties properties) {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory threads =
        r -> {
          Thread t = new Thread(r, "meeting-worker-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    return Executors.newFixedThreadPool(properties.meetings().workers(), threads);
  }

  @Bean
  @ConditionalOnProperty(
      name = "sessionbridge.meetings.enabled",
      havingValue = "true",
      matchIfMissing = true)
  MeetingRoute meetingRoute(
      MeetingStore store,
      MeetingReconciler reconciler,
      ExecutorService meetingWorkers,
      SessionBridgeProperties properties) {
    SessionBridgeProperties.Meetings m = properties.meetings();
    return new MeetingRoute(
        store, reconciler, m.pollInterval(), m.lease(), m.batchSize(), meetingWorkers);
  }

  @Bean
  @ConditionalOnProperty(
      name = "sessionbridge.meetings.enabled",
      havingValue = "true",
      matchIfMissing = true)
  WaitingRoomSweepRoute waitingRoomSweepRoute(
      MeetingStore store,
      MeetingReconciler reconciler,
      Map<VideoPlatform, MeetingPlatform> meetingPlatforms,
      SessionBridgeProperties properties) {
    SessionBridgeProperties.Meetings m = properties.meetings();
    return new WaitingRoomSweepRoute(
        store, reconciler, meetingPlatforms.keySet(), m.sweepInterval(), m.sweepHorizon());
  }

  @Bean
  MeetingMetrics meetingMetrics(
      MeterRegistry registry, MeetingStore store, MeetingReconciler reconciler) {
    StateGauges.register(
        registry,
        "sessionbridge.meetings.by.state",
        "Hub-managed meetings by the state of their work",
        MeetingWork.State.class,
        store::countByState);
    FunctionCounter.builder(
            "sessionbridge.meetings.created", reconciler, MeetingReconciler::createCount)
        .description("Meetings this node created on a platform")
        .register(registry);
    FunctionCounter.builder(
            "sessionbridge.meetings.waiting.room.repaired",
            reconciler,
            MeetingReconciler::repairCount)
        .description("Waiting rooms this node found off and put back")
        .register(registry);
    FunctionCounter.builder(
            "sessionbridge.meetings.failed.passes", reconciler, MeetingReconciler::failureCount)
        .description("Meeting passes that ended in a failure to retry, park or refuse")
        .register(registry);
    return new MeetingMetrics();
  }

  static Connection.@Nullable Kind kind(VideoPlatform platform) {
    return switch (platform) {
      case ZOOM -> Connection.Kind.ZOOM;
      case TEAMS -> Connection.Kind.MICROSOFT;
      default -> null;
    };
  }

  /** Marker bean: the meeting meters are registered. */
  static final class MeetingMetrics {}
}
