package org.sessionbridge.routes.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.sessionbridge.core.appointment.AppointmentBook;
import org.sessionbridge.core.appointment.AppointmentChange;
import org.sessionbridge.core.appointment.BookingRequest;
import org.sessionbridge.core.appointment.Modality;
import org.sessionbridge.core.outbox.OutboxStore;
import org.sessionbridge.core.port.AppointmentChangeHandler;
import org.sessionbridge.core.practice.PracticeStore;
import org.sessionbridge.core.practice.StaffRole;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * When the database refuses even to record a failed attempt, the drain rests instead of offering
 * the still-due event again at once, over and over (which hammered a sick database and the vendor).
 */
class OutboxDispatcherPauseTest {

  @Test
  void pausesTheDrainWhenTheStoreCannotRecordAFailure() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
    h2.setUser("sa");
    Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
    Clock clock = Clock.systemUTC();

    JdbcClient plain = JdbcClient.create(h2);
    TransactionTemplate plainTx = new TransactionTemplate(new DataSourceTransactionManager(h2));
    PracticeStore practices = new PracticeStore(plain, plainTx, clock);
    UUID practice = practices.createPractice("P", ZoneId.of("UTC")).practice().id();
    UUID provider =
        practices
            .createStaff(practice, "Dr", "dr@x.example", ZoneId.of("UTC"), StaffRole.PROVIDER, true)
            .id();
    UUID client = practices.createClient(practice, "C", "c@x.example", null).id();
    Instant start = Instant.parse("2030-01-01T10:00:00Z");
    new AppointmentBook(plain, plainTx, practices, new OutboxStore(plain, plainTx, clock), clock)
        .book(
            practice,
            new BookingRequest(
                provider,
                List.of(client),
                start,
                start.plusSeconds(3000),
                ZoneId.of("UTC"),
                Modality.IN_PERSON,
                null,
                null),
            null);

    AtomicBoolean refuse = new AtomicBoolean(true);
    DataSource sick = refusing(h2, "update outbox_event set attempts", refuse);
    OutboxStore store =
        new OutboxStore(
            JdbcClient.create(sick),
            new TransactionTemplate(new DataSourceTransactionManager(sick)),
            clock);
    AtomicInteger calls = new AtomicInteger();
    AppointmentChangeHandler vendor =
        new AppointmentChangeHandler() {
          @Override
          public String name() {
            return "vendor";
          }

          @Override
          public void onChange(AppointmentChange change) {
            calls.incrementAndGet();
            throw new IllegalStateException("vendor answered 503");
          }
        };
    OutboxDispatcher dispatcher =
        new OutboxDispatcher(
            store,
            List.of(vendor),
            new RetryPolicy(3, Duration.ofMillis(50), Duration.ofMillis(100)),
            10);

    List<AppointmentChange> batch = dispatcher.nextBatch();
    assertThat(batch).hasSize(1);
    dispatcher.dispatch(batch.get(0)); // the handler fails, and recording that fails too

    assertThat(calls).hasValue(1);
    assertThat(dispatcher.nextBatch()).as("paused, although the event is still due").isEmpty();
    assertThat(store.attempts(batch.get(0).eventId())).as("nothing was recorded").isZero();
  }

  /** A data source whose statements matching {@code sqlPrefix} fail while {@code refuse} holds. */
  static DataSource refusing(DataSource target, String sqlPrefix, AtomicBoolean refuse) {
    return (DataSource)
        Proxy.newProxyInstance(
            DataSource.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
              Object result = invoke(method, target, args);
              if (result instanceof Connection connection) {
                return Proxy.newProxyInstance(
                    Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class},
                    (p, m, a) -> {
                      if (m.getName().equals("prepareStatement")
                          && refuse.get()
                          && ((String) a[0]).startsWith(sqlPrefix)) {
                        throw new SQLException("refused for the test: " + sqlPrefix);
                      }
                      return invoke(m, connection, a);
                    });
              }
              return result;
            });
  }

  private static Object invoke(java.lang.reflect.Method m, Object target, Object[] args)
      throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
