package io.custos.collector.status;

import static io.custos.collector.TestReports.report;
import static io.custos.collector.TestReports.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.custos.collector.TestClock;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.sqlite.SqliteStore;
import io.custos.common.wire.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusBoardTest {
  static final long T0 = Instant.parse("2026-11-27T12:00:00Z").toEpochMilli();

  @TempDir Path dir;
  TestClock clock = new TestClock(Instant.ofEpochMilli(T0));
  SqliteStore store;
  StatusBoard board;

  @BeforeEach
  void setUp() {
    StatePolicy policy = new StatePolicy(3, 3);
    store = SqliteStore.open(dir.resolve("c.db"), clock, policy);
    board = new StatusBoard(store, clock, policy);
    store.ingest(
        report(
            "web01",
            1,
            T0,
            result("Root Partition", Status.OK, "DISK OK", T0),
            result("Load", Status.WARNING, "LOAD WARNING - 5.1", T0)));
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  @Test
  void aReportingHostIsAliveAndItsServicesAreCurrent() {
    clock.advance(Duration.ofSeconds(12));

    var rows = board.services(ServiceFilter.ALL);

    assertThat(rows).extracting("service").containsExactly("Host Alive", "Load", "Root Partition");
    ServiceView alive = rows.get(0);
    assertThat(alive.status()).isEqualTo(Status.OK);
    assertThat(alive.output()).isEqualTo("HOST UP - last report 12s ago");
    assertThat(alive.durationS()).isEqualTo(12);
    assertThat(rows).noneMatch(ServiceView::stale);
    assertThat(rows.get(1).durationS()).isEqualTo(12);
    assertThat(rows.get(1).maxAttempts()).isEqualTo(3);
    assertThat(board.hosts())
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.up()).isTrue();
              assertThat(h.services()).isEqualTo(2);
              assertThat(h.problems()).isEqualTo(1);
            });
  }

  @Test
  void aSilentHostIsDownAfterAbsentAfterIntervals() {
    clock.advance(Duration.ofSeconds(90));
    assertThat(board.hosts().get(0).up()).as("exactly 3 intervals").isTrue();

    clock.advance(Duration.ofSeconds(35));

    var rows = board.services(ServiceFilter.ALL);
    ServiceView alive = rows.get(0);
    assertThat(alive.status()).isEqualTo(Status.CRITICAL);
    assertThat(alive.output()).isEqualTo("HOST DOWN - no report for 2m 5s (3 intervals of 30s)");
    assertThat(alive.durationS()).isEqualTo(35);
    // Hard at once, as the alert engine decides it (issue 16: table and engine agree).
    assertThat(alive.attempt()).isEqualTo(1);
    assertThat(alive.maxAttempts()).isEqualTo(StatusBoard.HOST_ALIVE_MAX_ATTEMPTS);
    assertThat(rows.subList(1, 3)).allMatch(ServiceView::stale);
    assertThat(rows.get(2).status()).as("keeps its last state").isEqualTo(Status.OK);
    assertThat(board.hosts().get(0).up()).isFalse();
    assertThat(board.hosts().get(0).since()).isEqualTo(T0 + 90_000);
  }

  @Test
  void filtersByStatusAndHost() {
    store.ingest(report("db01", 1, T0, result("Load", Status.CRITICAL, "LOAD CRITICAL", T0)));

    assertThat(board.services(ServiceFilter.parse("problems", null)))
        .extracting(r -> r.host() + "/" + r.service())
        .containsExactly("db01/Load", "web01/Load");
    assertThat(board.services(ServiceFilter.parse("ok", "web01")))
        .extracting("service")
        .containsExactly("Host Alive", "Root Partition");
    assertThat(board.services(ServiceFilter.parse("critical", null)))
        .extracting("host")
        .containsExactly("db01");
    assertThat(board.services(ServiceFilter.parse(null, "nosuch"))).isEmpty();
  }

  @Test
  void anUnknownStatusSelectionNamesTheParameter() {
    assertThatThrownBy(() -> ServiceFilter.parse("BAD!", null))
        .hasMessage(
            "status: expected problems|unhandled|ok|warning|critical|unknown|all, got \"BAD!\"");
  }
}
