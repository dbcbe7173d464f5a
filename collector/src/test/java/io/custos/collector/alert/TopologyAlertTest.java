package io.custos.collector.alert;

import static io.custos.collector.TestReports.report;
import static io.custos.collector.TestReports.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.custos.collector.TestClock;
import io.custos.collector.alert.notify.Message;
import io.custos.collector.config.CollectorConfig;
import io.custos.collector.status.HostState;
import io.custos.collector.status.HostView;
import io.custos.collector.status.StatusBoard;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Store;
import io.custos.collector.store.sqlite.SqliteStore;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23, "no parents": ten hosts behind a switch that dies give one DOWN and later one UP; a
 * remote check aimed at a host that goes DOWN does not page on its own. A real SQLite store, a test
 * clock ticked second by second as the collector's ticker does.
 */
class TopologyAlertTest {
  private static final String CONFIG =
      "defaults: { max_attempts: 1 }\n"
          + "notify: { group_wait: 0s, renotify: 0s }\n"
          + "hosts: { parents: { \"web*\": [sw1] } }\n";

  @TempDir Path dir;
  private final TestClock clock =
      new TestClock(Instant.parse("2026-12-08T03:00:00Z"), ZoneOffset.UTC);
  private final List<Message> sent = new ArrayList<>();
  private Store store;
  private AlertEngine engine;
  private Dispatcher dispatcher;
  private StatusBoard board;
  private final Map<String, Long> seq = new java.util.HashMap<>();

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  private void start(String yaml) throws Exception {
    CollectorConfig config = CollectorConfig.parse(yaml, "test.yml");
    StatePolicy policy =
        new StatePolicy(config.defaults().maxAttempts(), config.hosts().absentAfter());
    store = SqliteStore.open(dir.resolve("c.db"), clock, policy);
    engine = new AlertEngine(store, clock, config, List.of("rec"), () -> {});
    dispatcher = new Dispatcher(store, clock, Map.of("rec", this::record), null);
    board = new StatusBoard(store, clock, policy, engine);
  }

  private String record(Message m) {
    sent.add(m);
    return "250 OK";
  }

  private void reportNow(String host, CheckResult... results) {
    long n = seq.merge(host, 1L, Long::sum);
    CheckResult[] rs =
        results.length > 0
            ? results
            : new CheckResult[] {result("Load", Status.OK, "LOAD OK", clock.millis())};
    engine.ingest(report(host, n, clock.millis(), rs));
  }

  /** Advances the clock second by second, ticking and delivering as the collector does. */
  private void run(Duration d) {
    for (long s = 0; s < d.toSeconds(); s++) {
      clock.advance(Duration.ofSeconds(1));
      engine.tick();
      dispatcher.runOnce("rec", this::record);
    }
  }

  private static final List<String> WEBS =
      List.of(
          "web01", "web02", "web03", "web04", "web05", "web06", "web07", "web08", "web09", "web10");

  /** sw1 and the ten web hosts report every 30 s, each at its own second; db01 too. */
  private void fleetReportsFor(Duration d, boolean switchAlive) {
    for (long s = 0; s < d.toSeconds(); s++) {
      clock.advance(Duration.ofSeconds(1));
      int second = (int) (clock.millis() / 1000 % 30);
      if (switchAlive) {
        if (second == 10) {
          reportNow("sw1");
        }
        for (int i = 0; i < WEBS.size(); i++) {
          if (second == i * 2) { // web01 before the switch's report, web10 after it
            reportNow(WEBS.get(i));
          }
        }
      }
      engine.tick();
      dispatcher.runOnce("rec", this::record);
    }
  }

  @Test
  void tenHostsBehindADeadSwitchGiveOneDownNamingThemAndLaterOneUp() throws Exception {
    start(CONFIG);
    fleetReportsFor(Duration.ofMinutes(2), true);
    assertThat(sent).isEmpty();

    fleetReportsFor(Duration.ofMinutes(5), false); // the switch dies

    assertThat(sent).extracting(Message::subject).containsExactly("[custos] PROBLEM sw1 is DOWN");
    assertThat(sent.get(0).body())
        .contains("10 hosts behind it unreachable: " + String.join(", ", WEBS));
    Map<String, HostView> hosts =
        board.hosts().stream().collect(Collectors.toMap(HostView::name, h -> h));
    assertThat(hosts.get("sw1").state()).isEqualTo(HostState.DOWN);
    assertThat(hosts.get("sw1").blocking()).containsExactlyElementsOf(WEBS);
    for (String w : WEBS) {
      assertThat(hosts.get(w).state()).as(w).isEqualTo(HostState.UNREACHABLE);
      assertThat(hosts.get(w).rootCauses()).as(w).containsExactly("sw1");
    }
    assertThat(store.events("web05", 0))
        .extracting(e -> e.output())
        .contains(
            "PROBLEM suppressed: host is UNREACHABLE (cut off by sw1 DOWN;"
                + " hosts.notify_unreachable is off)");

    fleetReportsFor(Duration.ofMinutes(1), true); // the switch is replaced

    assertThat(sent)
        .extracting(Message::subject)
        .containsExactly("[custos] PROBLEM sw1 is DOWN", "[custos] RECOVERY sw1 is UP");
    assertThat(board.hosts()).extracting(HostView::state).containsOnly(HostState.UP);
  }

  @Test
  void withNotifyUnreachableTheCutOffHostsNotifyToo() throws Exception {
    start(CONFIG.replace("[sw1] } }", "[sw1] }, notify_unreachable: true }"));
    fleetReportsFor(Duration.ofMinutes(1), true);
    fleetReportsFor(Duration.ofMinutes(3), false);
    assertThat(sent).extracting(Message::subject).contains("[custos] PROBLEM sw1 is DOWN");
    assertThat(sent).extracting(Message::subject).contains("[custos] PROBLEM web05 is UNREACHABLE");
  }

  private static CheckResult tcp(Status status, long now) {
    return new CheckResult(
        "TCP db01",
        "tcp",
        status,
        "TCP " + status,
        now,
        status == Status.OK
            ? List.of(Metric.of("tcp_connect_seconds", Map.of("target", "db01:5432"), 0.001, "s"))
            : List.of());
  }

  @Test
  void aRemoteCheckAimedAtAHostThatGoesDownHoldsItsNoticesBackAndSaysWhy() throws Exception {
    start("defaults: { max_attempts: 1 }\nnotify: { group_wait: 0s, renotify: 0s }\n");
    for (int i = 0; i < 4; i++) {
      reportNow("db01");
      reportNow("mon01", tcp(Status.OK, clock.millis()));
      run(Duration.ofSeconds(30));
    }
    // db01 dies; mon01's check of it fails at once, before db01 has missed a report.
    for (int i = 0; i < 6; i++) {
      reportNow("mon01", tcp(Status.CRITICAL, clock.millis()));
      run(Duration.ofSeconds(30));
    }
    assertThat(sent).extracting(Message::subject).containsExactly("[custos] PROBLEM db01 is DOWN");
    assertThat(store.events("mon01", 0))
        .extracting(e -> e.output())
        .contains(
            "PROBLEM suppressed: its target db01 has not reported since this problem began"
                + " (waiting to see if it is DOWN)");
    // db01 is back, the check recovers: nothing was told about it, so nothing to take back.
    reportNow("db01");
    reportNow("mon01", tcp(Status.OK, clock.millis()));
    run(Duration.ofSeconds(30));
    assertThat(sent)
        .extracting(Message::subject)
        .containsExactly("[custos] PROBLEM db01 is DOWN", "[custos] RECOVERY db01 is UP");
  }

  @Test
  void aRemoteCheckFailingWhileItsTargetStillReportsPagesOnceTheTargetIsHeard() throws Exception {
    start("defaults: { max_attempts: 1 }\nnotify: { group_wait: 0s, renotify: 0s }\n");
    for (int i = 0; i < 3; i++) {
      reportNow("db01");
      reportNow("mon01", tcp(Status.OK, clock.millis()));
      run(Duration.ofSeconds(30));
    }
    reportNow("mon01", tcp(Status.CRITICAL, clock.millis())); // postgres died, db01 did not
    run(Duration.ofSeconds(5));
    assertThat(sent).isEmpty();
    reportNow("db01");
    run(Duration.ofSeconds(2));
    assertThat(sent)
        .extracting(Message::subject)
        .containsExactly("[custos] PROBLEM mon01/TCP db01 is CRITICAL");
  }
}
