package io.custos.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.custos.agent.check.Check;
import io.custos.agent.check.CheckContext;
import io.custos.agent.check.CheckRunner;
import io.custos.agent.config.AgentConfig;
import io.custos.agent.ship.ReportSender;
import io.custos.common.units.ByteSize;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Report;
import io.custos.common.wire.Status;
import io.custos.common.wire.WireCodec;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentTest {
  private static final long NOW = 1_795_783_507_801L;
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

  @TempDir Path spoolDir;

  /** Records decoded reports; refuses connections while {@link #down} is set. */
  static final class FakeCollector implements ReportSender {
    final List<Report> received = new CopyOnWriteArrayList<>();
    final AtomicBoolean down = new AtomicBoolean();
    private final WireCodec codec = new WireCodec();

    @Override
    public Reply send(byte[] json) throws IOException {
      if (down.get()) {
        throw new IOException("Connection refused");
      }
      received.add(codec.decode(json));
      return new Reply(200, "{}");
    }
  }

  private AgentConfig config(Duration interval) {
    return new AgentConfig(
        "web01",
        List.of("web"),
        new AgentConfig.Collector(URI.create("http://127.0.0.1:8480"), null),
        interval,
        new AgentConfig.Spool(spoolDir, ByteSize.parse("1MB")),
        List.of());
  }

  private static Check check(String kind, String service, Status status) {
    return new Check() {
      @Override
      public String kind() {
        return kind;
      }

      @Override
      public String name() {
        return service;
      }

      @Override
      public List<CheckResult> run(CheckContext c) {
        if (status == null) {
          throw new IllegalStateException("sensor gone");
        }
        return List.of(
            new CheckResult(service, kind, status, kind + " " + status, c.now(), List.of()));
      }
    };
  }

  private Agent agent(Clock clock, ReportSender sender, Check... checks) throws IOException {
    List<CheckRunner.Task> tasks =
        java.util.Arrays.stream(checks)
            .map(c -> new CheckRunner.Task(c, Duration.ofSeconds(5)))
            .toList();
    return new Agent(
        config(Duration.ofSeconds(30)), clock, new CheckRunner(tasks, Path.of("/"), clock), sender);
  }

  @Test
  void cycleBuildsSpoolsAndShipsOneReport() throws Exception {
    FakeCollector collector = new FakeCollector();
    try (Agent agent =
        agent(CLOCK, collector, check("load", "Load", Status.OK), check("raid", "RAID", null))) {
      Report report = agent.cycle();

      assertThat(report.v()).isEqualTo(1);
      assertThat(report.node()).isEqualTo("web01");
      assertThat(report.agent()).startsWith("custos-agent/");
      assertThat(report.seq()).isEqualTo(NOW);
      assertThat(report.sent()).isEqualTo(NOW);
      assertThat(report.intervalS()).isEqualTo(30);
      assertThat(report.tags()).containsExactly("web");
      assertThat(report.results())
          .extracting(CheckResult::service, CheckResult::status)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("Load", Status.OK),
              org.assertj.core.groups.Tuple.tuple("RAID", Status.UNKNOWN));
      assertThat(report.results().get(1).output()).isEqualTo("RAID UNKNOWN - sensor gone");
      assertThat(collector.received).containsExactly(report);
      assertThat(agent.spooled()).isZero();
    }
  }

  @Test
  void seqIncreasesAcrossCyclesAndRestarts() throws Exception {
    FakeCollector collector = new FakeCollector();
    long first;
    long second;
    try (Agent agent = agent(CLOCK, collector)) {
      first = agent.cycle().seq();
      second = agent.cycle().seq();
    }
    try (Agent restarted = agent(CLOCK, collector)) {
      assertThat(restarted.cycle().seq()).isEqualTo(second + 1);
    }
    assertThat(second).isEqualTo(first + 1);
  }

  @Test
  void reportsWaitInTheSpoolDuringAnOutageAndAreReplayedInOrder() throws Exception {
    FakeCollector collector = new FakeCollector();
    collector.down.set(true);
    try (Agent agent = agent(CLOCK, collector, check("load", "Load", Status.OK))) {
      agent.cycle();
      agent.cycle();
      assertThat(agent.spooled()).isEqualTo(2);

      collector.down.set(false);
      Report third = agent.cycle();

      assertThat(agent.spooled()).isZero();
      assertThat(collector.received)
          .extracting(Report::seq)
          .containsExactly(third.seq() - 2, third.seq() - 1, third.seq());
    }
  }

  @Test
  void startRunsTheFirstCycleAtOnceAndKeepsGoing() throws Exception {
    FakeCollector collector = new FakeCollector();
    AgentConfig config = config(Duration.ofSeconds(1));
    try (Agent agent =
        new Agent(
            config,
            Clock.systemUTC(),
            new CheckRunner(
                List.of(
                    new CheckRunner.Task(check("load", "Load", Status.OK), Duration.ofSeconds(5))),
                Path.of("/"),
                Clock.systemUTC()),
            collector)) {
      agent.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> collector.received.size() >= 2);
    }
    assertThat(collector.received.get(1).seq()).isEqualTo(collector.received.get(0).seq() + 1);
  }

  @Test
  void realChecksOnThisMachine() throws Exception {
    FakeCollector collector = new FakeCollector();
    AgentConfig defaults =
        new AgentConfig(null, null, null, null, new AgentConfig.Spool(spoolDir, null), null);
    try (Agent agent = new Agent(defaults, Clock.systemUTC(), Path.of("/"), collector)) {
      Report report = agent.cycle();

      assertThat(report.results())
          .extracting(CheckResult::service)
          .contains("Load", "Memory", "Swap");
      assertThat(collector.received).hasSize(1);
    }
  }

  @Test
  void createNeedsAToken() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Agent.create(config(Duration.ofSeconds(30)), java.util.Map.of(), "agent.yml"))
        .isInstanceOf(io.custos.common.config.ConfigException.class)
        .hasMessageContaining("CUSTOS_TOKEN");
  }

  @Test
  void createUsesTheTokenFromTheEnvironment() throws Exception {
    try (Agent agent =
        Agent.create(config(Duration.ofSeconds(30)), java.util.Map.of("CUSTOS_TOKEN", "t"), "x")) {
      assertThat(agent.spooled()).isZero();
      assertThat(agent.config().node()).isEqualTo("web01");
    }
  }
}
