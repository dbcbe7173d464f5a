package io.custos.agent.check.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.agent.check.Check;
import io.custos.agent.check.CheckContext;
import io.custos.agent.check.CheckRunner;
import io.custos.agent.check.CheckRunnerTest;
import io.custos.agent.check.Fixtures;
import io.custos.agent.check.HoldTest;
import io.custos.agent.check.net.NetworkCheck;
import io.custos.agent.check.net.NetworkConfig;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two snapshots of one busy server taken 10 seconds apart: saturation-t0 and saturation-t1. */
class SaturationChecksTest {
  private static final long T0 = 1_795_783_500_000L;

  private static CheckContext at(String fixture, long millis) {
    return new CheckContext(
        Fixtures.root(fixture), Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
  }

  private static CheckResult twice(Check check) throws Exception {
    CheckResult first = check.run(at("saturation-t0", T0)).get(0);
    assertThat(first.status()).isEqualTo(Status.OK);
    assertThat(first.output()).contains("first sample");
    return check.run(at("saturation-t1", T0 + 10_000)).get(0);
  }

  @Test
  void cpuAtOneHundredPercent() throws Exception {
    CheckResult r = twice(new CpuCheck(CpuConfig.defaults()));

    assertThat(r.status()).isEqualTo(Status.CRITICAL);
    assertThat(r.output())
        .isEqualTo(
            "CPU CRITICAL - 100.0% busy (user 88.0%, system 12.0%, iowait 0.0%, steal 0.0%)");
    assertThat(r.metrics().get(0))
        .isEqualTo(new Metric("cpu_busy_percent", Map.of(), 100.0, "%", 90.0, 100.0, 0.0, 100.0));
  }

  @Test
  void cpuDefaultsHoldFifteenMinutes() {
    assertThat(CpuConfig.defaults().defaultSchedule().holdFor()).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void cpuAtOneHundredPercentForFifteenMinutesThroughTheRunner() {
    HoldTest.MutableClock clock = new HoldTest.MutableClock(T0);
    Check busy =
        new CheckRunnerTest.FakeCheck(
            "cpu",
            "CPU",
            new CheckRunnerTest.FakeCheck.Body() {
              final CpuCheck cpu = new CpuCheck(CpuConfig.defaults());
              long[] last = CpuCheck.parseCpuLine(List.of("cpu  0 0 0 0 0 0 0 0"));

              @Override
              public List<CheckResult> run(CheckContext c) {
                // Every run adds 10 s of 4 fully busy CPUs to the counters.
                long[] now = last.clone();
                now[0] += 4000;
                CheckResult r = CpuCheck.result(last, now, CpuConfig.defaults(), c.now());
                last = now;
                return List.of(r);
              }
            });
    try (CheckRunner r =
        new CheckRunner(
            List.of(new CheckRunner.Task(busy, CpuConfig.defaults().defaultSchedule(), null)),
            java.nio.file.Path.of("/"),
            clock)) {
      CheckResult early = r.runAll().get(0);
      clock.millis += Duration.ofMinutes(14).toMillis();
      CheckResult still = r.runAll().get(0);
      clock.millis += Duration.ofMinutes(1).toMillis();
      CheckResult held = r.runAll().get(0);

      assertThat(early.status()).isEqualTo(Status.OK);
      assertThat(still.output()).endsWith(", CRITICAL only after 15m held (held 14m)");
      assertThat(held.status()).isEqualTo(Status.CRITICAL);
    }
  }

  @Test
  void diskBusyTimeOfWholeDisksOnly() throws Exception {
    CheckResult r = twice(new DiskIoCheck(DiskIoConfig.defaults()));

    assertThat(r.status()).isEqualTo(Status.CRITICAL);
    assertThat(r.output()).isEqualTo("DISKIO CRITICAL - sda 100.0% busy; sdb 25.0%, nvme0n1 0.0%");
    assertThat(r.metrics())
        .contains(
            Metric.of(
                "disk_read_bytes_per_second", Map.of("device", "sda"), 2048000 * 512 / 10.0, "B"));
    assertThat(DiskIoCheck.isDisk("nvme0n1p1")).isFalse();
    assertThat(DiskIoCheck.isDisk("dm-0")).isFalse();
    assertThat(DiskIoCheck.isDisk("vda")).isTrue();
  }

  @Test
  void receiveAtLinkSpeed() throws Exception {
    CheckResult r = twice(new NetworkCheck(NetworkConfig.defaults()));

    assertThat(r.status()).isEqualTo(Status.CRITICAL);
    assertThat(r.output())
        .isEqualTo("NETWORK CRITICAL - eno1 RX 100.0% of 1000Mb/s; eno1 TX 10.0%");
    assertThat(r.metrics())
        .contains(
            Metric.of(
                "network_receive_bytes_per_second", Map.of("interface", "eno1"), 1.25e8, "B"));
  }

  @Test
  void countersThatWentBackwardsStartOver() {
    long[] before = {10, 0, 10, 10, 0, 0, 0, 0};
    long[] after = {5, 0, 10, 20, 0, 0, 0, 0};
    assertThat(CpuCheck.result(before, after, CpuConfig.defaults(), 1L).output())
        .contains("first sample");
  }

  @Test
  void iowaitSteppingBackStillGivesACpuSample() {
    // proc(5): "iowait ... may decrease in certain conditions" (NO_HZ accounting: sysstat PR #273,
    // hashicorp/nomad #18804, where it panicked a metrics collector); the other counters go on
    long[] before = CpuCheck.parseCpuLine(List.of("cpu  1000 0 500 8000 300 0 0 0 0 0"));
    long[] after = CpuCheck.parseCpuLine(List.of("cpu  1600 0 600 8300 290 0 0 0 0 0"));

    assertThat(CpuCheck.backwards(before, after)).isFalse();
    CheckResult r = CpuCheck.result(before, after, CpuConfig.defaults(), 1L);
    // 700 busy of 1000 ticks: iowait's step back of 10 counts as 0
    assertThat(r.output()).startsWith("CPU OK - 70.0% busy (user 60.0%, system 10.0%, iowait 0.0%");
  }
}
