package io.custos.agent.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.agent.config.AgentConfig;
import io.custos.agent.config.AgentConfigLoader;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Status;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The cases under {@code src/test/resources/cases/}, each rebuilt from a public bug report (see its
 * README), run as {@code custos-agent check --config CASE/agent.yml --root CASE/root} runs them.
 */
class RealWorldCasesTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochMilli(1_795_909_663_000L + 86_400_000L), ZoneOffset.UTC);

  static Path dir(String name) {
    try {
      return Path.of(RealWorldCasesTest.class.getResource("/cases/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every result of one run of the case's configured checks against its root tree. */
  static List<CheckResult> run(String name) throws Exception {
    Path dir = dir(name);
    AgentConfig config = AgentConfigLoader.load(dir.resolve("agent.yml"));
    try (CheckRunner runner = CheckRunner.of(config.checks(), dir.resolve("root"), CLOCK)) {
      return runner.runAll();
    }
  }

  private static CheckResult only(String name) throws Exception {
    List<CheckResult> r = run(name);
    assertThat(r).hasSize(1);
    return r.get(0);
  }

  @Test
  @DisplayName("node-exporter-618-imsm-container")
  void nodeExporter618ImsmContainer() throws Exception {
    CheckResult r = only("node-exporter-618-imsm-container");

    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.output()).isEqualTo("RAID OK - md126 raid0, md127 imsm container (2 members)");
  }

  @Test
  @DisplayName("procfs-770-delayed-scrub")
  void procfs770DelayedScrub() throws Exception {
    CheckResult r = only("procfs-770-delayed-scrub");

    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.output())
        .isEqualTo(
            "RAID OK - md0 raid1 [UU] check 45.5% (finish in 55.6min), md1 raid1 [UU] check"
                + " delayed");
  }

  @Test
  @DisplayName("openmediavault-693-no-active-aggregator")
  void openmediavault693NoActiveAggregator() throws Exception {
    CheckResult r = only("openmediavault-693-no-active-aggregator");

    assertThat(r.status()).isEqualTo(Status.CRITICAL);
    assertThat(r.output())
        .startsWith(
            "BOND CRITICAL - bond0 has no active aggregator (Aggregator ID: N/A on eth1, eth2)");
  }

  @Test
  @DisplayName("psutil-1108-hwmon-device-dir")
  void psutil1108HwmonDeviceDir() throws Exception {
    List<CheckResult> r = run("psutil-1108-hwmon-device-dir");

    assertThat(r)
        .extracting(CheckResult::service, CheckResult::status, CheckResult::output)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "Temperature",
                Status.CRITICAL,
                "TEMPERATURE CRITICAL - Core 0 99C (critical 95C); 1 sensors"),
            org.assertj.core.groups.Tuple.tuple(
                "Fans",
                Status.CRITICAL,
                "FANS CRITICAL - w83627ehf fan1 stopped (0 RPM, minimum 800)"));
  }

  @Test
  @DisplayName("onie-257-operstate-unknown-carrier")
  void onie257OperstateUnknownCarrier() throws Exception {
    assertThat(run("onie-257-operstate-unknown-carrier"))
        .extracting(CheckResult::service, CheckResult::status, CheckResult::output)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "NIC eno1", Status.OK, "NIC OK - eno1 up, 1000Mb/s full duplex"),
            org.assertj.core.groups.Tuple.tuple(
                "NIC enp0s20u1", Status.OK, "NIC OK - enp0s20u1 up, unknown speed"));
  }

  @Test
  @DisplayName("pixelated-79-admin-down-spare")
  void pixelated79AdminDownSpare() throws Exception {
    assertThat(run("pixelated-79-admin-down-spare"))
        .extracting(CheckResult::service, CheckResult::status, CheckResult::output)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "NIC eth0", Status.OK, "NIC OK - eth0 up, 1000Mb/s full duplex"),
            org.assertj.core.groups.Tuple.tuple(
                "NIC eth1", Status.OK, "NIC OK - eth1 administratively down, not judged"));
  }

  @Test
  @DisplayName("machinekit-1419-zombie-pidfile")
  void machinekit1419ZombiePidfile() throws Exception {
    CheckResult r = only("machinekit-1419-zombie-pidfile");

    assertThat(r.status()).isEqualTo(Status.CRITICAL);
    assertThat(r.output())
        .isEqualTo(
            "PROCS CRITICAL - /run/nginx.pid names pid 4242, which is a zombie (State: Z in"
                + " /proc/4242/stat), not running");
  }

  @Test
  @DisplayName("netdata-23673-implausible-sensors")
  void netdata23673ImplausibleSensors() throws Exception {
    CheckResult r = only("netdata-23673-implausible-sensors");

    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.output())
        .isEqualTo(
            "TEMPERATURE OK - hottest SYSTIN 34C of 1 sensors; skipped: nct6793 temp15 3892314.0C"
                + " (outside -55C..150C), it8728 temp2 127C (driver sentinel)");
    assertThat(r.metrics()).hasSize(1);
  }

  @Test
  @DisplayName("nct6775-46-unprogrammed-limits")
  void nct6775UnprogrammedLimits() throws Exception {
    List<CheckResult> r = run("nct6775-46-unprogrammed-limits");

    assertThat(r.get(0).output()).isEqualTo("VOLTAGE OK - 9 voltages in range");
    assertThat(r.get(1).status()).isEqualTo(Status.OK);
    assertThat(r.get(1).output()).startsWith("FANS OK - no fan connected; skipped: nct6776 fan1");
    assertThat(r.get(2).status()).isEqualTo(Status.CRITICAL);
    assertThat(r.get(2).output())
        .startsWith("TEMPERATURE CRITICAL - CPUTIN 123.5C: driver alarm (temp2_alarm), CPUTIN")
        .doesNotContain("SYSTIN 37C: driver alarm");
  }
}
