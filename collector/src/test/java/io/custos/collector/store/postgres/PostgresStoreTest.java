package io.custos.collector.store.postgres;

import static io.custos.collector.TestReports.report;
import static io.custos.collector.TestReports.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.custos.collector.TestClock;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Store;
import io.custos.collector.store.StoreContractTest;
import io.custos.collector.store.StoreException;
import io.custos.collector.store.history.HistoryRetention;
import io.custos.common.wire.Status;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The contract against a real PostgreSQL server (one per test JVM, a fresh database per test), plus
 * what only a shared database can show: several collectors on one PostgreSQL.
 */
class PostgresStoreTest extends StoreContractTest {
  private final Map<Path, String> urls = new HashMap<>();

  @Override
  protected Store open(Path dir, TestClock clock, StatePolicy policy) {
    String url =
        urls.computeIfAbsent(
            dir,
            d -> {
              try {
                return EmbeddedPostgresServer.newDatabase();
              } catch (Exception e) {
                throw new IllegalStateException("cannot start embedded PostgreSQL: " + e, e);
              }
            });
    return PostgresStore.open(url, null, null, clock, policy, HistoryRetention.DEFAULT);
  }

  @Test
  void withTheDatabaseRefusingConnectionsAWriteFailsBeforeTheAgentsFifteenSeconds()
      throws Exception {
    // Issue 21: with PostgreSQL down, requests waited out HikariCP's default 30 s, longer than the
    // agent's 15 s timeout. The database refusing connections stands for the server being down.
    String url = urls.get(dir);
    String name = url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
    try (Connection c = EmbeddedPostgresServer.get().getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
      st.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
    }

    // The first writes may each take a pooled connection that was just terminated, and fail at
    // once; once the pool is empty a write waits for a new connection, which never comes.
    Throwable thrown = null;
    for (int seq = 1; seq <= 10; seq++) {
      long n = seq;
      thrown =
          catchThrowable(
              () -> store.ingest(report("web01", n, T0, result("Load", Status.OK, "OK", T0))));
      if (thrown == null || Throwables.chain(thrown).contains("request timed out")) {
        break;
      }
    }

    assertThat(thrown).isInstanceOf(StoreException.class);
    Matcher waited =
        Pattern.compile("request timed out after (\\d+)ms").matcher(Throwables.chain(thrown));
    assertThat(waited.find()).as("HikariCP's timeout in %s", Throwables.chain(thrown)).isTrue();
    assertThat(Long.parseLong(waited.group(1)))
        .isGreaterThanOrEqualTo(PostgresStore.CONNECTION_TIMEOUT_MS)
        .isLessThan(15_000);
  }

  /** Every message of a cause chain, for matching. */
  private static final class Throwables {
    static String chain(Throwable t) {
      StringBuilder sb = new StringBuilder();
      for (Throwable c = t; c != null; c = c.getCause()) {
        sb.append(c).append('\n');
      }
      return sb.toString();
    }
  }

  @Test
  void twoCollectorsStoreAReplayedReportOnce() {
    try (Store other = open(dir, clock, POLICY)) {
      assertThat(store.ingest(report("web01", 1, T0, result("Load", Status.OK, "OK", T0))).stored())
          .isTrue();
      assertThat(other.ingest(report("web01", 1, T0, result("Load", Status.OK, "OK", T0))).stored())
          .isFalse();
      assertThat(other.hosts()).extracting("name").containsExactly("web01");
    }
  }

  @Test
  void collectorsIngestingConcurrentlyAgreeOnOneState() throws Exception {
    List<Store> collectors = List.of(store, open(dir, clock, POLICY), open(dir, clock, POLICY));
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int seq = 0; seq < 60; seq++) {
        for (Store s : collectors) {
          // Every collector gets every report, as after an agent's failover and replay.
          long n = seq;
          Status st = seq % 2 == 0 ? Status.OK : Status.CRITICAL;
          results.add(
              pool.submit(
                  () ->
                      s.ingest(report("web01", n, T0, result("Load", st, "x" + n, T0 + n)))
                          .stored()));
        }
      }
      long stored = 0;
      for (Future<Boolean> f : results) {
        stored += f.get() ? 1 : 0;
      }
      assertThat(stored).isEqualTo(60);
      assertThat(store.hosts().get(0).lastSeq()).isEqualTo(59);
      assertThat(collectors.get(1).services(null))
          .singleElement()
          .extracting("output")
          .isEqualTo("x59");
      assertThat(store.history().series("web01")).hasSize(1);
    } finally {
      pool.shutdown();
      collectors.get(1).close();
      collectors.get(2).close();
    }
  }

  @Test
  void anUnreachableServerIsNamed() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                PostgresStore.open(
                    "jdbc:postgresql://127.0.0.1:1/nothing?connectTimeout=2",
                    null,
                    null,
                    clock,
                    POLICY,
                    HistoryRetention.DEFAULT))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot open store jdbc:postgresql://127.0.0.1:1/nothing");
  }

  @Test
  void anUnreachableServerIsNamedWithoutItsPassword() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                PostgresStore.open(
                    "jdbc:postgresql://127.0.0.1:1/nothing?password=hunter2&connectTimeout=2",
                    "custos",
                    "s3cret",
                    clock,
                    POLICY,
                    HistoryRetention.DEFAULT))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(
            "cannot open store jdbc:postgresql://127.0.0.1:1/nothing?password=***&connectTimeout=2")
        .hasMessageNotContaining("hunter2")
        .hasMessageNotContaining("s3cret");
  }
}
