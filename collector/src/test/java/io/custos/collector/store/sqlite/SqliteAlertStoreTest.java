package io.custos.collector.store.sqlite;

import static io.custos.collector.TestReports.report;
import static io.custos.collector.TestReports.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.custos.collector.TestClock;
import io.custos.collector.store.AlertStateRecord;
import io.custos.collector.store.AlertStoreContractTest;
import io.custos.collector.store.AlertTx;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Store;
import io.custos.common.wire.Status;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class SqliteAlertStoreTest extends AlertStoreContractTest {
  @Override
  protected Store open(Path dir, TestClock clock, StatePolicy policy) {
    return SqliteStore.open(dir.resolve("collector.db"), clock, policy);
  }

  /**
   * Concurrent reports share one group commit, each under its own savepoint: a hook that throws
   * rolls back its own report (and what its hook wrote) and fails only its own caller.
   */
  @Test
  void aFailingHookInAGroupCommitRollsBackOnlyItsReport() throws Exception {
    int threads = 8;
    int reports = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<Integer>> failures = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        String host = "host" + t;
        failures.add(
            pool.submit(
                () -> {
                  int failed = 0;
                  for (int seq = 1; seq <= reports; seq++) {
                    int n = seq;
                    try {
                      store.ingest(
                          report(host, n, T0 + n, result("Load", Status.OK, "ok", T0 + n)),
                          (r, applied, tx) -> {
                            tx.saveAlertState(host, "s" + n, "{}");
                            if (n % 5 == 0) {
                              throw new IllegalStateException("engine bug at " + n);
                            }
                          });
                    } catch (IllegalStateException e) {
                      assertThat(e).hasMessage("engine bug at " + n);
                      failed++;
                    }
                  }
                  return failed;
                }));
      }
      for (Future<Integer> f : failures) {
        assertThat(f.get()).isEqualTo(reports / 5);
      }
    } finally {
      pool.shutdownNow();
    }
    List<AlertStateRecord> states = store.alerts(AlertTx::alertStates);
    assertThat(states).hasSize(threads * (reports - reports / 5));
    assertThat(states).noneMatch(s -> Integer.parseInt(s.service().substring(1)) % 5 == 0);
    // A rolled-back report was not stored: posting it again stores it.
    assertThat(
            store
                .ingest(report("host0", 5, T0 + 5, result("Load", Status.OK, "ok", T0 + 5)))
                .stored())
        .isTrue();
  }
}
