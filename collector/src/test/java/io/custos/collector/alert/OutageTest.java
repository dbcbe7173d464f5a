package io.custos.collector.alert;

import static io.custos.collector.TestReports.report;
import static io.custos.collector.TestReports.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.custos.collector.TestClock;
import io.custos.collector.alert.notify.Message;
import io.custos.collector.config.CollectorConfig;
import io.custos.collector.status.HostView;
import io.custos.collector.status.ServiceFilter;
import io.custos.collector.status.StatusBoard;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Store;
import io.custos.collector.store.StoreException;
import io.custos.collector.store.sqlite.SqliteStore;
import io.custos.common.wire.Status;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Never cry wolf after an outage": what the engine notifies around an outage of the collector and
 * when an agent replays its spool. A real SQLite store and a test clock; a restart of the collector
 * is a new engine on the same store.
 */
class OutageTest {
  private static final String CONFIG =
      "defaults: { max_attempts: 1 }\nnotify: { group_wait: 0s, renotify: 2h }\n";

  @TempDir Path dir;
  private final TestClock clock =
      new TestClock(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);
  private final List<Message> sent = new ArrayList<>();
  private CollectorConfig config;
  private Store store;
  private AlertEngine engine;
  private Dispatcher dispatcher;
  private long seq;

  @AfterEach
  void close() {
    store.close();
  }

  private void start() throws Exception {
    config = CollectorConfig.parse(CONFIG, "test.yml");
    store =
        SqliteStore.open(
            dir.resolve("c.db"),
            clock,
            new StatePolicy(config.defaults().maxAttempts(), config.hosts().absentAfter()));
    restartEngine();
  }

  /** What a restart of the collector does to the engine: a new one on the same store. */
  private void restartEngine() {
    engine = new AlertEngine(store, clock, config, List.of("rec"), () -> {});
    dispatcher =
        new Dispatcher(
            store,
            clock,
            Map.of(
                "rec",
                m -> {
                  sent.add(m);
                  return "250 OK";
                }),
            null);
  }

  private void deliver() {
    dispatcher.runOnce(
        "rec",
        m -> {
          sent.add(m);
          return "250 OK";
        });
  }

  private void reportNow(String host, Status status, long observed) {
    engine.ingest(
        report(host, ++seq, clock.millis(), result("Load", status, "LOAD " + status, observed)));
  }

  @Test
  void aCollectorOutageOfTenMinutesPagesNoHostAndStartUpCountsAsAFreshStart() throws Exception {
    start();
    reportNow("web01", Status.OK, clock.millis());
    reportNow("db01", Status.OK, clock.millis());

    // The collector is down for 10 minutes (20 intervals of 30 s), then starts again.
    clock.advance(Duration.ofMinutes(10));
    restartEngine();
    engine.tick();
    deliver();
    clock.advance(Duration.ofSeconds(30));
    engine.tick();
    deliver();

    assertThat(sent).as("nothing paged for the collector's own outage").isEmpty();
    assertThat(engine.states().get("web01\0" + StatusBoard.HOST_ALIVE)).isNull();

    // web01's agent reports again; db01 stays silent for 3 intervals after the start: only it is
    // DOWN, and its output says silence counts from when the collector could hear it again.
    reportNow("web01", Status.OK, clock.millis());
    clock.advance(Duration.ofSeconds(61));
    reportNow("web01", Status.OK, clock.millis());
    engine.tick();
    deliver();

    assertThat(sent).extracting(Message::subject).containsExactly("[custos] PROBLEM db01 is DOWN");
    assertThat(engine.states().get("db01\0" + StatusBoard.HOST_ALIVE).output())
        .isEqualTo(
            "HOST DOWN - no report for 1m 31s (3 intervals of 30s) since the collector could"
                + " hear it again; last report 11m 31s ago");
  }

  @Test
  void issue23_aSlowStartCountsSilenceFromWhenTheServerFirstListens() throws Exception {
    start();
    reportNow("web01", Status.OK, clock.millis());
    clock.advance(Duration.ofMinutes(5));
    // kill -9 under load: the engine is built, then the server takes 8.5 s to listen while the
    // agents spool; ticks run meanwhile.
    restartEngine();
    engine.notHearingYet();
    for (int i = 0; i < 17; i++) {
      clock.advance(Duration.ofMillis(500));
      engine.tick();
    }
    engine.startHearing();
    clock.advance(Duration.ofSeconds(85)); // 3 intervals after the engine was built, not listening
    engine.tick();
    deliver();
    assertThat(sent).as("no false DOWN counted from before the server listened").isEmpty();
    clock.advance(Duration.ofSeconds(6));
    engine.tick();
    deliver();
    assertThat(sent).extracting(Message::subject).containsExactly("[custos] PROBLEM web01 is DOWN");
  }

  @Test
  void afterARestartTheBoardShowsSilentHostsUpUntilTheyCouldHaveReported() throws Exception {
    start();
    reportNow("web01", Status.OK, clock.millis());
    clock.advance(Duration.ofMinutes(10));
    restartEngine();
    StatusBoard board =
        new StatusBoard(
            store,
            clock,
            new StatePolicy(config.defaults().maxAttempts(), config.hosts().absentAfter()),
            engine);

    assertThat(board.hosts()).singleElement().extracting(HostView::up).isEqualTo(true);
    assertThat(board.services(ServiceFilter.parse("problems", null))).isEmpty();

    clock.advance(Duration.ofSeconds(91));
    assertThat(board.hosts()).singleElement().extracting(HostView::up).isEqualTo(false);
  }

  @Test
  void aStoreThatCouldNotWriteForTenMinutesPagesNoHostWhenItRecovers() throws Exception {
    start();
    reportNow("web01", Status.OK, clock.millis());
    reportNow("db01", Status.OK, clock.millis());

    // The disk fills: every write of the store fails, reports and the engine's own alike.
    sql(
        "CREATE TRIGGER full_reports BEFORE INSERT ON reports BEGIN"
            + " SELECT RAISE(ABORT, 'database or disk is full'); END",
        "CREATE TRIGGER full_states BEFORE INSERT ON alert_state BEGIN"
            + " SELECT RAISE(ABORT, 'database or disk is full'); END",
        "CREATE TRIGGER full_events BEFORE INSERT ON events BEGIN"
            + " SELECT RAISE(ABORT, 'database or disk is full'); END");
    for (int i = 0; i < 20; i++) {
      clock.advance(Duration.ofSeconds(30));
      assertThatThrownBy(() -> reportNow("web01", Status.OK, clock.millis()))
          .isInstanceOf(StoreException.class);
      try {
        engine.tick(); // anything it decided to write fails too
      } catch (StoreException e) {
        // as in the collector's ticker: logged, next tick in a second
      }
    }
    sql("DROP TRIGGER full_reports", "DROP TRIGGER full_states", "DROP TRIGGER full_events");
    engine.tick();
    deliver();

    assertThat(sent).as("nothing paged for the store's own outage").isEmpty();

    // Counted from the recovery, a host still silent 3 intervals later is DOWN.
    clock.advance(Duration.ofSeconds(91));
    reportNow("web01", Status.OK, clock.millis());
    engine.tick();
    deliver();
    assertThat(sent).extracting(Message::subject).containsExactly("[custos] PROBLEM db01 is DOWN");
  }

  private void sql(String... statements) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("c.db"));
        Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout=10000");
      for (String s : statements) {
        st.execute(s);
      }
    }
  }

  @Test
  void aReplayedProblemIsMailedWithTheTimeItStartedAndSaysItIsLateAndWhy() throws Exception {
    start();
    reportNow("web01", Status.OK, clock.millis());
    long problemStarted = clock.millis() + 30_000;
    // The agent could not reach the collector for 2 hours; the problem it saw meanwhile arrives
    // with the replay of its spool. (The collector kept running and hearing others.)
    clock.advance(Duration.ofHours(2));
    reportNow("web01", Status.CRITICAL, problemStarted);
    deliver();

    assertThat(sent)
        .singleElement()
        .extracting(Message::subject)
        .isEqualTo("[custos] PROBLEM web01/Load is CRITICAL");
    assertThat(sent.get(0).body())
        .contains("Since: 2026-11-27 10:00:30 Z (1h 59m)")
        .contains(
            "Late notice: observed at 2026-11-27 10:00:30 Z, received 1h 59m later: the"
                + " agent could not deliver it earlier and replayed it from its spool");
  }

  @Test
  void aProblemHeldBackByTheCollectorsOutageSaysTheCollectorWasNotReceiving() throws Exception {
    start();
    reportNow("web01", Status.OK, clock.millis());
    long problemStarted = clock.millis() + 60_000;
    clock.advance(Duration.ofMinutes(20));
    restartEngine();
    clock.advance(Duration.ofSeconds(5));
    reportNow("web01", Status.CRITICAL, problemStarted);
    deliver();

    assertThat(sent).singleElement();
    assertThat(sent.get(0).body())
        .contains("Since: 2026-11-27 10:01:00 Z (19m 5s)")
        .contains(
            "received 19m 5s later: the collector was not receiving reports until 2026-11-27"
                + " 10:20:00 Z");
  }

  @Test
  void aTimelyResultIsNotLate() throws Exception {
    start();
    reportNow("web01", Status.OK, clock.millis());
    clock.advance(Duration.ofSeconds(30));
    reportNow("web01", Status.CRITICAL, clock.millis() - 2_000);
    deliver();

    assertThat(sent).singleElement();
    assertThat(sent.get(0).body()).doesNotContain("Late notice");
  }
}
