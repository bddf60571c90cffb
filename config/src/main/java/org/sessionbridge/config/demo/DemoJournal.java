package org.sessionbridge.config.demo;

import org.sessionbridge.core.appointment.AppointmentChange;
import org.sessionbridge.core.port.AppointmentChangeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Demo only: shows each change leaving the outbox, so a new user sees the flow from API call to
 * handlers. Ids and versions only, as everywhere in the logs.
 */
@Component
@Profile("demo")
@Order(1000)
final class DemoJournal implements AppointmentChangeHandler {

  private static final Logger log = LoggerFactory.getLogger("sessionbridge.demo");

  @Override
  public String name() {
    return "demo-journal";
  }

  @Override
  public void onChange(AppointmentChange change) {
    log.info(
        "outbox -> handlers: appointment {} v{} {} ({}, {})",
        change.appointmentId(),
        change.version(),
        change.type(),
        change.modality(),
        change.status());
  }
}
