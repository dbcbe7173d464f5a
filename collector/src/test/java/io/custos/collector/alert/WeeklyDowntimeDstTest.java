package io.custos.collector.alert;

import static io.custos.collector.TestReports.report;
import static io.custos.collector.TestReports.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.custos.collector.TestClock;
import io.custos.collector.alert.notify.Notifier;
import io.custos.collector.config.CollectorConfig;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Store;
import io.custos.collector.store.sqlite.SqliteStore;
import io.custos.common.wire.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A weekly downtime on the days clocks change, in two zones, on the engine with a real SQLite store
 * and a clock in that zone: the window holds back the PROBLEM of a service failing inside it, for
 * as long as the wall clock shows the window, and announces its start and end.
 */
class WeeklyDowntimeDstTest {
  @TempDir Path dir;

  /** A sent message and the instant it went out. */
  private record Sent(Instant at, String subject) {}

  @ParameterizedTest(name = "{0} {1} ({2})")
  @CsvSource({
    // zone, window, DST change, window start and end as instants
    "Europe/Berlin, sun 02:00-02:30, spring-forward, 2026-03-29T01:00:00Z, 2026-03-29T01:30:00Z",
    "Europe/Berlin, sun 02:30-03:00, spring-forward, 2026-03-29T01:00:00Z, 2026-03-29T01:30:00Z",
    "Europe/Berlin, sun 02:45-03:15, spring-forward, 2026-03-29T01:00:00Z, 2026-03-29T01:30:00Z",
    "Europe/Berlin, sun 02:00-02:30, fall-back, 2026-10-25T00:00:00Z, 2026-10-25T01:30:00Z",
    "America/New_York, sun 02:00-02:30, spring-forward, 2026-03-08T07:00:00Z, 2026-03-08T07:30:00Z",
    "America/New_York, sun 01:00-01:30, fall-back, 2026-11-01T05:00:00Z, 2026-11-01T06:30:00Z"
  })
  void cron_dst_weeklyWindowHoldsBackForItsWallClockStretch(
      String zone, String window, String change, String startIso, String endIso) throws Exception {
    Instant start = Instant.parse(startIso);
    Instant end = Instant.parse(endIso);
    TestClock clock = new TestClock(start.minus(Duration.ofMinutes(5)), ZoneId.of(zone));
    CollectorConfig config =
        CollectorConfig.parse(
            "defaults: { max_attempts: 2 }\nnotify: { group_wait: 0s }\n", "test.yml");
    List<Sent> sent = new ArrayList<>();
    try (Store store =
        SqliteStore.open(
            dir.resolve("c.db"),
            clock,
            new StatePolicy(config.defaults().maxAttempts(), config.hosts().absentAfter()))) {
      AlertEngine engine = new AlertEngine(store, clock, config, List.of("rec"), () -> {});
      Notifier recorder =
          m -> {
            sent.add(new Sent(clock.instant(), m.subject()));
            return "250 OK";
          };
      Dispatcher dispatcher = new Dispatcher(store, clock, Map.of("rec", recorder), null);
      engine.addDowntime(
          new Downtime(0, "web01", null, null, 0, Long.MAX_VALUE, Weekly.parse(window), "ops", ""));
      long seq = 0;
      while (clock.instant().isBefore(end.plus(Duration.ofMinutes(3)))) {
        Status s =
            clock.instant().isBefore(start.plus(Duration.ofMinutes(1)))
                ? Status.OK
                : Status.CRITICAL;
        engine.ingest(
            report("web01", ++seq, clock.millis(), result("Load", s, "LOAD " + s, clock.millis())));
        engine.tick();
        dispatcher.runOnce("rec", recorder);
        clock.advance(Duration.ofSeconds(30));
      }
    }
    assertThat(sent)
        .extracting(Sent::subject)
        .containsExactly(
            "[custos] DOWNTIMESTART web01: #1 (weekly " + window + ") by ops",
            "[custos] PROBLEM/DOWNTIMEEND web01: 1 CRITICAL, 1 downtime ended");
    assertThat(sent.get(0).at()).isBetween(start, start.plusSeconds(30));
    assertThat(sent.get(1).at()).as(change).isBetween(end, end.plusSeconds(30));
  }
}
