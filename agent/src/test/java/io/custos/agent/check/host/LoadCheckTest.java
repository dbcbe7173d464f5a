package io.custos.agent.check.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.custos.agent.check.CheckContext;
import io.custos.agent.check.Fixtures;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadCheckTest {
  private static final long NOW = 1_795_783_507_801L;
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

  @Test
  void parsesLoadAvg() {
    assertThat(LoadCheck.parseLoadAvg("0.52 0.61 0.70 2/412 18734\n"))
        .containsExactly(0.52, 0.61, 0.70);
  }

  @Test
  void malformedLoadAvgNamesTheText() {
    assertThatThrownBy(() -> LoadCheck.parseLoadAvg("garbage"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"garbage\"");
  }

  @Test
  void countsProcessorsInCpuinfo() throws Exception {
    assertThat(LoadCheck.countCpus(Fixtures.lines("debian-server", "proc/cpuinfo"))).isEqualTo(4);
    assertThat(LoadCheck.countCpus(Fixtures.lines("no-swap", "proc/cpuinfo"))).isEqualTo(2);
  }

  @Test
  void quietServerIsOk() throws Exception {
    List<CheckResult> r =
        new LoadCheck(LoadConfig.defaults(), () -> 99)
            .run(new CheckContext(Fixtures.root("debian-server"), CLOCK));

    assertThat(r).hasSize(1);
    assertThat(r.get(0).service()).isEqualTo("Load");
    assertThat(r.get(0).status()).isEqualTo(Status.OK);
    assertThat(r.get(0).output()).isEqualTo("LOAD OK - load average: 0.52, 0.61, 0.70");
    assertThat(r.get(0).metrics())
        .extracting(Metric::name)
        .containsExactly("load1", "load5", "load15", "cpu_cores");
    Metric load5 = r.get(0).metrics().get(1);
    // Per-core defaults 2,1.5,1 and 4,3,2 times 4 CPUs.
    assertThat(load5.warn()).isEqualTo(6.0);
    assertThat(load5.crit()).isEqualTo(12.0);
    assertThat(r.get(0).metrics().get(3).value()).isEqualTo(4.0);
  }

  @Test
  void busyTwoCpuBoxIsWarningPerCore() throws Exception {
    List<CheckResult> r =
        new LoadCheck(LoadConfig.defaults(), () -> 99)
            .run(new CheckContext(Fixtures.root("no-swap"), CLOCK));

    assertThat(r.get(0).status()).isEqualTo(Status.WARNING);
    assertThat(r.get(0).output()).isEqualTo("LOAD WARNING - load average: 7.91, 5.12, 3.40");
  }

  @Test
  void absoluteLimitsIgnoreTheCpuCount() {
    LoadConfig absolute =
        new LoadConfig(LoadThreshold.parse("5,4,3"), LoadThreshold.parse("7,6,5"), false);

    CheckResult r = LoadCheck.result(new double[] {7.91, 5.12, 3.40}, 64, absolute, NOW);

    assertThat(r.status()).isEqualTo(Status.CRITICAL);
    assertThat(r.metrics().get(0).crit()).isEqualTo(7.0);
  }

  @Test
  void limitsAreStrictlyGreaterThanLikeCheckLoad() {
    LoadConfig c = new LoadConfig(LoadThreshold.of(1), LoadThreshold.of(2), false);
    assertThat(LoadCheck.result(new double[] {1, 1, 1}, 1, c, NOW).status()).isEqualTo(Status.OK);
    assertThat(LoadCheck.result(new double[] {0, 0, 1.01}, 1, c, NOW).status())
        .isEqualTo(Status.WARNING);
  }

  @Test
  void fallsBackToTheJvmCpuCountWithoutCpuinfo(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("proc"));
    Files.writeString(root.resolve("proc/loadavg"), "2.50 1.00 0.50 1/1 1\n");

    List<CheckResult> r =
        new LoadCheck(LoadConfig.defaults(), () -> 1).run(new CheckContext(root, CLOCK));

    assertThat(r.get(0).status()).isEqualTo(Status.WARNING);
    assertThat(r.get(0).metrics().get(3).value()).isEqualTo(1.0);
  }

  @Test
  void thresholdParsing() {
    assertThat(LoadThreshold.parse("4, 3, 2")).isEqualTo(new LoadThreshold(4, 3, 2));
    assertThat(LoadThreshold.parse("2")).isEqualTo(new LoadThreshold(2, 2, 2));
    assertThatThrownBy(() -> LoadThreshold.parse("4,3"))
        .hasMessageContaining("\"4,3\"")
        .hasMessageContaining("4,3,2");
    assertThatThrownBy(() -> new LoadConfig(LoadThreshold.of(4), LoadThreshold.of(2), null))
        .hasMessageContaining("warning (4,4,4) must be below critical (2,2,2)");
  }
}
