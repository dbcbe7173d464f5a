package io.custos.collector.store.postgres;

import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Store;
import io.custos.collector.store.history.HistoryRetention;
import io.custos.collector.store.jdbc.JdbcMigrationsContractTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;

/** {@link JdbcMigrationsContractTest} on a real PostgreSQL server, a fresh database per test. */
class PostgresMigrationsTest extends JdbcMigrationsContractTest {
  private String url;

  @BeforeEach
  void newDatabase() throws Exception {
    url = EmbeddedPostgresServer.newDatabase();
  }

  @Override
  protected String dialect() {
    return "postgresql";
  }

  @Override
  protected Connection connect() throws SQLException {
    return DriverManager.getConnection(url);
  }

  @Override
  protected Store open() {
    return PostgresStore.open(
        url, null, null, 2, Clock.systemUTC(), new StatePolicy(3, 3), HistoryRetention.DEFAULT);
  }
}
