package io.custos.collector.alert;

import static io.custos.collector.TestReports.report;
import static io.custos.collector.TestReports.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.custos.collector.TestClock;
import io.custos.collector.alert.notify.Message;
import io.custos.collector.alert.notify.Notifier;
import io.custos.collector.config.CollectorConfig;
import io.custos.collector.status.StatusBoard;
import io.custos.collector.store.EventRecord;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Store;
import io.custos.collector.store.sqlite.SqliteStore;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine on a real SQLite store with a test clock; the dispatcher is run by hand. */
class AlertEngineTest {
  private static final String CONFIG =
      "defaults: { max_attempts: 2, max_attempts_for: { \"Load\": 1 } }\n"
          + "notify: { group_wait: 30s, renotify: 2h }\n"
          + "groups: { dbs: [\"db*\"] }\n"
          + "rules:\n"
          + "  - { name: Root almost full, metric: fs_used_percent, labels: { mount: / },"
          + " critical: \"> 95\", for: 10m }\n";

  @TempDir Path dir;
  private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:00:00Z"));
  private final List<Message> sent = new ArrayList<>();
  private Store store;
  private AlertEngine engine;
  private Dispatcher dispatcher;
  private Notifier notifier = m -> record(m);
  private long seq;

  private String record(Message m) {
    sent.add(m);
    return "250 OK";
  }

  @AfterEach
  void close() {
    store.close();
  }

  private void start(String yaml) throws Exception {
    CollectorConfig config = CollectorConfig.parse(yaml, "test.yml");
    store =
        SqliteStore.open(
            dir.resolve("c.db"),
            clock,
            new StatePolicy(config.defaults().maxAttempts(), config.hosts().absentAfter()));
    engine = new AlertEngine(store, clock, config, List.of("rec"), () -> {});
    dispatcher = new Dispatcher(store, clock, Map.of("rec", m -> notifier.send(m)), null);
  }

  private void post(String host, CheckResult... results) {
    clock.advance(Duration.ofSeconds(30));
    engine.ingest(report(host, ++seq, clock.millis(), results));
  }

  private CheckResult fs(Status s) {
    return result("Filesystem /", s, "DISK " + s, clock.millis());
  }

  private CheckResult load(Status s) {
    return new CheckResult("Load", "load", s, "LOAD " + s, clock.millis(), List.of());
  }

  private void deliver() {
    dispatcher.runOnce("rec", m -> notifier.send(m));
  }

  /** The host keeps reporting every 30 s for {@code d}, ticking and delivering as it goes. */
  private void keepReporting(
      String host, Duration d, java.util.function.Supplier<CheckResult[]> r) {
    for (long t = 0; t < d.toMillis(); t += 30_000) {
      post(host, r.get());
      engine.tick();
      deliver();
    }
  }

  private void wait(Duration d) {
    clock.advance(d);
    engine.tick();
    deliver();
  }

  @Test
  void problemsOfOneHostWithinGroupWaitGoOutAsOneMessage() throws Exception {
    start(CONFIG);
    post("web01", fs(Status.OK), load(Status.CRITICAL));
    deliver();
    assertThat(sent).as("group_wait not over").isEmpty();
    post("web01", fs(Status.CRITICAL), load(Status.CRITICAL));
    post("web01", fs(Status.CRITICAL), load(Status.CRITICAL));
    wait(Duration.ofSeconds(1));
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).subject())
        .isEqualTo("[custos] PROBLEM web01: Load CRITICAL, Filesystem / CRITICAL");
    assertThat(sent.get(0).body()).contains("Service: Load", "Service: Filesystem /");
    wait(Duration.ofMinutes(5));
    assertThat(sent).hasSize(1);
  }

  @Test
  void aSingleProblemHasTheNagiosSubject() throws Exception {
    start(CONFIG);
    post("web01", fs(Status.CRITICAL));
    post("web01", fs(Status.CRITICAL));
    wait(Duration.ofSeconds(30));
    assertThat(sent)
        .extracting(Message::subject)
        .containsExactly("[custos] PROBLEM web01/Filesystem / is CRITICAL");
    assertThat(sent.get(0).body()).contains("Attempt: 2/2", "DISK CRITICAL", "State: CRITICAL");
    List<EventRecord> events = store.events("web01", 0);
    assertThat(events)
        .extracting(EventRecord::output)
        .contains(
            "SOFT CRITICAL attempt 1/2",
            "HARD CRITICAL attempt 2/2",
            "PROBLEM sent via rec: 250 OK");
  }

  @Test
  void aSilentHostSendsOneDownAndNothingForItsServicesThenOneUp() throws Exception {
    start(CONFIG);
    post("web01", fs(Status.OK));
    wait(Duration.ofMinutes(1));
    wait(Duration.ofMinutes(1));
    assertThat(sent).as("group_wait").isEmpty();
    wait(Duration.ofSeconds(30));
    assertThat(sent).extracting(Message::subject).containsExactly("[custos] PROBLEM web01 is DOWN");
    wait(Duration.ofHours(1));
    assertThat(sent).hasSize(1);
    post("web01", fs(Status.OK));
    wait(Duration.ofSeconds(30));
    assertThat(sent)
        .extracting(Message::subject)
        .containsExactly("[custos] PROBLEM web01 is DOWN", "[custos] RECOVERY web01 is UP");
  }

  @Test
  void servicesOfADownHostAreNotRenotified() throws Exception {
    start(CONFIG);
    post("web01", fs(Status.CRITICAL));
    post("web01", fs(Status.CRITICAL));
    wait(Duration.ofSeconds(30));
    assertThat(sent).hasSize(1);
    wait(Duration.ofMinutes(5));
    wait(Duration.ofSeconds(30));
    assertThat(sent)
        .extracting(Message::subject)
        .last()
        .isEqualTo("[custos] PROBLEM web01 is DOWN");
    wait(Duration.ofHours(3));
    assertThat(sent).hasSize(2);
  }

  @Test
  void anAcknowledgedProblemIsNotRenotifiedAndAnUnknownOrOkServiceIsRefused() throws Exception {
    start(CONFIG);
    post("web01", fs(Status.CRITICAL), load(Status.OK));
    post("web01", fs(Status.CRITICAL), load(Status.OK));
    wait(Duration.ofSeconds(30));
    long id = engine.acknowledge("web01", "Filesystem /", "alice", "disk ordered", true);
    wait(Duration.ofSeconds(30));
    assertThat(sent)
        .extracting(Message::subject)
        .containsExactly(
            "[custos] PROBLEM web01/Filesystem / is CRITICAL",
            "[custos] ACKNOWLEDGEMENT web01/Filesystem / is CRITICAL");
    keepReporting(
        "web01",
        Duration.ofHours(3),
        () -> new CheckResult[] {fs(Status.CRITICAL), load(Status.OK)});
    assertThat(sent).as("no reminder after 2h while acknowledged").hasSize(2);
    assertThat(engine.flags().get("web01\0Filesystem /").acknowledged()).isTrue();
    assertThat(engine.unacknowledge(id, "alice")).isTrue();
    assertThat(engine.flags().get("web01\0Filesystem /").acknowledged()).isFalse();
    assertThatThrownBy(() -> engine.acknowledge("web01", "Load", "a", "", true))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> engine.acknowledge("web01", "Nope", "a", "", true))
        .isInstanceOf(java.util.NoSuchElementException.class);
  }

  @Test
  void aGroupDowntimeSuppressesAndItsEndNotifiesAStillOpenProblem() throws Exception {
    start(CONFIG);
    long now = clock.millis();
    Downtime d =
        engine.addDowntime(
            new Downtime(0, null, null, "dbs", now, now + 3_600_000, null, "bob", "upgrade"));
    post("db01", fs(Status.CRITICAL));
    post("db01", fs(Status.CRITICAL));
    wait(Duration.ofMinutes(1));
    assertThat(sent).extracting(Message::subject).noneMatch(m -> m.contains("PROBLEM"));
    assertThat(engine.flags().get("db01\0Filesystem /").inDowntime()).isTrue();
    assertThat(store.events("db01", 0))
        .extracting(EventRecord::output)
        .contains("PROBLEM suppressed: in downtime #" + d.id() + " by bob: upgrade");
    keepReporting("db01", Duration.ofMinutes(57), () -> new CheckResult[] {fs(Status.CRITICAL)});
    assertThat(sent)
        .as("still in downtime: only its start was announced")
        .extracting(Message::subject)
        .containsExactly("[custos] DOWNTIMESTART db01: #" + d.id() + " by bob: upgrade");
    keepReporting("db01", Duration.ofMinutes(2), () -> new CheckResult[] {fs(Status.CRITICAL)});
    assertThat(sent)
        .extracting(Message::subject)
        .containsExactly(
            "[custos] DOWNTIMESTART db01: #" + d.id() + " by bob: upgrade",
            "[custos] PROBLEM/DOWNTIMEEND db01: 1 CRITICAL, 1 downtime ended");
  }

  @Test
  void aFailingTransportIsRetriedWithBackoffAndTheOutboxSurvivesARestart() throws Exception {
    start(CONFIG);
    notifier =
        m -> {
          throw new java.io.IOException("connection refused");
        };
    post("web01", load(Status.CRITICAL));
    wait(Duration.ofSeconds(30));
    wait(Duration.ofSeconds(1));
    assertThat(sent).isEmpty();
    // Restart: a new engine and dispatcher on the same file.
    store.close();
    notifier = m -> record(m);
    start(CONFIG);
    wait(Duration.ofSeconds(2));
    assertThat(sent).as("still backing off").isEmpty();
    wait(Duration.ofSeconds(5));
    assertThat(sent)
        .extracting(Message::subject)
        .containsExactly("[custos] PROBLEM web01/Load is CRITICAL");
  }

  @Test
  void aHangingTransportBlocksNeitherIngestNorTheOtherTransport() throws Exception {
    start(CONFIG.replace("group_wait: 30s", "group_wait: 0s"));
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Notifier hanging =
        m -> {
          release.await();
          return "late";
        };
    List<Message> fast = java.util.Collections.synchronizedList(new ArrayList<>());
    Dispatcher threads =
        new Dispatcher(
            store,
            clock,
            new java.util.LinkedHashMap<>(
                Map.of(
                    "hanging",
                    hanging,
                    "fast",
                    m -> {
                      fast.add(m);
                      return "ok";
                    })),
            null);
    engine =
        new AlertEngine(
            store,
            clock,
            CollectorConfig.parse(CONFIG.replace("group_wait: 30s", "group_wait: 0s"), "t.yml"),
            List.of("hanging", "fast"),
            threads::wake);
    threads.start();
    try {
      post("web01", load(Status.CRITICAL));
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> fast.size() == 1);
      long t0 = System.nanoTime();
      post("db01", load(Status.CRITICAL));
      assertThat((System.nanoTime() - t0) / 1_000_000).as("ingest ms").isLessThan(2_000);
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> fast.size() == 2);
    } finally {
      release.countDown();
      threads.close();
    }
  }

  @Test
  void aTransportThatKeepsFailingGivesUpAndSaysSoInTheHistory() throws Exception {
    start(CONFIG);
    notifier =
        m -> {
          throw new java.io.IOException("no route to host");
        };
    post("web01", load(Status.CRITICAL));
    for (int i = 0; i < Dispatcher.MAX_ATTEMPTS + 1; i++) {
      wait(Duration.ofMillis(Dispatcher.MAX_BACKOFF_MS));
    }
    assertThat(store.events("web01", 0))
        .extracting(EventRecord::output)
        .anyMatch(o -> o.startsWith("PROBLEM FAILED via rec after 12 attempts"));
  }

  @Test
  void aRuleOverMetricsNeedsItsForBeforeItIsAProblem() throws Exception {
    start(CONFIG);
    for (int i = 0; i < 19; i++) {
      post("web01", fsUsed(97));
    }
    wait(Duration.ofSeconds(31));
    assertThat(sent).as("9.5 minutes of 10").isEmpty();
    post("web01", fsUsed(97));
    post("web01", fsUsed(97));
    wait(Duration.ofSeconds(31));
    assertThat(sent)
        .extracting(Message::subject)
        .containsExactly("[custos] PROBLEM web01/Root almost full is CRITICAL");
    assertThat(engine.extraRows("web01", clock.millis()))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.service()).isEqualTo("Root almost full");
              assertThat(r.status()).isEqualTo(Status.CRITICAL);
              assertThat(r.output()).startsWith("RULE CRITICAL - fs_used_percent{mount=/} = 97.0");
            });
    assertThat(engine.extraRows("db01", clock.millis())).isEmpty();
    post("web01", fsUsed(50));
    wait(Duration.ofSeconds(31));
    assertThat(sent)
        .extracting(Message::subject)
        .last()
        .isEqualTo("[custos] RECOVERY web01/Root almost full is OK");
  }

  @Test
  void aRulesPendingForSurvivesARestartOfTheEngine() throws Exception {
    start(CONFIG);
    for (int i = 0; i < 10; i++) {
      post("web01", fsUsed(97));
    }
    // Restart: a new engine on the same store; the rule's pending start is in the store.
    CollectorConfig config = CollectorConfig.parse(CONFIG, "test.yml");
    engine = new AlertEngine(store, clock, config, List.of("rec"), () -> {});
    for (int i = 0; i < 12; i++) { // held 10 min at the 21st report (soft), hard at the 22nd
      post("web01", fsUsed(97));
    }
    wait(Duration.ofSeconds(31));
    assertThat(sent)
        .as("10 minutes after the condition began, not after the restart")
        .extracting(Message::subject)
        .containsExactly("[custos] PROBLEM web01/Root almost full is CRITICAL");
  }

  private CheckResult fsUsed(double pct) {
    return new CheckResult(
        "Filesystem /",
        "filesystem",
        Status.OK,
        "DISK OK",
        clock.millis(),
        List.of(Metric.of("fs_used_percent", Map.of("mount", "/"), pct, "%")));
  }

  // ---- Issue 16 ----

  @Test
  void alertmanager_dedup_aProblemHardAndRecoveredWithinGroupWaitSendsNothing() throws Exception {
    start(CONFIG);
    post("web01", fs(Status.CRITICAL));
    post("web01", fs(Status.CRITICAL)); // hard 2/2: PROBLEM queued, due in 30 s
    post("web01", fs(Status.OK)); // 30 s later: RECOVERY queued in the same batch
    wait(Duration.ofSeconds(1));
    wait(Duration.ofMinutes(5));
    assertThat(sent).isEmpty();
    assertThat(store.events("web01", 0))
        .extracting(EventRecord::output)
        .contains(
            "PROBLEM not sent via rec: the problem began and ended within group_wait",
            "RECOVERY not sent via rec: the problem began and ended within group_wait");
    post("web01", fs(Status.CRITICAL));
    post("web01", fs(Status.CRITICAL));
    wait(Duration.ofSeconds(31));
    assertThat(sent)
        .extracting(Message::subject)
        .containsExactly("[custos] PROBLEM web01/Filesystem / is CRITICAL");
  }

  @Test
  void icinga2_4427_aNotifiedProblemRecoveringInADowntimeIsMailedWhenTheDowntimeEnds()
      throws Exception {
    start(CONFIG);
    post("web01", fs(Status.CRITICAL));
    post("web01", fs(Status.CRITICAL));
    wait(Duration.ofSeconds(31));
    assertThat(sent).hasSize(1);
    long now = clock.millis();
    Downtime d =
        engine.addDowntime(
            new Downtime(0, "web01", null, null, now, now + 3_600_000, null, "bob", "deploy"));
    keepReporting("web01", Duration.ofMinutes(10), () -> new CheckResult[] {fs(Status.CRITICAL)});
    keepReporting("web01", Duration.ofMinutes(49), () -> new CheckResult[] {fs(Status.OK)});
    assertThat(sent)
        .extracting(Message::subject)
        .containsExactly(
            "[custos] PROBLEM web01/Filesystem / is CRITICAL",
            "[custos] DOWNTIMESTART web01: #" + d.id() + " by bob: deploy");
    keepReporting("web01", Duration.ofMinutes(3), () -> new CheckResult[] {fs(Status.OK)});
    assertThat(sent)
        .extracting(Message::subject)
        .last()
        .isEqualTo("[custos] DOWNTIMEEND/RECOVERY web01: 1 downtime ended, 1 recovered");
    assertThat(sent.get(2).body())
        .contains("Notification Type: RECOVERY", "Notification: 2nd, first sent ")
        .contains("Was: CRITICAL for 11m 31s, since 2026-11-27 10:00:30 UTC")
        .contains("Recovered: ");
  }

  @Test
  void nagios_downtimeCancelled_deletingAnAnnouncedDowntimeSaysSoAndReleasesWhatItHeldBack()
      throws Exception {
    start(CONFIG);
    long now = clock.millis();
    Downtime d =
        engine.addDowntime(
            new Downtime(0, "web01", "Load", null, now, now + 3_600_000, null, "bob", "tuning"));
    keepReporting("web01", Duration.ofMinutes(1), () -> new CheckResult[] {load(Status.CRITICAL)});
    assertThat(sent)
        .extracting(Message::subject)
        .containsExactly("[custos] DOWNTIMESTART web01/Load: #" + d.id() + " by bob: tuning");
    assertThat(engine.deleteDowntime(d.id())).isTrue();
    keepReporting("web01", Duration.ofMinutes(1), () -> new CheckResult[] {load(Status.CRITICAL)});
    assertThat(sent)
        .extracting(Message::subject)
        .last()
        .isEqualTo("[custos] PROBLEM/DOWNTIMECANCELLED web01: 1 CRITICAL, 1 downtime cancelled");
  }

  @Test
  void downtimeNoticesCanBeTurnedOff() throws Exception {
    start(CONFIG.replace("renotify: 2h }", "renotify: 2h, downtime_notices: false }"));
    long now = clock.millis();
    Downtime d =
        engine.addDowntime(
            new Downtime(0, "web01", null, null, now, now + 600_000, null, "bob", "x"));
    keepReporting("web01", Duration.ofMinutes(15), () -> new CheckResult[] {load(Status.OK)});
    assertThat(sent).isEmpty();
    assertThat(store.events("web01", 0))
        .extracting(EventRecord::output)
        .contains(
            "downtime #" + d.id() + " by bob: x started",
            "downtime #" + d.id() + " by bob: x ended");
  }

  @Test
  void aFailureTheNotifierCallsPermanentIsNotRetried() throws Exception {
    start(CONFIG);
    int[] calls = {0};
    notifier =
        m -> {
          calls[0]++;
          throw io.custos.collector.alert.notify.DeliveryException.permanent(
              "webhook http://hooks.example.net/ answered HTTP 400", null);
        };
    post("web01", load(Status.CRITICAL));
    wait(Duration.ofSeconds(1));
    for (int i = 0; i < 5; i++) {
      wait(Duration.ofMinutes(10));
    }
    assertThat(calls[0]).isEqualTo(1);
    assertThat(store.events("web01", 0))
        .extracting(EventRecord::output)
        .contains(
            "PROBLEM FAILED via rec (not retried: trying again cannot help): DeliveryException:"
                + " webhook http://hooks.example.net/ answered HTTP 400");
  }

  @Test
  void theHostAliveAttemptInTheTableIsTheEnginesOne() throws Exception {
    start(CONFIG);
    post("web01", fs(Status.OK));
    io.custos.collector.status.StatusBoard board =
        new io.custos.collector.status.StatusBoard(store, clock, new StatePolicy(2, 3), engine);
    java.util.function.Supplier<io.custos.collector.status.ServiceView> alive =
        () ->
            board.services(io.custos.collector.status.ServiceFilter.ALL).stream()
                .filter(r -> r.service().equals(StatusBoard.HOST_ALIVE))
                .findFirst()
                .orElseThrow();
    assertThat(alive.get().attempt() + "/" + alive.get().maxAttempts()).isEqualTo("1/1");
    wait(Duration.ofMinutes(3));
    assertThat(alive.get().status()).isEqualTo(Status.CRITICAL);
    assertThat(alive.get().attempt() + "/" + alive.get().maxAttempts()).isEqualTo("1/1");
    assertThat(engine.flags().get("web01\0" + StatusBoard.HOST_ALIVE))
        .satisfies(
            f -> {
              assertThat(f.attempt()).isEqualTo(1);
              assertThat(f.maxAttempts()).isEqualTo(1);
              assertThat(f.hard()).isTrue();
            });
  }
}
