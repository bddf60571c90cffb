package org.sessionbridge.core.store;

import static org.assertj.core.api.Assertions.assertThat;
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

/** The store contract on in-memory H2, the embedded default engine. */
class H2PracticeStoreTest extends PracticeStoreContract {

  private JdbcDataSource h2;

  @Override
  protected DataSource newDatabase() {
    h2 = h2Database();
    return h2;
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
  void dropTheDatabase() {
    JdbcClient.create(h2).sql("shutdown").update();
  }

  /**
   * H2 2.4.240 (Spring Boot 4.1's managed version) bound an {@code IN (...)} check constraint to
   * the session that created it: once Flyway's connection was retired by the pool, every insert
   * into staff, appointment and outbox_event failed with "Check constraint invalid"
   * (h2database#4302, #4308). The root pom pins H2 2.3.232, which does not have the bug; this keeps
   * it out.
   */
  @Test
  void checkConstraintsOutliveTheSessionThatCreatedThem() throws SQLException {
    JdbcDataSource fresh = h2Database();
    try (Connection keepsTheDatabaseOpen = fresh.getConnection()) {
      try (Connection flyway = fresh.getConnection();
          Statement ddl = flyway.createStatement()) {
        ddl.execute(
            "create table known_roles (role varchar(16) not null,"
                + " constraint role_known check (role in ('OWNER', 'MANAGER', 'PROVIDER')))");
      }
      JdbcClient db = JdbcClient.create(fresh);
      assertThat(db.sql("insert into known_roles (role) values ('OWNER')").update()).isEqualTo(1);
      assertThatThrownBy(() -> db.sql("insert into known_roles (role) values ('ADMIN')").update())
          .hasMessageContaining("ROLE_KNOWN");
      db.sql("shutdown").update();
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
