package io.custos.collector.store.sqlite;

import static io.custos.collector.TestReports.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.custos.collector.TestClock;
import io.custos.collector.store.IngestHook;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Store;
import io.custos.collector.store.StoreContractTest;
import io.custos.collector.store.StoreException;
import io.custos.collector.store.history.Bucket;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Report;
import io.custos.common.wire.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqliteStoreTest extends StoreContractTest {

  @Override
  protected Store open(Path dir, TestClock clock, StatePolicy policy) {
    return SqliteStore.open(dir.resolve("collector.db"), clock, policy);
  }

  @Test
  void aSeriesStoredBeforeSeriesHadAServiceGoesOnUnderTheFirstServiceReportingIt()
      throws SQLException {
    reportValue(1, 10);
    // As an older collector stored it: labels without the service.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("collector.db"));
        Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout=10000");
      st.executeUpdate(
          "UPDATE series SET labels = replace(labels, ',@service=\"Root Partition\"', '')");
    }
    assertThat(query("SELECT labels FROM series ORDER BY labels"))
        .containsExactly("mount=\"/\"", "mount=\"/var\"");

    clock.advance(Duration.ofSeconds(30));
    reportValue(2, 20);

    assertThat(query("SELECT COUNT(*) FROM series")).containsExactly("2");
    assertThat(store.history().series("web01"))
        .extracting(s -> s.key().service())
        .containsOnly("Root Partition");
    assertThat(store.history().query("web01", ROOT, T0, clock.millis(), 0).points()).hasSize(2);
  }

  /** A report of {@code host} at the clock's time with fs_used_percent of / = {@code value}. */
  private Report fsReport(String host, long seq, double value) {
    long t = clock.millis();
    return report(
        host,
        seq,
        t,
        new CheckResult(
            "Root Partition",
            "filesystem",
            Status.OK,
            "DISK OK",
            t,
            List.of(Metric.of("fs_used_percent", Map.of("mount", "/"), value, "%"))));
  }

  private List<Double> rootValues(String host) {
    return store.history().query(host, ROOT, 0, clock.millis() + 1, 0).points().stream()
        .map(Bucket::max)
        .toList();
  }

  @Test
  void aHostRemovedByAnotherProcessGetsNewSeriesWhenItReportsAgain() {
    store.ingest(fsReport("web01", 1, 10));
    store.ingest(fsReport("db01", 1, 1)); // takes the next series id
    // The `host remove --history` command: another connection to the same file.
    try (SqliteStore other =
        SqliteStore.open(dir.resolve("collector.db"), clock, new StatePolicy(3, 3))) {
      assertThat(other.removeHost("web01", true)).isPresent();
    }
    clock.advance(Duration.ofSeconds(30));

    store.ingest(fsReport("web01", 2, 20));

    assertThat(rootValues("web01")).containsExactly(20.0);
    assertThat(rootValues("db01")).containsExactly(1.0);
  }

  @Test
  void aHostRemovedHereGetsNewSeriesWhenItReportsAgain() {
    store.ingest(fsReport("web01", 1, 10));
    store.ingest(fsReport("db01", 1, 1));
    assertThat(store.removeHost("web01", true)).isPresent();
    clock.advance(Duration.ofSeconds(30));

    store.ingest(fsReport("web01", 2, 20));

    assertThat(rootValues("web01")).containsExactly(20.0);
  }

  @Test
  void seriesCreatedByAReportRolledBackAreCreatedAgainByTheNext() {
    IngestHook failing =
        (report, applied, tx) -> {
          throw new IllegalStateException("hook failed");
        };
    assertThatThrownBy(() -> store.ingest(fsReport("web01", 1, 10), failing))
        .hasMessageContaining("hook failed");
    store.ingest(fsReport("db01", 1, 1)); // reuses the rolled back series id
    clock.advance(Duration.ofSeconds(30));

    store.ingest(fsReport("web01", 2, 20));

    assertThat(rootValues("web01")).containsExactly(20.0);
    assertThat(rootValues("db01")).containsExactly(1.0);
  }

  private List<String> query(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("collector.db"));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }

  @Test
  void migrationsCreateTheSchemaInWalMode() throws SQLException {
    assertThat(query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
        .contains("events", "hosts", "reports", "flyway_schema_history", "service_state", "tokens")
        .contains("series", "metric_head", "chunks")
        .contains("alert_state", "outbox", "acks", "downtimes")
        .contains("backups");
    assertThat(query("PRAGMA journal_mode")).containsExactly("wal");
  }

  @Test
  void missingParentDirectoriesAreCreated() {
    Path deep = dir.resolve("a/b/c.db");
    try (SqliteStore s = SqliteStore.open(deep, clock, POLICY)) {
      s.ping();
    }
    assertThat(deep).exists();
  }

  @Test
  void anUncreatableDirectoryIsNamed() throws Exception {
    Path file = Files.writeString(dir.resolve("plain-file"), "x");

    assertThatThrownBy(() -> SqliteStore.open(file.resolve("sub/c.db"), clock, POLICY))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot create directory " + file.resolve("sub"));
  }

  @Test
  void aFileThatIsNotADatabaseIsNamed() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.db"), "this is not sqlite ".repeat(100));

    assertThatThrownBy(() -> SqliteStore.open(junk, clock, POLICY))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(junk.toString());
  }

  @Test
  void rawSamplesOnDiskAreBoundedByRetention() throws SQLException {
    long seq = 0;
    for (int day = 0; day < 6; day++) {
      for (long t = 0; t < DAY; t += 10 * MIN) {
        reportValue(seq++, seq % 7);
        clock.advance(java.time.Duration.ofMinutes(10));
      }
      store.history().maintain();
    }
    // Two series, 48h at one sample per 10 minutes: 288 each, plus at most one aged chunk each.
    long raw = Long.parseLong(query("SELECT SUM(count) FROM chunks WHERE res = 0").get(0));
    assertThat(raw).isBetween(576L, 576L + 26);
    assertThat(query("SELECT COUNT(*) FROM metric_head")).containsExactly("0");
    assertThat(query("SELECT COUNT(*) FROM chunks WHERE res = 1")).isNotEqualTo(List.of("0"));
  }
}
