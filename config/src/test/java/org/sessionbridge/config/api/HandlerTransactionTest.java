package org.sessionbridge.config.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.sessionbridge.core.appointment.AppointmentChange;
import org.sessionbridge.core.port.AppointmentChangeHandler;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * In the running application, a handler's writes through the hub's JdbcClient join the delivery
 * transaction: when the handler fails after writing, its row is rolled back with the attempt, so
 * the successful retry leaves exactly one row. (This is what makes DB-writing handlers
 * exactly-once; KillNineIT relies on it.)
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "sessionbridge.security.operator-key=" + HandlerTransactionTest.OPERATOR,
      "spring.datasource.url=jdbc:h2:mem:handler-tx;DB_CLOSE_DELAY=-1",
      "spring.flyway.locations=classpath:db/migration,classpath:db/killtest",
      "sessionbridge.outbox.poll-interval=20ms",
      "sessionbridge.outbox.initial-backoff=50ms",
      "sessionbridge.outbox.max-backoff=100ms"
    })
class HandlerTransactionTest {

  static final String OPERATOR = "handler-tx-operator-key-0123456789";
  static final AtomicInteger calls = new AtomicInteger();

  @LocalServerPort int port;
  @Autowired JdbcClient db;

  @TestConfiguration
  static class Probe {
    @Bean
    AppointmentChangeHandler writesThenFailsOnce(JdbcClient jdbc) {
      return new AppointmentChangeHandler() {
        @Override
        public String name() {
          return "tx-probe";
        }

        @Override
        public void onChange(AppointmentChange change) {
          jdbc.sql(
                  "insert into killtest_delivery (handler, appointment_id, version, event_id)"
                      + " values ('tx-probe', :a, :v, :e)")
              .param("a", change.appointmentId())
              .param("v", change.version())
              .param("e", change.eventId())
              .update();
          if (calls.incrementAndGet() == 1) {
            throw new IllegalStateException("fails after writing, the first time");
          }
        }
      };
    }
  }

  @Test
  void aFailedAttemptLeavesNoRowBehind() {
    HubClient hub = new HubClient(port);
    hub.bookOneSession(OPERATOR, "Tx");

    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                db.sql("select count(*) from outbox_event where delivery_state = 'DELIVERED'")
                        .query(Long.class)
                        .single()
                    == 1);
    assertThat(calls.get()).isEqualTo(2);
    assertThat(
            db.sql("select count(*) from killtest_delivery where handler = 'tx-probe'")
                .query(Long.class)
                .single())
        .isEqualTo(1);
  }
}
