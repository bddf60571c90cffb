package org.sessionbridge.config.wiring;

import java.time.Clock;
import java.time.Duration;
import org.sessionbridge.config.settings.SessionBridgeProperties;
import org.sessionbridge.config.settings.SettingsCheck;
import org.sessionbridge.core.appointment.AppointmentBook;
import org.sessionbridge.core.availability.Availability;
import org.sessionbridge.core.availability.WorkingHoursStore;
import org.sessionbridge.core.calendar.CalendarStore;
import org.sessionbridge.core.outbox.OutboxStore;
import org.sessionbridge.core.practice.CompliancePolicies;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.core.practice.TelehealthAudit;
import org.sessionbridge.core.practice.TelehealthRoles;
import org.sessionbridge.core.practice.VideoServices;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The practice store, telehealth governance (roles, compliance policy, video services and their
 * audit), providers' working hours and availability, and the appointment book (which checks
 * bookings against availability), on the auto-configured data source.
 */
@Configuration(proxyBeanMethods = false)
class CoreWiring {

  /**
   * Checks the settings before any bean is created (a bean factory post-processor runs first), so a
   * bad setting fails fast and named instead of surfacing later as a database or HTTP error.
   */
  @Bean
  static BeanFactoryPostProcessor settingsCheck(Environment env) {
    return beanFactory ->
        SettingsCheck.check(
            Binder.get(env).bindOrCreate("sessionbridge", SessionBridgeProperties.class), env);
  }

  /** Millisecond ticks: what both databases store exactly, so an answer and a later read agree. */
  @Bean
  Clock clock() {
    return Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));
  }

  @Bean
  PracticeStore practiceStore(JdbcClient jdbc, TransactionTemplate tx, Clock clock) {
    return new PracticeStore(jdbc, tx, clock);
  }

  @Bean
  TelehealthAudit telehealthAudit(JdbcClient jdbc, Clock clock) {
    return new TelehealthAudit(jdbc, clock);
  }

  @Bean
  TelehealthRoles telehealthRoles(
      TransactionTemplate tx, PracticeStore practices, TelehealthAudit audit) {
    return new TelehealthRoles(tx, practices, audit);
  }

  @Bean
  CompliancePolicies compliancePolicies(
      TransactionTemplate tx,
      PracticeStore practices,
      TelehealthRoles roles,
      TelehealthAudit audit) {
    return new CompliancePolicies(tx, practices, roles, audit);
  }

  @Bean
  VideoServices videoServices(
      JdbcClient jdbc, TransactionTemplate tx, PracticeStore practices, Clock clock) {
    return new VideoServices(jdbc, tx, practices, clock);
  }

  @Bean
  OutboxStore outboxStore(JdbcClient jdbc, TransactionTemplate tx, Clock clock) {
    return new OutboxStore(jdbc, tx, clock);
  }

  @Bean
  WorkingHoursStore workingHoursStore(JdbcClient jdbc, TransactionTemplate tx, Clock clock) {
    return new WorkingHoursStore(jdbc, tx, clock);
  }

  @Bean
  Availability availability(
      JdbcClient jdbc,
      TransactionTemplate tx,
      WorkingHoursStore hours,
      PracticeStore practices,
      CalendarStore calendars) {
    return new Availability(jdbc, tx, hours, practices, calendars);
  }

  @Bean
  AppointmentBook appointmentBook(
      JdbcClient jdbc,
      TransactionTemplate tx,
      PracticeStore practices,
      OutboxStore outbox,
      Availability availability,
      Clock clock) {
    return new AppointmentBook(jdbc, tx, practices, outbox, availability, clock);
  }
}
