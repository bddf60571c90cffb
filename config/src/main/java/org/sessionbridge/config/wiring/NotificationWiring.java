package org.sessionbridge.config.wiring;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.jspecify.annotations.Nullable;
import org.sessionbridge.config.feeds.Invitations;
import org.sessionbridge.config.settings.ConfigurationError;
import org.sessionbridge.config.settings.SessionBridgeProperties;
import org.sessionbridge.core.appointment.AppointmentBook;
import org.sessionbridge.core.error.InvalidInputException;
import org.sessionbridge.core.error.NotFoundException;
import org.sessionbridge.core.join.JoinPassLinks;
import org.sessionbridge.core.notification.Notification;
import org.sessionbridge.core.notification.NotificationStore;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.routes.calendar.JoinLinks;
import org.sessionbridge.routes.notification.InvitationFiles;
import org.sessionbridge.routes.notification.NotificationMessages;
import org.sessionbridge.routes.notification.NotificationPlanner;
import org.sessionbridge.routes.notification.NotificationRoute;
import org.sessionbridge.routes.notification.NotificationSender;
import org.sessionbridge.routes.notification.SmsGateway;
import org.sessionbridge.routes.notification.SmsSettings;
import org.sessionbridge.routes.notification.SmtpMailer;
import org.sessionbridge.routes.notification.SmtpSettings;
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
 * The notification route (docs/NOTIFICATIONS.md): the store, the outbox handler that plans
 * confirmations, notices and reminders (after the calendar planner), and the route that sends due
 * rows by e-mail (camel-mail SMTP, {@code sessionbridge.notifications.smtp.*}) and SMS (the HTTP
 * gateway, {@code sessionbridge.notifications.sms.*}). {@code sessionbridge.notifications.enabled
 * =false} keeps a node from sending (plans are still recorded).
 */
@Configuration(proxyBeanMethods = false)
class NotificationWiring {

  private static final Logger log = LoggerFactory.getLogger(NotificationWiring.class);

  @Bean
  NotificationStore notificationStore(JdbcClient jdbc, Clock clock) {
    return new NotificationStore(jdbc, clock);
  }

  /** After the meeting (10) and calendar (20) planners. */
  @Bean
  @Order(30)
  NotificationPlanner notificationPlanner(
      NotificationStore store, PracticeStore practices, Clock clock) {
    return new NotificationPlanner(store, practices, clock);
  }

  /**
   * Each client's own invitation, as {@code GET /api/v1/appointments/{id}/invite.ics} gives it. One
   * that cannot be rendered (the renderer refuses a join link that is not absolute https) leaves
   * the notice without it rather than unsent.
   */
  @Bean
  InvitationFiles invitationFiles(Invitations invitations) {
    return (practiceId, appointmentId, clientId) -> {
      try {
        return Optional.of(invitations.invite(practiceId, appointmentId, clientId).body());
      } catch (NotFoundException | InvalidInputException gone) {
        return Optional.empty();
      } catch (IllegalArgumentException unrenderable) {
        log.warn(
            "the invitation of appointment {} could not be rendered ({}); the notice goes without"
                + " it",
            appointmentId,
            unrenderable.getClass().getSimpleName());
        return Optional.empty();
      }
    };
  }

  @Bean
  NotificationMessages notificationMessages(
      PracticeStore practices,
      JoinLinks joinLinks,
      JoinPassLinks passLinks,
      InvitationFiles invitations,
      SessionBridgeProperties properties) {
    String host = URI.create(properties.publicBaseUrl()).getHost();
    return new NotificationMessages(
        practices,
        joinLinks,
        passLinks,
        properties.join().clientLinks(),
        invitations,
        host == null ? "sessionbridge" : host);
  }

  /**
   * The SMTP server: {@code sessionbridge.notifications.smtp.*}, or in the demo (without one) its
   * in-process mail catcher. Null when neither: e-mail rows wait, retried, until one is set.
   */
  static @Nullable SmtpSettings smtpSettings(
      SessionBridgeProperties properties, @Nullable SmtpSettings demoCatcher) {
    SessionBridgeProperties.Smtp smtp = properties.notifications().smtp();
    if (!smtp.configured()) {
      return demoCatcher;
    }
    return new SmtpSettings(
        String.valueOf(smtp.host()).strip(),
        smtp.port(),
        smtp.username(),
        smtp.password(),
        smtp.from(),
        smtp.starttls(),
        smtp.timeout());
  }

  @Bean
  NotificationSender notificationSender(
      NotificationStore store,
      AppointmentBook book,
      NotificationMessages messages,
      CamelContext camel,
      SessionBridgeProperties properties,
      ObjectProvider<SmtpSettings> demoMailCatcher,
      Clock clock) {
    SessionBridgeProperties.Notifications n = properties.notifications();
    SmtpSettings smtp = smtpSettings(properties, demoMailCatcher.getIfAvailable());
    SmtpMailer mailer = smtp == null ? null : new SmtpMailer(camel, smtp);
    if (smtp == null) {
      log.warn(
          "sessionbridge.notifications.smtp.host is not set: confirmations and reminders wait"
              + " until an SMTP server is configured");
    } else {
      log.info("notifications: e-mail through {}:{}", smtp.host(), smtp.port());
    }
    SmsGateway sms = null;
    URI smsBase = n.sms().baseUrl();
    if (smsBase != null) {
      sms =
          new SmsGateway(
              new SmsSettings(smsBase, n.sms().token(), n.sms().from(), n.sms().timeout()), clock);
    }
    RetryPolicy retry;
    try {
      retry = new RetryPolicy(n.maxAttempts(), n.initialBackoff(), n.maxBackoff());
    } catch (IllegalArgumentException e) {
      throw ConfigurationError.named(
          e, "sessionbridge.notifications", "Fix the retry settings (docs/NOTIFICATIONS.md).");
    }
    return new NotificationSender(
        store, book, messages, mailer, sms, retry, n.planWait(), clock, worker());
  }

  private static String worker() {
    return ManagementFactory.getRuntimeMXBean().getName()
        + "/"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  @Bean(destroyMethod = "shutdown")
  ExecutorService notificationWorkers(SessionBridgeProperties properties) {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory threads =
        r -> {
          Thread t = new Thread(r, "notification-worker-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    return Executors.newFixedThreadPool(properties.notifications().workers(), threads);
  }

  @Bean
  @ConditionalOnProperty(
      name = "sessionbridge.notifications.enabled",
      havingValue = "true",
      matchIfMissing = true)
  NotificationRoute notificationRoute(
      NotificationStore store,
      NotificationSender sender,
      ExecutorService notificationWorkers,
      SessionBridgeProperties properties) {
    SessionBridgeProperties.Notifications n = properties.notifications();
    return new NotificationRoute(
        store, sender, n.pollInterval(), n.lease(), n.batchSize(), notificationWorkers);
  }

  @Bean
  NotificationMetrics notificationMetrics(
      MeterRegistry registry, NotificationStore store, NotificationSender sender) {
    StateGauges.register(
        registry,
        "sessionbridge.notifications.by.state",
        "Notification rows by state",
        Notification.State.class,
        store::countByState);
    FunctionCounter.builder(
            "sessionbridge.notifications.sent", sender, NotificationSender::sentCount)
        .description("E-mails and text messages this node had accepted")
        .register(registry);
    FunctionCounter.builder(
            "sessionbridge.notifications.failed", sender, NotificationSender::failedCount)
        .description("Notifications this node gave up on (refused, or out of attempts)")
        .register(registry);
    FunctionCounter.builder(
            "sessionbridge.notifications.retries", sender, NotificationSender::retryCount)
        .description("Sends that failed and were rescheduled")
        .register(registry);
    FunctionCounter.builder(
            "sessionbridge.notifications.skipped", sender, NotificationSender::skippedCount)
        .description("Notifications skipped (session started, no phone, SMS off)")
        .register(registry);
    return new NotificationMetrics();
  }

  /** Marker bean: the notification meters are registered. */
  static final class NotificationMetrics {}
}
