package io.custos.collector.store;

import static io.custos.collector.TestReports.report;
import static io.custos.collector.TestReports.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.custos.collector.TestClock;
import io.custos.common.wire.Status;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Store} must do for the alert engine ({@link AlertTx}, the ingest hook, the
 * outbox). Each implementation extends this once, beside {@link StoreContractTest}.
 */
public abstract class AlertStoreContractTest {
  protected static final StatePolicy POLICY = new StatePolicy(3, 3);
  protected static final long T0 = Instant.parse("2026-11-27T12:00:00Z").toEpochMilli();

  @TempDir protected Path dir;
  protected TestClock clock;
  protected Store store;

  /** Opens the store kept in {@code dir}, creating it when new. */
  protected abstract Store open(Path dir, TestClock clock, StatePolicy policy);

  @BeforeEach
  void openStore() {
    clock = new TestClock(Instant.ofEpochMilli(T0));
    store = open(dir, clock, POLICY);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void theHookRunsInTheReportsTransactionAndAFailureRollsBackBoth() {
    store.ingest(
        report("web01", 1, T0, result("Load", Status.CRITICAL, "LOAD CRITICAL", T0)),
        (r, applied, tx) -> {
          assertThat(applied).extracting(c -> c.service()).containsExactly("Load");
          tx.saveAlertState("web01", "Load", "{\"v\":1}");
          tx.enqueue("email", "web01", T0, T0, "{}");
        });
    assertThat(store.<String>alerts(tx -> tx.alertState("web01", "Load"))).isEqualTo("{\"v\":1}");

    assertThatThrownBy(
            () ->
                store.ingest(
                    report("web01", 2, T0 + 1, result("Load", Status.OK, "LOAD OK", T0 + 1)),
                    (r, applied, tx) -> {
                      tx.saveAlertState("web01", "Load", "{\"v\":2}");
                      throw new IllegalStateException("engine bug");
                    }))
        .hasMessage("engine bug");
    assertThat(store.<String>alerts(tx -> tx.alertState("web01", "Load"))).isEqualTo("{\"v\":1}");
    assertThat(store.services("web01"))
        .singleElement()
        .extracting(s -> s.status())
        .isEqualTo(Status.CRITICAL);
    // The rolled-back report was not stored: posting it again stores it.
    assertThat(
            store
                .ingest(report("web01", 2, T0 + 1, result("Load", Status.OK, "ok", T0 + 1)))
                .stored())
        .isTrue();
  }

  @Test
  void lockHostReturnsTheHostAsCommittedOrNothingForAnUnknownOne() {
    store.ingest(report("web01", 1, T0, result("Load", Status.OK, "ok", T0)));
    clock.advance(java.time.Duration.ofSeconds(30));
    store.ingest(report("web01", 2, T0 + 30_000, result("Load", Status.OK, "ok", T0 + 30_000)));

    assertThat(store.<java.util.Optional<HostRecord>>alerts(tx -> tx.lockHost("web01")))
        .get()
        .satisfies(
            h -> {
              assertThat(h.name()).isEqualTo("web01");
              assertThat(h.lastReport()).isEqualTo(T0 + 30_000);
              assertThat(h.lastSeq()).isEqualTo(2);
            });
    assertThat(store.<java.util.Optional<HostRecord>>alerts(tx -> tx.lockHost("nohost"))).isEmpty();
  }

  @Test
  void aDuplicateOrLateResultDoesNotRunTheHookForIt() {
    store.ingest(report("web01", 5, T0 + 10, result("Load", Status.OK, "ok", T0 + 10)));
    List<List<String>> seen = new java.util.ArrayList<>();
    store.ingest(
        report("web01", 5, T0 + 10, result("Load", Status.OK, "ok", T0 + 10)),
        (r, applied, tx) -> seen.add(List.of("duplicate")));
    store.ingest(
        report("web01", 4, T0, result("Load", Status.CRITICAL, "late", T0)),
        (r, applied, tx) -> seen.add(applied.stream().map(c -> c.service()).toList()));
    assertThat(seen).containsExactly(List.of());
  }

  @Test
  void outboxBatchesAHostOnceItsOldestNoticeIsDueAndRecordsRetriesAndResults() {
    store.alerts(
        tx -> {
          tx.enqueue("email", "web01", T0, T0 + 30_000, "{\"n\":1}");
          tx.enqueue("email", "web01", T0 + 20_000, T0 + 50_000, "{\"n\":2}");
          tx.enqueue("webhook:1", "web01", T0, T0 + 30_000, "{\"n\":1}");
          tx.enqueue("email", "db01", T0, T0 + 60_000, "{\"n\":3}");
          return null;
        });
    assertThat(store.<List<OutboxRecord>>alerts(tx -> tx.dueOutbox("email", T0 + 29_999)))
        .isEmpty();
    List<OutboxRecord> due = store.alerts(tx -> tx.dueOutbox("email", T0 + 30_000));
    assertThat(due).extracting(OutboxRecord::payload).containsExactly("{\"n\":1}", "{\"n\":2}");
    List<Long> ids = due.stream().map(OutboxRecord::id).toList();

    store.alerts(
        tx -> {
          tx.outboxRetry(ids, T0 + 40_000, "connection refused");
          return null;
        });
    assertThat(store.<List<OutboxRecord>>alerts(tx -> tx.dueOutbox("email", T0 + 39_999)))
        .isEmpty();
    assertThat(store.<List<OutboxRecord>>alerts(tx -> tx.dueOutbox("email", T0 + 40_000)))
        .extracting(OutboxRecord::attempts)
        .containsExactly(1, 1);
    store.alerts(
        tx -> {
          tx.outboxDone(ids, true, T0 + 40_000, "250 OK");
          return null;
        });
    assertThat(store.<List<OutboxRecord>>alerts(tx -> tx.dueOutbox("email", T0 + 100_000)))
        .extracting(OutboxRecord::host)
        .containsExactly("db01");
    assertThat(store.<List<OutboxRecord>>alerts(tx -> tx.dueOutbox("webhook:1", T0 + 30_000)))
        .hasSize(1);
    assertThat(store.<Integer>alerts(tx -> tx.pruneOutbox(T0 + 40_000))).as("done at").isZero();
    assertThat(store.<Integer>alerts(tx -> tx.pruneOutbox(T0 + 40_001))).isEqualTo(2);
    assertThat(store.<List<OutboxRecord>>alerts(tx -> tx.dueOutbox("email", T0 + 100_000)))
        .as("pending ones are kept")
        .hasSize(1);
  }

  @Test
  void outboxAndStateSurviveAReopen() {
    store.alerts(
        tx -> {
          tx.enqueue("email", "web01", T0, T0, "{}");
          tx.saveAlertState("web01", "Load", "{}");
          return null;
        });
    store.close();
    store = open(dir, clock, POLICY);
    assertThat(store.<List<OutboxRecord>>alerts(tx -> tx.dueOutbox("email", T0))).hasSize(1);
    assertThat(store.<List<AlertStateRecord>>alerts(AlertTx::alertStates))
        .containsExactly(new AlertStateRecord("web01", "Load", "{}"));
    assertThat(store.alertStates()).containsExactly(new AlertStateRecord("web01", "Load", "{}"));
  }

  @Test
  void acksDowntimesAndAlertEvents() {
    long ack = store.<Long>alerts(tx -> tx.addAck("web01", "Load", "alice", "on it", true, T0));
    assertThat(store.<java.util.Optional<List<String>>>alerts(tx -> tx.ackTarget(ack)))
        .contains(List.of("web01", "Load"));
    assertThat(store.<java.util.Optional<List<String>>>alerts(tx -> tx.ackTarget(ack + 1)))
        .isEmpty();

    long dt =
        store.alerts(
            tx ->
                tx.addDowntime(
                    new DowntimeRecord(
                        0, null, null, "web", 0, Long.MAX_VALUE, "sun 01:00-03:00", "bob", ""),
                    T0));
    assertThat(store.<List<DowntimeRecord>>alerts(AlertTx::downtimes))
        .containsExactly(
            new DowntimeRecord(
                dt, null, null, "web", 0, Long.MAX_VALUE, "sun 01:00-03:00", "bob", ""));
    assertThat(store.<Boolean>alerts(tx -> tx.deleteDowntime(dt))).isTrue();
    assertThat(store.<Boolean>alerts(tx -> tx.deleteDowntime(dt))).isFalse();

    store.alerts(
        tx -> {
          tx.event("web01", "Load", T0, "CRITICAL", "PROBLEM sent via email: 250 OK");
          return null;
        });
    assertThat(store.events("web01", 0))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo("alert");
              assertThat(e.output()).isEqualTo("PROBLEM sent via email: 250 OK");
              assertThat(e.oldStatus()).isNull();
            });
  }
}
