package org.sessionbridge.core.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A real PostgreSQL server for a store contract test, started once per test class; each test gets a
 * database of its own in it. Durability is off (a throwaway server), which makes the per-test
 * {@code CREATE DATABASE} cheap.
 */
final class ThrowawayPostgres implements AutoCloseable {

  private final EmbeddedPostgres postgres;
  private final String prefix;
  private final AtomicInteger databases = new AtomicInteger();

  private ThrowawayPostgres(EmbeddedPostgres postgres, String prefix) {
    this.postgres = postgres;
    this.prefix = prefix;
  }

  static ThrowawayPostgres start(String prefix) throws IOException {
    return new ThrowawayPostgres(
        EmbeddedPostgres.builder()
            .setServerConfig("fsync", "off")
            .setServerConfig("full_page_writes", "off")
            .start(),
        prefix);
  }

  /** A new, empty database on the server. */
  DataSource newDatabase() {
    String name = prefix + "_" + databases.incrementAndGet();
    JdbcClient.create(postgres.getPostgresDatabase()).sql("create database " + name).update();
    return postgres.getDatabase("postgres", name);
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
