package io.custos.agent.check.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.agent.check.CheckContext;
import io.custos.agent.check.os.Interfaces;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Further inputs of the NIC fault kinds of issue 10: speed sentinels, selection, error rates. */
class NicKindsTest {
  @TempDir Path root;

  private void nic(String name, String... keyValues) throws Exception {
    Path dir = root.resolve("sys/class/net/" + name);
    Files.createDirectories(dir.resolve("statistics"));
    for (int i = 0; i < keyValues.length; i += 2) {
      Files.writeString(dir.resolve(keyValues[i]), keyValues[i + 1] + "\n");
    }
  }

  private static NicConfig config(List<String> include, List<String> exclude, Double errors) {
    return new NicConfig(null, include, exclude, null, null, errors);
  }

  private List<CheckResult> run(NicCheck check, long millis) {
    return check.run(
        new CheckContext(
            root, Clock.fixed(Instant.ofEpochMilli(1_795_000_000_000L + millis), ZoneOffset.UTC)));
  }

  @Test
  void speedsThatMeanUnknownAreNeverASpeed() throws Exception {
    for (String s : List.of("-1", "0", "65535", "4294967295")) {
      assertThat(Interfaces.speedMbps(Long.parseLong(s))).as(s).isEqualTo(-1);
    }
    assertThat(Interfaces.speedMbps(25000L)).isEqualTo(25000);
    nic("eth0", "operstate", "up", "carrier", "1", "speed", "65535", "flags", "0x1003");

    CheckResult r = run(new NicCheck(NicConfig.defaults()), 0).get(0);

    assertThat(r.output()).isEqualTo("NIC OK - eth0 up, unknown speed");
    assertThat(r.metrics()).extracting(Metric::name).doesNotContain("nic_speed_bits_per_second");
  }

  @Test
  void includeAndExcludeByNameAndGlob() throws Exception {
    nic("eno1", "operstate", "up", "carrier", "1", "flags", "0x1003");
    nic("eno2", "operstate", "up", "carrier", "1", "flags", "0x1003");
    nic("enp0s20u1", "operstate", "down", "carrier", "0", "flags", "0x1002");
    nic("docker0", "operstate", "down", "carrier", "0", "flags", "0x1003");

    List<CheckResult> globbed = run(new NicCheck(config(List.of("en*"), List.of("eno2"), null)), 0);
    // A plain name is judged even though it is administratively down.
    List<CheckResult> named = run(new NicCheck(config(List.of("enp0s20u1"), null, null)), 0);

    assertThat(globbed)
        .extracting(CheckResult::service, CheckResult::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("NIC eno1", Status.OK),
            org.assertj.core.groups.Tuple.tuple("NIC enp0s20u1", Status.OK));
    assertThat(named).extracting(CheckResult::status).containsExactly(Status.CRITICAL);
  }

  @Test
  void errorCountersAreMetricsAndTheirRateIsJudgedAndABackwardsStepKeepsTheVerdict()
      throws Exception {
    nic(
        "eth0",
        "operstate",
        "up",
        "carrier",
        "1",
        "speed",
        "1000",
        "carrier_changes",
        "4",
        "statistics/rx_errors",
        "100",
        "statistics/tx_errors",
        "0",
        "statistics/rx_dropped",
        "7",
        "statistics/rx_crc_errors",
        "100");
    NicCheck check = new NicCheck(config(null, null, 5.0));

    CheckResult first = run(check, 0).get(0);
    Files.writeString(root.resolve("sys/class/net/eth0/statistics/rx_errors"), "1100\n");
    CheckResult burst = run(check, 10_000).get(0);
    // The driver was reloaded: counters start again from 0. One lost sample, same verdict.
    Files.writeString(root.resolve("sys/class/net/eth0/statistics/rx_errors"), "3\n");
    CheckResult reset = run(check, 20_000).get(0);
    Files.writeString(root.resolve("sys/class/net/eth0/statistics/rx_errors"), "4\n");
    CheckResult calm = run(check, 30_000).get(0);

    Map<String, String> label = Map.of("interface", "eth0");
    assertThat(first.status()).isEqualTo(Status.OK);
    assertThat(first.metrics())
        .contains(
            Metric.of("nic_receive_errors_total", label, 100, null),
            Metric.of("nic_receive_drops_total", label, 7, null),
            Metric.of("nic_receive_crc_errors_total", label, 100, null),
            Metric.of("nic_carrier_changes_total", label, 4, null));
    assertThat(burst.status()).isEqualTo(Status.WARNING);
    assertThat(burst.output())
        .isEqualTo("NIC WARNING - eth0 up, 1000Mb/s, 100.0 errors/s (warning 5/s)");
    assertThat(reset.status()).isEqualTo(Status.WARNING);
    assertThat(reset.output()).contains("counter went backwards, last rate kept");
    assertThat(calm.status()).isEqualTo(Status.OK);
  }

  @Test
  void networkSaturationIgnoresAnUnknownSpeedAndLosesABackwardsSample() throws Exception {
    nic(
        "eno1",
        "operstate",
        "up",
        "carrier",
        "1",
        "speed",
        "4294967295",
        "statistics/rx_bytes",
        "1000",
        "statistics/tx_bytes",
        "1000");
    nic(
        "eno2",
        "operstate",
        "up",
        "carrier",
        "1",
        "speed",
        "1000",
        "statistics/rx_bytes",
        "0",
        "statistics/tx_bytes",
        "0");
    NetworkConfig c = new NetworkConfig(null, null, null);
    NetworkCheck check = new NetworkCheck(c);
    Clock t0 = Clock.fixed(Instant.ofEpochMilli(1_795_000_000_000L), ZoneOffset.UTC);
    Clock t1 = Clock.offset(t0, Duration.ofSeconds(1));
    Clock t2 = Clock.offset(t0, Duration.ofSeconds(2));

    check.run(new CheckContext(root, t0));
    Files.writeString(root.resolve("sys/class/net/eno2/statistics/rx_bytes"), "125000000\n");
    CheckResult saturated = check.run(new CheckContext(root, t1)).get(0);
    Files.writeString(root.resolve("sys/class/net/eno2/statistics/rx_bytes"), "10\n");
    CheckResult lost = check.run(new CheckContext(root, t2)).get(0);

    assertThat(saturated.status()).isEqualTo(Status.CRITICAL);
    assertThat(saturated.output()).contains("eno1 speed unknown");
    assertThat(lost.status()).isEqualTo(Status.CRITICAL);
    assertThat(lost.output()).contains("eno2 byte counters went backwards, sample lost");
    assertThat(lost.metrics()).isEmpty();
  }
}
