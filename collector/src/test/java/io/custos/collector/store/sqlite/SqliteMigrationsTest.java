package io.custos.collector.store.sqlite;

import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Store;
import io.custos.collector.store.jdbc.JdbcMigrationsContractTest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/** {@link JdbcMigrationsContractTest} on a real SQLite file. */
class SqliteMigrationsTest extends JdbcMigrationsContractTest {
  @TempDir Path dir;

  @Override
  protected String dialect() {
    return "sqlite";
  }

  @Override
  protected Connection connect() throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("collector.db"));
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout=10000");
    }
    return c;
  }

  @Override
  protected Store open() {
    return SqliteStore.open(dir.resolve("collector.db"), Clock.systemUTC(), new StatePolicy(3, 3));
  }
}
