package io.custos.collector.ingest;

import static io.custos.collector.TestReports.report;
import static io.custos.collector.TestReports.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.custos.collector.TestClock;
import io.custos.collector.config.LimitsSection;
import io.custos.collector.store.EventRecord;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.sqlite.SqliteStore;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Report;
import io.custos.common.wire.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The limits one node is held to, on a real SQLite store. */
class IngestGuardTest {
  static final long T0 = Instant.parse("2026-11-27T12:00:00Z").toEpochMilli();

  @TempDir Path dir;
  TestClock clock = new TestClock(Instant.ofEpochMilli(T0));
  SqliteStore store;

  @BeforeEach
  void open() {
    store = SqliteStore.open(dir.resolve("c.db"), clock, new StatePolicy(3, 3));
  }

  @AfterEach
  void close() {
    store.close();
  }

  IngestGuard guard(Integer services, Integer series) {
    return new IngestGuard(
        new LimitsSection(100, 50, 120, 4, 64, services, series, null, null), store, clock);
  }

  static CheckResult withMetrics(String service, int n, Map<String, String> labels) {
    List<Metric> ms = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ms.add(Metric.of("m" + i, labels, i, null));
    }
    return new CheckResult(service, "x", Status.OK, "OK", T0, ms);
  }

  List<EventRecord> notes() {
    return store.events("web01", 0).stream()
        .filter(e -> e.service().equals(IngestGuard.SERVICE))
        .toList();
  }

  @Test
  void tooManyResultsIs413NamingTheLimitAndNoted() {
    CheckResult[] many = new CheckResult[101];
    for (int i = 0; i < many.length; i++) {
      many[i] = result("S" + i, Status.OK, "OK", T0);
    }

    assertThatThrownBy(() -> guard(null, null).admit(report("web01", 1, T0, many)))
        .isInstanceOfSatisfying(
            LimitExceeded.class,
            e -> {
              assertThat(e.status()).isEqualTo(413);
              assertThat(e.limit()).isEqualTo("limits.results_per_report");
            })
        .hasMessage("101 results in one report, more than limits.results_per_report (100)");
    assertThat(notes())
        .singleElement()
        .extracting(EventRecord::output)
        .asString()
        .contains("report seq 1 refused");
  }

  @Test
  void oneServiceWithTooManySeriesIs413() {
    assertThatThrownBy(
            () -> guard(null, null).admit(report("web01", 1, T0, withMetrics("Big", 51, Map.of()))))
        .hasMessage("results[0] (\"Big\"): 51 metrics, more than limits.metrics_per_result (50)");
  }

  @Test
  void tooManyMetricsInAllIs413() {
    Report r =
        report(
            "web01",
            1,
            T0,
            withMetrics("A", 50, Map.of()),
            withMetrics("B", 50, Map.of("x", "1")),
            withMetrics("C", 21, Map.of("x", "2")));
    assertThatThrownBy(() -> guard(null, null).admit(r))
        .hasMessage("121 metrics in one report, more than limits.metrics_per_report (120)");
  }

  @Test
  void tooManyLabelsOrTooLongALabelIs413() {
    Map<String, String> five = Map.of("a", "1", "b", "2", "c", "3", "d", "4", "e", "5");
    assertThatThrownBy(
            () -> guard(null, null).admit(report("web01", 1, T0, withMetrics("L", 1, five))))
        .hasMessage("results[0].metrics[0] (m0): 5 labels, more than limits.labels_per_metric (4)");
    assertThatThrownBy(
            () ->
                guard(null, null)
                    .admit(
                        report("web01", 2, T0, withMetrics("L", 1, Map.of("v", "x".repeat(65))))))
        .hasMessage(
            "results[0].metrics[0] (m0).labels.v: 65 characters, more than limits.label_length (64)");
  }

  @Test
  void servicesAccumulatedOverReportsAre422OncePastTheNodeLimit() throws Exception {
    IngestGuard guard = guard(3, null);
    guard.admit(
        report("web01", 1, T0, result("A", Status.OK, "", T0), result("B", Status.OK, "", T0)));
    guard.admit(
        report("web01", 2, T0, result("A", Status.OK, "", T0), result("C", Status.OK, "", T0)));

    assertThatThrownBy(() -> guard.admit(report("web01", 3, T0, result("D", Status.OK, "", T0))))
        .isInstanceOfSatisfying(LimitExceeded.class, e -> assertThat(e.status()).isEqualTo(422))
        .hasMessage(
            "node \"web01\" has 3 services and this report adds 1, more than"
                + " limits.services_per_node (3)");
    // Known services still report; another node has its own budget.
    guard.admit(report("web01", 4, T0, result("B", Status.OK, "", T0)));
    guard.admit(report("db01", 1, T0, result("D", Status.OK, "", T0)));
  }

  @Test
  void seriesAlreadyStoredCountAfterARestart() throws Exception {
    store.ingest(report("web01", 1, T0, withMetrics("A", 10, Map.of())));

    IngestGuard fresh = guard(null, 12);
    fresh.admit(report("web01", 2, T0, withMetrics("A", 12, Map.of())));
    assertThatThrownBy(
            () -> fresh.admit(report("web01", 3, T0, withMetrics("B", 1, Map.of("new", "1")))))
        .hasMessage(
            "node \"web01\" has 12 series and this report adds 1, more than"
                + " limits.series_per_node (12)");
  }

  @Test
  void aResultDatedNear1970IsClampedToMaxAgeAndNoted() throws Exception {
    Report r = guard(null, null).admit(report("web01", 1, T0, result("Load", Status.OK, "", 1)));

    assertThat(r.results().get(0).time()).isEqualTo(T0 - Duration.ofDays(7).toMillis());
    assertThat(notes())
        .singleElement()
        .extracting(EventRecord::output)
        .asString()
        .contains("behind the collector's clock beyond limits.max_age")
        .contains("1970-01-01T00:00:00.001Z");
  }

  @Test
  void aResultDatedNearLongMaxIsClampedToClockSkewAndNotedOncePerHour() throws Exception {
    IngestGuard guard = guard(null, null);
    Report r =
        guard.admit(report("web01", 1, T0, result("Load", Status.OK, "", Long.MAX_VALUE - 1)));
    guard.admit(report("web01", 2, T0, result("Load", Status.OK, "", Long.MAX_VALUE - 1)));

    assertThat(r.results().get(0).time()).isEqualTo(T0 + Duration.ofHours(1).toMillis());
    assertThat(notes())
        .singleElement()
        .extracting(EventRecord::output)
        .asString()
        .contains("ahead of the collector's clock beyond limits.clock_skew");

    clock.advance(Duration.ofHours(1));
    guard.admit(report("web01", 3, T0, result("Load", Status.OK, "", Long.MAX_VALUE - 1)));
    assertThat(notes()).hasSize(2);
  }

  @Test
  void aResultWithinTheWindowIsStoredAsSent() throws Exception {
    Report in = report("web01", 1, T0, result("Load", Status.OK, "", T0 - 60_000));
    assertThat(guard(null, null).admit(in)).isSameAs(in);
    assertThat(notes()).isEmpty();
  }

  @Test
  void aOneMebibyteOutputIsCutTo8KiBWithTheCutSaidInTheTextAndNoted() throws Exception {
    // The input: 1 MiB of one unbroken word froze every operator's tab for minutes.
    String word = "A".repeat(1 << 20);
    String longWord = "é".repeat(100_000); // 200,000 UTF-8 bytes, 2 bytes each
    CheckResult big =
        new CheckResult("Huge", "x", Status.CRITICAL, "CRITICAL " + word, longWord, T0, List.of());

    Report r = guard(null, null).admit(report("web01", 1, T0, big));

    CheckResult c = r.results().get(0);
    assertThat(c.output())
        .startsWith("CRITICAL AAAA")
        .endsWith(
            "… [cut by the collector: "
                + (9 + (1 << 20) - 8192)
                + " more bytes, limits.output_size 8KB]");
    assertThat(c.output().indexOf('…')).isEqualTo(8192);
    assertThat(c.longOutput())
        .hasSize(
            32768
                + "… [cut by the collector: 134464 more bytes, limits.long_output_size 64KB]"
                    .length())
        .endsWith("… [cut by the collector: 134464 more bytes, limits.long_output_size 64KB]");
    assertThat(notes())
        .singleElement()
        .extracting(EventRecord::output)
        .asString()
        .isEqualTo(
            "report seq 1: results[0] (\"Huge\"): output of "
                + (9 + (1 << 20))
                + " bytes cut to limits.output_size (8KB)");
  }

  @Test
  void aCutNeverSplitsACodePoint() {
    // "€" is 3 UTF-8 bytes, the emoji 4: a limit of 64 bytes falls inside the emoji.
    String text = "€".repeat(21) + "\uD83D\uDE00" + "x".repeat(100);

    String cut = OutputCut.cut(text, 64, "limits.output_size", "64B");

    assertThat(cut).startsWith("€".repeat(21) + "… [cut by the collector: 104 more bytes");
    assertThat(OutputCut.cut("short", 64, "k", "64B")).isEqualTo("short");
    assertThat(OutputCut.cut(null, 64, "k", "64B")).isNull();
  }

  @Test
  void outputWithinTheLimitIsStoredAsSent() throws Exception {
    Report in = report("web01", 1, T0, result("Load", Status.OK, "x".repeat(8192), T0));
    assertThat(guard(null, null).admit(in)).isSameAs(in);
  }
}
