package io.custos.agent.check.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.custos.agent.check.Check;
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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NicAndBondCheckTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochMilli(1_795_783_507_801L), ZoneOffset.UTC);

  private static NicConfig nic(String iface, String expect) {
    return new NicConfig(iface, expect, null);
  }

  private static List<CheckResult> run(Check check, Path root) throws Exception {
    return check.run(new CheckContext(root, CLOCK));
  }

  @Test
  void nicAt100HalfIsBelowExpectedAndTheUnpluggedOneIsDown() throws Exception {
    List<CheckResult> r =
        run(new NicCheck(nic(null, "1000baseT-FD")), Fixtures.root("nic-100-half"));

    // lo and docker0 have no device: not physical, not checked.
    assertThat(r)
        .extracting(CheckResult::service, CheckResult::status, CheckResult::output)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "NIC eth0",
                Status.WARNING,
                "NIC WARNING - eth0 up, 100Mb/s half duplex, expected 1000baseT-FD"),
            org.assertj.core.groups.Tuple.tuple(
                "NIC eth1",
                Status.CRITICAL,
                "NIC CRITICAL - eth1 link down (operstate down, no carrier)"));
    assertThat(r.get(0).metrics())
        .containsExactly(
            Metric.of("nic_up", Map.of("interface", "eth0"), 1, null),
            Metric.of("nic_speed_bits_per_second", Map.of("interface", "eth0"), 1e8, null),
            Metric.of("nic_full_duplex", Map.of("interface", "eth0"), 0, null));
  }

  @Test
  void gigabitIsOkAndAChangeSinceTheLastRunIsWarning(@TempDir Path tmp) throws Exception {
    NicCheck check = new NicCheck(nic("eno1", "1000baseT-FD"));
    assertThat(run(check, Fixtures.root("nic-gigabit")).get(0).output())
        .isEqualTo("NIC OK - eno1 up, 1000Mb/s full duplex");

    Path dir = tmp.resolve("sys/class/net/eno1");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("operstate"), "up\n");
    Files.writeString(dir.resolve("carrier"), "1\n");
    Files.writeString(dir.resolve("speed"), "10000\n");
    Files.writeString(dir.resolve("duplex"), "full\n");
    CheckResult changed = run(check, tmp).get(0);

    assertThat(changed.status()).isEqualTo(Status.WARNING);
    assertThat(changed.output())
        .isEqualTo(
            "NIC WARNING - eno1 up, 10000Mb/s full duplex, changed from 1000Mb/s full duplex");
    assertThat(run(check, tmp).get(0).status()).isEqualTo(Status.OK);
  }

  @Test
  void missingInterfaceIsUnknownAndExpectIsValidated() throws Exception {
    CheckResult r = run(new NicCheck(nic("eth7", null)), Fixtures.root("nic-gigabit")).get(0);
    assertThat(r.status()).isEqualTo(Status.UNKNOWN);
    assertThat(r.output()).startsWith("NIC UNKNOWN - no interface eth7 in ");
    assertThat(NicCheck.Expect.parse("100-HD"))
        .isEqualTo(new NicCheck.Expect(100, false, "100-HD"));
    assertThatThrownBy(() -> nic("eth0", "gigabit")).hasMessageContaining("\"gigabit\"");
  }

  private static BondConfig bond(String iface) {
    return new BondConfig(iface);
  }

  @Test
  void activeBackupBondWithOneSlaveDown() throws Exception {
    CheckResult r = run(new BondCheck(bond(null)), Fixtures.root("bond-slave-down")).get(0);

    assertThat(r.service()).isEqualTo("Bond bond0");
    assertThat(r.status()).isEqualTo(Status.WARNING);
    assertThat(r.output())
        .isEqualTo(
            "BOND WARNING - eno2 down (1 of 2 slaves up) - bond0 fault-tolerance (active-backup),"
                + " 1 of 2 slaves up, active eno1");
    assertThat(r.metrics()).contains(Metric.of("bond_slaves_up", Map.of("bond", "bond0"), 1, null));
  }

  @Test
  void lacpSlaveInAnotherAggregator() throws Exception {
    CheckResult r = run(new BondCheck(bond("bond0")), Fixtures.root("bond-lacp-mismatch")).get(0);

    assertThat(r.status()).isEqualTo(Status.WARNING);
    assertThat(r.output())
        .isEqualTo(
            "BOND WARNING - eno2 in aggregator 2, not the active aggregator 1 (switch ports not in"
                + " one LAG?) - bond0 IEEE 802.3ad Dynamic link aggregation, 2 of 2 slaves up,"
                + " aggregator 1");
  }

  @Test
  void healthyLacpBond() throws Exception {
    CheckResult r = run(new BondCheck(bond(null)), Fixtures.root("bond-lacp-ok")).get(0);
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.output())
        .isEqualTo(
            "BOND OK - bond0 IEEE 802.3ad Dynamic link aggregation, 2 of 2 slaves up, aggregator 1");
  }

  @Test
  void missingBondIsCriticalAndNoBondsIsOk(@TempDir Path empty) throws Exception {
    assertThat(run(new BondCheck(bond("bond1")), Fixtures.root("bond-lacp-ok")).get(0).status())
        .isEqualTo(Status.CRITICAL);
    assertThat(run(new BondCheck(bond(null)), empty).get(0).output())
        .isEqualTo("BOND OK - no bonds");
  }
}
