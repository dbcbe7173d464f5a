package io.custos.collector.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.collector.TestClock;
import io.custos.collector.store.AlertStoreContractTest;
import io.custos.collector.store.OutboxRecord;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Store;
import io.custos.collector.store.history.HistoryRetention;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The alert contract against a real PostgreSQL server, plus what only a shared database can show:
 * several collectors claiming from one outbox send each notification once.
 */
class PostgresAlertStoreTest extends AlertStoreContractTest {
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
  void twoCollectorsClaimingConcurrentlyGetEachNotificationOnce() throws Exception {
    int hosts = 200;
    store.alerts(
        tx -> {
          for (int i = 0; i < hosts; i++) {
            tx.enqueue("email", "host" + i, T0, T0, "{\"n\":" + i + "}");
          }
          return null;
        });
    try (Store other = open(dir, clock, POLICY)) {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Future<List<Long>>> claims = new ArrayList<>();
        for (Store s : List.of(store, other)) {
          Callable<List<Long>> claimAll =
              () -> {
                List<Long> mine = new ArrayList<>();
                for (int round = 0; round < 50; round++) {
                  List<OutboxRecord> due = s.alerts(tx -> tx.dueOutbox("email", T0));
                  List<Long> ids = due.stream().map(OutboxRecord::id).toList();
                  mine.addAll(ids);
                  s.alerts(
                      tx -> {
                        tx.outboxDone(ids, true, T0, "250 OK");
                        return null;
                      });
                }
                return mine;
              };
          claims.add(pool.submit(claimAll));
        }
        List<Long> a = claims.get(0).get();
        List<Long> b = claims.get(1).get();
        List<Long> all = new ArrayList<>(a);
        all.addAll(b);
        assertThat(all).hasSize(hosts).doesNotHaveDuplicates();
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void aClaimHoldsOffOtherCollectorsUntilItExpires() {
    store.alerts(
        tx -> {
          tx.enqueue("email", "web01", T0, T0, "{}");
          return null;
        });
    try (Store other = open(dir, clock, POLICY)) {
      assertThat(store.<List<OutboxRecord>>alerts(tx -> tx.dueOutbox("email", T0))).hasSize(1);
      assertThat(other.<List<OutboxRecord>>alerts(tx -> tx.dueOutbox("email", T0))).isEmpty();
      // The claimer itself may read its rows again (say, after a failed outcome update).
      assertThat(store.<List<OutboxRecord>>alerts(tx -> tx.dueOutbox("email", T0))).hasSize(1);
      // A collector that claimed and died: another takes over once the claim has run out.
      long later = T0 + PostgresAlertTx.CLAIM_MS;
      assertThat(other.<List<OutboxRecord>>alerts(tx -> tx.dueOutbox("email", later))).hasSize(1);
    }
  }
}
