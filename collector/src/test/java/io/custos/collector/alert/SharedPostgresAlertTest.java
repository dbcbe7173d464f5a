package io.custos.collector.alert;

import static io.custos.collector.TestReports.report;
import static io.custos.collector.TestReports.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.custos.collector.TestClock;
import io.custos.collector.alert.notify.Message;
import io.custos.collector.config.CollectorConfig;
import io.custos.collector.status.StatusBoard;
import io.custos.collector.store.AlertTx;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Store;
import io.custos.collector.store.history.HistoryRetention;
import io.custos.collector.store.postgres.EmbeddedPostgresServer;
import io.custos.collector.store.postgres.PostgresStore;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two collectors (an engine and a dispatcher each, on their own {@link PostgresStore}) sharing one
 * PostgreSQL database: every tick-driven and report-driven decision is notified once, however the
 * two interleave. The ticks are made to overlap for real: each collector's tick stops after its
 * first read until the other's has read too, so both start from the same stale snapshot.
 */
class SharedPostgresAlertTest {
  private static final String CONFIG =
      "defaults: { max_attempts: 2 }\n"
          + "hosts: { absent_after: 3 }\n"
          + "notify: { group_wait: 10s, renotify: 1m }\n"
          + "rules:\n"
          + "  - { name: Root almost full, metric: fs_used_percent, labels: { mount: / },"
          + " critical: \"> 95\", for: 1m }\n";

  private final TestClock clock = new TestClock(Instant.parse("2026-11-27T10:00:00Z"));
  private final List<Message> sent = Collections.synchronizedList(new ArrayList<>());
  private final CyclicBarrier bothRead = new CyclicBarrier(2);
  private final ExecutorService pool = Executors.newFixedThreadPool(2);
  private String url;
  private Node a;
  private Node b;
  private long seq;

  /** One collector: its store (with a hook to hold its tick), engine and dispatcher. */
  private final class Node {
    final PostgresStore store;
    final AtomicBoolean holdNextTick = new AtomicBoolean();
    final AlertEngine engine;
    final Dispatcher dispatcher;

    Node(CollectorConfig config) {
      store =
          PostgresStore.open(
              url,
              null,
              null,
              clock,
              new StatePolicy(config.defaults().maxAttempts(), config.hosts().absentAfter()),
              HistoryRetention.DEFAULT);
      Store held = holding(store, holdNextTick);
      engine = new AlertEngine(held, clock, config, List.of("rec"), () -> {});
      dispatcher = new Dispatcher(held, clock, Map.of("rec", this::send), null);
    }

    private String send(Message m) {
      sent.add(m);
      return "250 OK";
    }

    void deliver() {
      dispatcher.runOnce("rec", this::send);
    }
  }

  @BeforeEach
  void open() throws Exception {
    url = EmbeddedPostgresServer.newDatabase();
    CollectorConfig config = CollectorConfig.parse(CONFIG, "test.yml");
    a = new Node(config);
    b = new Node(config);
  }

  @AfterEach
  void close() {
    pool.shutdownNow();
    a.store.close();
    b.store.close();
  }

  /**
   * {@code store}, except that while {@code hold} is set the next alert transaction waits, after
   * listing the hosts, until the other collector's has listed them too.
   */
  private Store holding(Store store, AtomicBoolean hold) {
    return (Store)
        Proxy.newProxyInstance(
            Store.class.getClassLoader(),
            new Class<?>[] {Store.class},
            (proxy, method, args) -> {
              if (method.getName().equals("alerts") && hold.getAndSet(false)) {
                @SuppressWarnings("unchecked")
                Function<AlertTx, Object> work = (Function<AlertTx, Object>) args[0];
                args = new Object[] {(Function<AlertTx, Object>) tx -> work.apply(held(tx))};
              }
              return invoke(method, store, args);
            });
  }

  private AlertTx held(AlertTx tx) {
    AtomicBoolean first = new AtomicBoolean(true);
    return (AlertTx)
        Proxy.newProxyInstance(
            AlertTx.class.getClassLoader(),
            new Class<?>[] {AlertTx.class},
            (proxy, method, args) -> {
              Object out = invoke(method, tx, args);
              if (method.getName().equals("hosts") && first.getAndSet(false)) {
                bothRead.await(20, TimeUnit.SECONDS);
              }
              return out;
            });
  }

  private static Object invoke(java.lang.reflect.Method m, Object target, Object[] args)
      throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** Both collectors tick at once, from the same snapshot. */
  private void tickTogether() throws Exception {
    a.holdNextTick.set(true);
    b.holdNextTick.set(true);
    together(
        () -> {
          a.engine.tick();
          return null;
        },
        () -> {
          b.engine.tick();
          return null;
        });
  }

  private static void awaitAll(List<Future<Object>> futures) throws Exception {
    for (Future<Object> f : futures) {
      f.get(30, TimeUnit.SECONDS);
    }
  }

  private void together(Callable<Object> first, Callable<Object> second) throws Exception {
    awaitAll(List.of(pool.submit(first), pool.submit(second)));
  }

  private void deliverFromBoth() {
    clock.advance(Duration.ofSeconds(11));
    a.deliver();
    b.deliver();
  }

  private CheckResult fs(Status s) {
    return result("Filesystem /", s, "DISK " + s, clock.millis());
  }

  private List<Notice> notices(NoticeType type, String service) {
    List<Notice> out = new ArrayList<>();
    synchronized (sent) {
      for (Message m : sent) {
        for (Notice n : m.notices()) {
          if (n.type() == type && n.service().equals(service)) {
            out.add(n);
          }
        }
      }
    }
    return out;
  }

  private int outboxRows() throws Exception {
    try (Connection c = DriverManager.getConnection(url, "postgres", null);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM outbox")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @Test
  void aHostGoingSilentIsDeclaredDownOnceByTwoCollectorsTickingTogether() throws Exception {
    a.engine.ingest(report("web01", ++seq, clock.millis(), fs(Status.OK)));
    clock.advance(Duration.ofSeconds(91)); // 3 intervals of 30 s

    tickTogether();

    assertThat(outboxRows()).as("one host-DOWN notice in the outbox").isEqualTo(1);
    deliverFromBoth();
    assertThat(notices(NoticeType.PROBLEM, StatusBoard.HOST_ALIVE)).hasSize(1);
    assertThat(sent).extracting(Message::subject).containsExactly("[custos] PROBLEM web01 is DOWN");

    // Ticking on changes nothing: both see web01 DOWN.
    tickTogether();
    assertThat(outboxRows()).isEqualTo(1);
  }

  @Test
  void aDueReminderIsQueuedOnceByTwoCollectorsTickingTogether() throws Exception {
    a.engine.ingest(report("web01", ++seq, clock.millis(), fs(Status.CRITICAL)));
    clock.advance(Duration.ofSeconds(5));
    b.engine.ingest(report("web01", ++seq, clock.millis(), fs(Status.CRITICAL)));
    deliverFromBoth();
    assertThat(notices(NoticeType.PROBLEM, "Filesystem /")).hasSize(1);

    clock.advance(Duration.ofSeconds(50)); // 1m after the PROBLEM was queued, web01 not absent
    tickTogether();

    assertThat(outboxRows()).as("the PROBLEM and one reminder").isEqualTo(2);
    deliverFromBoth();
    assertThat(notices(NoticeType.PROBLEM, "Filesystem /")).hasSize(2);
  }

  @Test
  void aDowntimeScheduledThroughOneCollectorHoldsBackTheOthersNoticesFromItsNextTick()
      throws Exception {
    a.engine.ingest(report("web01", ++seq, clock.millis(), fs(Status.OK)));
    a.engine.addDowntime(
        new Downtime(
            0,
            "web01",
            null,
            null,
            clock.millis(),
            clock.millis() + 3_600_000L,
            null,
            "bob",
            "kernel"));
    b.engine.tick();

    clock.advance(Duration.ofSeconds(5));
    b.engine.ingest(report("web01", ++seq, clock.millis(), fs(Status.CRITICAL)));
    clock.advance(Duration.ofSeconds(5));
    b.engine.ingest(report("web01", ++seq, clock.millis(), fs(Status.CRITICAL)));
    a.engine.tick();

    assertThat(outboxRows())
        .as("no PROBLEM; one DOWNTIMESTART, announced by b's tick and not again by a's")
        .isEqualTo(1);
    deliverFromBoth();
    assertThat(notices(NoticeType.DOWNTIMESTART, "Host Alive")).hasSize(1);
    assertThat(b.store.events("web01", 0))
        .extracting(e -> e.output())
        .anyMatch(o -> o.startsWith("PROBLEM suppressed: in downtime"));
  }

  @Test
  void aRulesForCountsFromTheSameStartOnEveryCollector() throws Exception {
    // web01's reports reach collector a for 90 s, then b: b must not start the for: over (which
    // would turn the rule OK, a RECOVERY, and later a second PROBLEM).
    for (int i = 0; i < 4; i++) {
      a.engine.ingest(report("web01", ++seq, clock.millis(), fsUsed(97)));
      clock.advance(Duration.ofSeconds(30));
    }
    for (int i = 0; i < 4; i++) {
      b.engine.ingest(report("web01", ++seq, clock.millis(), fsUsed(97)));
      clock.advance(Duration.ofSeconds(30));
    }
    deliverFromBoth();

    assertThat(sent)
        .extracting(Message::subject)
        .containsExactly("[custos] PROBLEM web01/Root almost full is CRITICAL");
    assertThat(b.engine.extraRows("web01", clock.millis()))
        .singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo(Status.CRITICAL));
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

  @Test
  void concurrentReportsMakingAServiceHardQueueOneProblem() throws Exception {
    for (int i = 0; i < 10; i++) {
      String host = "web" + i;
      a.engine.ingest(report(host, 1, clock.millis(), fs(Status.CRITICAL)));
      clock.advance(Duration.ofSeconds(1));
      long time = clock.millis();
      // Reports 2 and 3 of the host reach different collectors at the same instant; either
      // makes the problem hard.
      CyclicBarrier start = new CyclicBarrier(2);
      together(
          () -> {
            start.await(20, TimeUnit.SECONDS);
            return a.engine.ingest(
                report(host, 2, time, result("Filesystem /", Status.CRITICAL, "DISK", time)));
          },
          () -> {
            start.await(20, TimeUnit.SECONDS);
            return b.engine.ingest(
                report(host, 3, time, result("Filesystem /", Status.CRITICAL, "DISK", time)));
          });
    }

    assertThat(outboxRows()).as("one PROBLEM per host").isEqualTo(10);
    deliverFromBoth();
    assertThat(notices(NoticeType.PROBLEM, "Filesystem /"))
        .extracting(Notice::host)
        .containsExactlyInAnyOrder(
            "web0", "web1", "web2", "web3", "web4", "web5", "web6", "web7", "web8", "web9");
  }
}
