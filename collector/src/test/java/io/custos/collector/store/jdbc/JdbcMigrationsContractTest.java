package io.custos.collector.store.jdbc;

import static io.custos.collector.TestReports.report;
import static io.custos.collector.TestReports.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.custos.collector.store.Role;
import io.custos.collector.store.Store;
import io.custos.collector.store.StoreException;
import io.custos.collector.store.TokenOwner;
import io.custos.common.wire.Status;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How each {@link JdbcStore} takes its schema to the latest version: a fresh database gets every
 * migration, a database written by the pre-Flyway runner ({@link LegacySchema}) is baselined at its
 * recorded version without running a migration twice, and a database newer than the code is
 * refused. Each store extends this once, on a real database.
 */
public abstract class JdbcMigrationsContractTest {
  private static final long T0 = 1_800_000_000_000L;
  private static final String HASH = "ab".repeat(32);

  /** {@code sqlite} or {@code postgresql}. */
  protected abstract String dialect();

  /** An auto-commit connection to this test's database, empty until a test fills it. */
  protected abstract Connection connect() throws SQLException;

  /** Opens the store on this test's database. */
  protected abstract Store open();

  /** The newest migration in {@code db/migration/<dialect>}. */
  private int latest() {
    return LegacySchema.scripts(dialect()).size();
  }

  /** {@code "SQL <n>"} for each version from {@code from} to the latest. */
  private List<String> sqlRows(int from) {
    List<String> out = new ArrayList<>();
    for (int v = from; v <= latest(); v++) {
      out.add("SQL " + v);
    }
    return out;
  }

  @Test
  void aFreshDatabaseMigratesToTheLatestVersion() throws SQLException {
    try (Store store = open()) {
      store.ping();
    }
    assertThat(query("SELECT type, version FROM flyway_schema_history ORDER BY installed_rank"))
        .isEqualTo(sqlRows(1));
    assertThat(query("SELECT COUNT(*) FROM flyway_schema_history WHERE NOT success"))
        .containsExactly("0");
  }

  @Test
  void openingAgainRunsNoMigration() throws SQLException {
    open().close();
    open().close();

    assertThat(query("SELECT COUNT(*) FROM flyway_schema_history"))
        .containsExactly(Integer.toString(latest()));
  }

  @Test
  void aDatabaseOfTheCurrentRunnerIsTakenOverWithoutRerunningAMigration() throws SQLException {
    try (Connection c = connect()) {
      LegacySchema.create(c, dialect(), latest(), 0, T0);
    }
    execute(
        "INSERT INTO hosts (name, agent, tags, interval_s, first_seen, last_report, up_since,"
            + " last_seq) VALUES ('web01', 'custos-agent/0.1.0', '[\"web\"]', 30, "
            + T0
            + ", "
            + T0
            + ", "
            + T0
            + ", 7)");
    execute(
        "INSERT INTO tokens (hash, node, role, created, last_used) VALUES ('"
            + HASH
            + "', NULL, 'admin', "
            + T0
            + ", "
            + T0
            + ")");

    try (Store store = open()) {
      assertThat(store.hosts())
          .singleElement()
          .satisfies(h -> assertThat(h.lastSeq()).isEqualTo(7));
      assertThat(store.findToken(HASH)).contains(new TokenOwner(Role.ADMIN, null));
      assertThat(store.ingest(report("web01", 8, T0, result("Load", Status.OK, "OK", T0))).stored())
          .isTrue();
    }
    assertThat(query("SELECT type, version FROM flyway_schema_history ORDER BY installed_rank"))
        .containsExactly("BASELINE " + latest());
    assertThat(query("SELECT COUNT(*) FROM schema_version"))
        .containsExactly(Integer.toString(latest()));

    open().close();
    assertThat(query("SELECT COUNT(*) FROM flyway_schema_history")).containsExactly("1");
  }

  @Test
  void anOlderDatabaseIsBaselinedAtItsVersionAndGetsTheRest() throws SQLException {
    try (Connection c = connect()) {
      LegacySchema.create(c, dialect(), 3, 0, T0);
    }

    try (Store store = open()) {
      assertThat(store.backups(null, null, null, 10, 0).total()).isZero();
      assertThat(store.tokens()).isEmpty();
    }
    assertThat(query("SELECT type, version FROM flyway_schema_history ORDER BY installed_rank"))
        .startsWith("BASELINE 3")
        .endsWith(sqlRows(4).toArray(String[]::new))
        .hasSize(latest() - 2);
  }

  @Test
  void aFirstStartOfTheOldRunnerThatStoppedBeforeItsFirstMigrationGetsEveryMigration()
      throws SQLException {
    try (Connection c = connect()) {
      LegacySchema.create(c, dialect(), 0, 0, T0);
    }

    open().close();

    List<String> expected = new ArrayList<>(List.of("BASELINE 0"));
    expected.addAll(sqlRows(1));
    assertThat(query("SELECT type, version FROM flyway_schema_history ORDER BY installed_rank"))
        .isEqualTo(expected);
  }

  @Test
  void aDatabaseOfTheCurrentRunnerNewerThanTheCodeIsRefused() throws SQLException {
    try (Connection c = connect()) {
      LegacySchema.create(c, dialect(), latest(), 99, T0);
    }

    assertThatThrownBy(this::open)
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("has schema version 99, newer than version " + latest())
        .hasMessageContaining("run a newer custos-collector");
    assertThat(query("SELECT COUNT(*) FROM schema_version"))
        .containsExactly(Integer.toString(latest() + 1));
  }

  @Test
  void aDatabaseMigratedByANewerCollectorIsRefused() throws SQLException {
    open().close();
    execute(
        "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
            + " checksum, installed_by, execution_time, success) VALUES (99, '99', 'from the"
            + " future', 'SQL', 'V99__future.sql', 0, 'custos', 0, "
            + (dialect().equals("sqlite") ? "1" : "TRUE")
            + ")");

    assertThatThrownBy(this::open)
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("has schema version 99, newer than version " + latest())
        .hasMessageContaining("run a newer custos-collector");
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      st.executeUpdate(sql);
    }
  }

  /** Each row's columns joined by a space. */
  protected List<String> query(String sql) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          row.append(i > 1 ? " " : "").append(rs.getString(i));
        }
        out.add(row.toString());
      }
      return out;
    }
  }
}
