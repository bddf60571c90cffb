package org.sessionbridge.core.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** The store contract on in-memory H2, the embedded default engine. */
class H2PracticeStoreTest extends PracticeStoreContract {

  private JdbcDataSource h2;
  private Connection migratingSession;

  @Override
  protected DataSource newDatabase() {
    h2 = h2Database();
    return h2;
  }

  /**
   * H2 2.4.240 binds an {@code IN (...)} check constraint (our role, modality, status and delivery
   * state checks) to the session that created it; once that session closes, every insert into the
   * table fails with "Check constraint invalid" until the database is reopened (h2database#4302,
   * #4308; fixed by h2database#4310 after 2.4.240). Migrating over a connection that lives as long
   * as the database keeps the contract about our code, not about that engine bug, which {@link
   * #checkConstraintsDieWithTheMigratingSessionOnThisH2Version} pins down.
   */
  @Override
  protected void migrate(DataSource database) {
    try {
      migratingSession = database.getConnection();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open the migrating H2 session", e);
    }
    super.migrate(new SingleConnectionDataSource(migratingSession, true));
  }

  @Override
  protected String countSessionsWaitingForALock() {
    // H2 marks a session BLOCKED on a row lock, but one whose unique-key insert waits for another
    // transaction stays RUNNING. The other side of every race in the contract is parked in Java
    // code between statements, so a session still in such a statement is the one waiting.
    return "select count(*) from information_schema.sessions where session_id <> session_id()"
        + " and session_state in ('BLOCKED', 'RUNNING') and executing_statement like :statement";
  }

  @AfterEach
  void dropTheDatabase() throws SQLException {
    JdbcClient.create(h2).sql("shutdown").update();
    migratingSession.close();
  }

  /**
   * Fails once H2 is upgraded past the bug: then the pinned migrating session above can go, and so
   * can the caveat that an H2 hub must not retire the connection that ran Flyway.
   */
  @Test
  void checkConstraintsDieWithTheMigratingSessionOnThisH2Version() throws SQLException {
    JdbcDataSource fresh = h2Database();
    try (Connection keepsTheDatabaseOpen = fresh.getConnection()) {
      try (Connection flyway = fresh.getConnection();
          Statement ddl = flyway.createStatement()) {
        ddl.execute(
            "create table known_roles (role varchar(16) not null,"
                + " constraint role_known check (role in ('OWNER', 'MANAGER', 'PROVIDER')))");
      }

      assertThatThrownBy(
              () ->
                  JdbcClient.create(fresh)
                      .sql("insert into known_roles (role) values ('OWNER')")
                      .update())
          .hasMessageContaining("Check constraint invalid");
      JdbcClient.create(fresh).sql("shutdown").update();
    }
  }

  private static JdbcDataSource h2Database() {
    JdbcDataSource ds = new JdbcDataSource();
    // LOCK_TIMEOUT as in application.yml: H2's default of one second is shorter than a handler.
    ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
    ds.setUser("sa");
    return ds;
  }
}
