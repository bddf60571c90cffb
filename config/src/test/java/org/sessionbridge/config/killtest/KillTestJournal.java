package org.sessionbridge.config.killtest;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.sessionbridge.core.appointment.AppointmentChange;
import org.sessionbridge.core.port.AppointmentChangeHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two handlers for {@link KillNineIT}'s child hub: each appends (handler, appointment, version) to
 * a journal table through the hub's own data source, i.e. inside the outbox delivery transaction. A
 * short random pause widens the window in which a SIGKILL lands mid-delivery.
 */
@Configuration(proxyBeanMethods = false)
@Profile("killtest")
class KillTestJournal {

  @Bean
  AppointmentChangeHandler journalA(JdbcClient jdbc) {
    return new Journal("journal-a", jdbc);
  }

  @Bean
  AppointmentChangeHandler journalB(JdbcClient jdbc) {
    return new Journal("journal-b", jdbc);
  }

  static final class Journal implements AppointmentChangeHandler {
    private final String name;
    private final JdbcClient jdbc;

    Journal(String name, JdbcClient jdbc) {
      this.name = name;
      this.jdbc = jdbc;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void onChange(AppointmentChange change) {
      jdbc.sql(
              "insert into killtest_delivery (handler, appointment_id, version, event_id)"
                  + " values (:h, :a, :v, :e)")
          .param("h", name)
          .param("a", change.appointmentId())
          .param("v", change.version())
          .param("e", change.eventId())
          .update();
      LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(200_000, 2_000_000));
    }
  }
}
