package org.sessionbridge.core.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The store contract on a real PostgreSQL server, started once for the class; each test gets its
 * own database in it.
 */
class PostgresPracticeStoreTest extends PracticeStoreContract {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws IOException {
    long started = System.nanoTime();
    // A throwaway server: skipping fsync makes the per-test CREATE DATABASE (a checkpoint on
    // PostgreSQL 14) cheap, and changes nothing about locking or transactions.
    postgres =
        EmbeddedPostgres.builder()
            .setServerConfig("fsync", "off")
            .setServerConfig("full_page_writes", "off")
            .start();
    System.out.println(
        "embedded PostgreSQL started in "
            + Duration.ofNanos(System.nanoTime() - started).toMillis()
            + " ms");
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Override
  protected DataSource newDatabase() {
    String name = "store_" + DATABASES.incrementAndGet();
    JdbcClient.create(postgres.getPostgresDatabase()).sql("create database " + name).update();
    return postgres.getDatabase("postgres", name);
  }

  @Override
  protected String countSessionsWaitingForALock() {
    return "select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
        + " and datname = current_database() and query like :statement";
  }
}
