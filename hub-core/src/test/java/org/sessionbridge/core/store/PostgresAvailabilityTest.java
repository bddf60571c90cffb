package org.sessionbridge.core.store;

import java.io.IOException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The availability contract on a real PostgreSQL server; each test gets its own database. */
class PostgresAvailabilityTest extends AvailabilityContract {

  private static ThrowawayPostgres postgres;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = ThrowawayPostgres.start("availability");
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Override
  protected DataSource newDatabase() {
    return postgres.newDatabase();
  }

  @Override
  protected String countSessionsWaitingForALock() {
    return "select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
        + " and datname = current_database() and query like :statement";
  }
}
