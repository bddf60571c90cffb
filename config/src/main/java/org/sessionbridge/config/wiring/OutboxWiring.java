package org.sessionbridge.config.wiring;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.sessionbridge.config.settings.SessionBridgeProperties;
import org.sessionbridge.core.outbox.OutboxStore;
import org.sessionbridge.core.port.AppointmentChangeHandler;
import org.sessionbridge.routes.outbox.OutboxDispatchRoute;
import org.sessionbridge.routes.outbox.OutboxDispatcher;
import org.sessionbridge.routes.outbox.OutboxHousekeepingRoute;
import org.sessionbridge.routes.outbox.RetryPolicy;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The outbox drain: every {@link AppointmentChangeHandler} bean, in {@code @Order}, behind one
 * dispatcher and one Camel route. {@code sessionbridge.outbox.enabled=false} keeps a node from
 * draining (an API-only node in a scaled-out deployment).
 */
@Configuration(proxyBeanMethods = false)
class OutboxWiring {

  @Bean
  OutboxDispatcher outboxDispatcher(
      OutboxStore store,
      ObjectProvider<AppointmentChangeHandler> handlers,
      SessionBridgeProperties properties) {
    SessionBridgeProperties.Outbox o = properties.outbox();
    List<AppointmentChangeHandler> ordered = handlers.orderedStream().toList();
    return new OutboxDispatcher(
        store,
        ordered,
        new RetryPolicy(o.maxAttempts(), o.initialBackoff(), o.maxBackoff()),
        o.batchSize());
  }

  @Bean(destroyMethod = "shutdown")
  ExecutorService outboxWorkers(SessionBridgeProperties properties) {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory threads =
        r -> {
          Thread t = new Thread(r, "outbox-worker-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    return Executors.newFixedThreadPool(properties.outbox().workers(), threads);
  }

  @Bean
  @ConditionalOnProperty(
      name = "sessionbridge.outbox.enabled",
      havingValue = "true",
      matchIfMissing = true)
  OutboxDispatchRoute outboxDispatchRoute(
      OutboxDispatcher dispatcher,
      ExecutorService outboxWorkers,
      SessionBridgeProperties properties) {
    return new OutboxDispatchRoute(dispatcher, properties.outbox().pollInterval(), outboxWorkers);
  }

  @Bean
  @ConditionalOnProperty(
      name = "sessionbridge.outbox.enabled",
      havingValue = "true",
      matchIfMissing = true)
  OutboxHousekeepingRoute outboxHousekeepingRoute(
      OutboxStore store, SessionBridgeProperties properties) {
    return new OutboxHousekeepingRoute(store, properties.outbox().deliveredRetention());
  }

  @Bean
  OutboxMetrics outboxMetrics(
      MeterRegistry registry, OutboxStore store, OutboxDispatcher dispatcher) {
    Gauge.builder("sessionbridge.outbox.pending", store, s -> s.stats().pending())
        .description("Outbox events waiting for delivery")
        .register(registry);
    Gauge.builder("sessionbridge.outbox.dead", store, s -> s.stats().dead())
        .description("Outbox events in the dead-letter store")
        .register(registry);
    FunctionCounter.builder(
            "sessionbridge.outbox.delivered", dispatcher, OutboxDispatcher::deliveredCount)
        .description("Events delivered to every handler by this node")
        .register(registry);
    FunctionCounter.builder(
            "sessionbridge.outbox.failed.attempts",
            dispatcher,
            OutboxDispatcher::failedAttemptCount)
        .description("Failed delivery attempts on this node")
        .register(registry);
    FunctionCounter.builder(
            "sessionbridge.outbox.dead.lettered", dispatcher, OutboxDispatcher::deadLetteredCount)
        .description("Events this node moved to the dead-letter store")
        .register(registry);
    return new OutboxMetrics();
  }

  /** Marker bean: the outbox meters are registered. */
  static final class OutboxMetrics {}
}
