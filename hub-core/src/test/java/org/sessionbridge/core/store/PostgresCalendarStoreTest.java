package org.sessionbridge.core.store;

import java.io.IOException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The calendar store contract on a real PostgreSQL server, started once for the class; each test
 * gets its own database in it.
 */
class PostgresCalendarStoreTest extends CalendarStoreContract {

  private static ThrowawayPostgres postgres;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres = ThrowawayPostgres.start("calendars");
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
}
