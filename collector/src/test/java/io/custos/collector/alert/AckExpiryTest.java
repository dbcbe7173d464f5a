package io.custos.collector.alert;

import static io.custos.collector.TestReports.report;
import static io.custos.collector.TestReports.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.custos.collector.TestClock;
import io.custos.collector.alert.notify.Message;
import io.custos.collector.config.CollectorConfig;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Store;
import io.custos.collector.store.sqlite.SqliteStore;
import io.custos.common.wire.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23, "acks that cannot end": an acknowledgement with an expiry ends then and the problem is
 * told of again (Icinga 2's {@code expiry}); five acks of one problem make one acknowledgement and
 * one ACKNOWLEDGEMENT notice. A real SQLite store and a test clock.
 */
class AckExpiryTest {
  @TempDir Path dir;
  private final TestClock clock =
      new TestClock(Instant.parse("2026-12-08T03:00:00Z"), ZoneOffset.UTC);
  private final List<Message> sent = new ArrayList<>();
  private Store store;
  private AlertEngine engine;
  private Dispatcher dispatcher;
  private long seq;

  @BeforeEach
  void start() throws Exception {
    CollectorConfig config =
        CollectorConfig.parse(
            "defaults: { max_attempts: 1 }\nnotify: { group_wait: 0s, renotify: 0s }\n",
            "test.yml");
    store =
        SqliteStore.open(
            dir.resolve("c.db"),
            clock,
            new StatePolicy(config.defaults().maxAttempts(), config.hosts().absentAfter()));
    engine = new AlertEngine(store, clock, config, List.of("rec"), () -> {});
    dispatcher = new Dispatcher(store, clock, Map.of("rec", this::record), null);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private String record(Message m) {
    sent.add(m);
    return "250 OK";
  }

  private void critical() {
    engine.ingest(
        report("web01", ++seq, clock.millis(), result("Load", Status.CRITICAL, "LOAD", 1)));
  }

  private void run(Duration d) {
    for (long s = 0; s < d.toSeconds(); s += 10) {
      clock.advance(Duration.ofSeconds(10));
      if (s % 30 == 0) {
        critical();
      }
      engine.tick();
      dispatcher.runOnce("rec", this::record);
    }
  }

  @Test
  void fiveAcksOfOneProblemSendOneAcknowledgementNotice() {
    critical();
    run(Duration.ofSeconds(30));
    for (String who : List.of("alice", "bob", "carol", "dave", "erin")) {
      engine.acknowledge("web01", "Load", who, "on it", true, 0);
    }
    run(Duration.ofMinutes(1));
    assertThat(sent)
        .extracting(Message::subject)
        .containsExactly(
            "[custos] PROBLEM web01/Load is CRITICAL",
            "[custos] ACKNOWLEDGEMENT web01/Load is CRITICAL");
    assertThat(engine.states().get("web01\0Load").ack().author()).isEqualTo("erin");
  }

  @Test
  void anExpiredAckEndsAndTheProblemIsToldOfAgain() {
    critical();
    run(Duration.ofSeconds(30));
    long expires = clock.millis() + Duration.ofHours(1).toMillis();
    engine.acknowledge("web01", "Load", "alice", "on it", true, expires);
    run(Duration.ofMinutes(59));
    assertThat(engine.states().get("web01\0Load").ack()).isNotNull();
    assertThat(sent).hasSize(2);

    run(Duration.ofMinutes(2));

    assertThat(engine.states().get("web01\0Load").ack()).isNull();
    assertThat(store.events("web01", 0))
        .extracting(e -> e.output())
        .contains("acknowledgement by alice expired");
    assertThat(sent)
        .extracting(Message::subject)
        .containsExactly(
            "[custos] PROBLEM web01/Load is CRITICAL",
            "[custos] ACKNOWLEDGEMENT web01/Load is CRITICAL",
            "[custos] PROBLEM web01/Load is CRITICAL");
  }
}
