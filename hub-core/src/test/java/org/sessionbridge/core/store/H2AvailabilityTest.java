package org.sessionbridge.core.store;

import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The availability contract on in-memory H2, the embedded default engine. */
class H2AvailabilityTest extends AvailabilityContract {

  private JdbcDataSource h2;

  @Override
  protected DataSource newDatabase() {
    h2 = new JdbcDataSource();
    // LOCK_TIMEOUT as in application.yml: H2's default of one second is shorter than a handler.
    h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
    h2.setUser("sa");
    return h2;
  }

  @Override
  protected String countSessionsWaitingForALock() {
    return "select count(*) from information_schema.sessions where session_id <> session_id()"
        + " and session_state in ('BLOCKED', 'RUNNING') and executing_statement like :statement";
  }

  @AfterEach
  void dropTheDatabase() {
    JdbcClient.create(h2).sql("shutdown").update();
  }
}
