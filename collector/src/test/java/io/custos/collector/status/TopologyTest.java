package io.custos.collector.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.custos.collector.config.CollectorConfig;
import io.custos.collector.store.HostRecord;
import io.custos.collector.store.StatePolicy;
import io.custos.common.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Host parents: validation, and UP/DOWN/UNREACHABLE at an instant (the Nagios outage model). */
class TopologyTest {
  private static final StatePolicy POLICY = new StatePolicy(3, 3);
  private static final long T0 = 1_800_000_000_000L;

  private static HostRecord host(String name, long lastReport) {
    return new HostRecord(name, "custos-agent/0.1.0", List.of(), 30, T0, lastReport, T0, 1);
  }

  @Test
  void aSilentHostBehindADownParentIsUnreachableAndTheParentNamesIt() {
    Topology t = new Topology(Map.of("web*", List.of("sw1"), "sw1", List.of("core1")));
    List<HostRecord> hosts = new ArrayList<>();
    hosts.add(host("core1", T0 + 200_000));
    hosts.add(host("sw1", T0));
    hosts.add(host("web01", T0 - 5_000)); // reported just before the switch
    hosts.add(host("web02", T0 + 5_000)); // and just after
    hosts.add(host("db01", T0)); // no parents

    Topology.Snapshot s = t.evaluate(hosts, T0 + 200_000, POLICY, 0);

    assertThat(s.state("core1")).isEqualTo(HostState.UP);
    assertThat(s.state("sw1")).isEqualTo(HostState.DOWN);
    assertThat(s.state("web01")).isEqualTo(HostState.UNREACHABLE);
    assertThat(s.state("web02")).isEqualTo(HostState.UNREACHABLE);
    assertThat(s.state("db01")).isEqualTo(HostState.DOWN);
    assertThat(s.of("sw1").blocking()).containsExactly("web01", "web02");
    assertThat(s.of("sw1").parents()).containsExactly("core1");
    assertThat(s.of("web01").rootCauses()).containsExactly("sw1");
    assertThat(s.of("db01").blocking()).isEmpty();
  }

  @Test
  void aChildDeclaredAbsentBeforeItsParentWaitsForTheParentInsteadOfGoingDown() {
    Topology t = new Topology(Map.of("web*", List.of("sw1")));
    // web01 last reported 10 s before sw1: it is absent 10 s before sw1 is.
    List<HostRecord> hosts = List.of(host("sw1", T0), host("web01", T0 - 10_000));

    Topology.Snapshot between = t.evaluate(hosts, T0 + 85_000, POLICY, 0);
    assertThat(between.state("web01")).as("waits for sw1").isEqualTo(HostState.UP);
    assertThat(between.state("sw1")).isEqualTo(HostState.UP);

    Topology.Snapshot after = t.evaluate(hosts, T0 + 91_000, POLICY, 0);
    assertThat(after.state("sw1")).isEqualTo(HostState.DOWN);
    assertThat(after.state("web01")).isEqualTo(HostState.UNREACHABLE);
  }

  @Test
  void aSilentChildWhoseParentStillReportsIsDown() {
    Topology t = new Topology(Map.of("web*", List.of("sw1")));
    List<HostRecord> hosts = List.of(host("sw1", T0 + 90_000), host("web01", T0));
    Topology.Snapshot s = t.evaluate(hosts, T0 + 91_000, POLICY, 0);
    assertThat(s.state("web01")).isEqualTo(HostState.DOWN);
  }

  @Test
  void withTwoParentsOneUpMakesItDown() {
    Topology t = new Topology(Map.of("web01", List.of("sw1", "sw2")));
    List<HostRecord> hosts = List.of(host("sw1", T0), host("sw2", T0 + 91_000), host("web01", T0));
    assertThat(t.evaluate(hosts, T0 + 100_000, POLICY, 0).state("web01")).isEqualTo(HostState.DOWN);
    List<HostRecord> both = List.of(host("sw1", T0), host("sw2", T0), host("web01", T0));
    Topology.Snapshot s = t.evaluate(both, T0 + 100_000, POLICY, 0);
    assertThat(s.state("web01")).isEqualTo(HostState.UNREACHABLE);
    assertThat(s.of("web01").rootCauses()).containsExactly("sw1", "sw2");
  }

  @Test
  void cutOffNamesTheHostsThatMissedAReportBehindTheRootBeforeTheyAreAbsent() {
    Topology t = new Topology(Map.of("web*", List.of("sw1")));
    // The switch reported at T0 and died at T0+25 s; the webs reported at T0+20 s.
    List<HostRecord> hosts =
        List.of(host("sw1", T0), host("web01", T0 + 20_000), host("web02", T0 + 20_000));
    assertThat(t.cutOff("sw1", hosts, T0 + 91_000, POLICY, 0)).containsExactly("web01", "web02");
    assertThat(t.evaluate(hosts, T0 + 91_000, POLICY, 0).state("web01"))
        .as("not yet absent")
        .isEqualTo(HostState.UP);
  }

  @Test
  void checkConfigRefusesCyclesSelfParentsAndPatternsAsParents() throws Exception {
    assertThatThrownBy(
            () ->
                CollectorConfig.parse(
                    "hosts:\n  parents:\n    sw1: [core1]\n    core1: [sw1]\n", "c.yml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("hosts.parents: the parents form a cycle: core1 -> sw1 -> core1");
    assertThatThrownBy(
            () -> CollectorConfig.parse("hosts: { parents: { \"sw*\": [sw1] } }", "c.yml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("\"sw1\" would be its own parent");
    assertThatThrownBy(
            () -> CollectorConfig.parse("hosts: { parents: { \"web*\": [\"sw*\"] } }", "c.yml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("a parent must be a host name")
        .hasMessageContaining("\"sw*\"");
    assertThatThrownBy(() -> CollectorConfig.parse("hosts: { parents: { web01: [] } }", "c.yml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("hosts.parents.\"web01\": expected a list");
    assertThatThrownBy(() -> CollectorConfig.parse("hosts: { parent: { web01: [sw1] } }", "c.yml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("parent");
    CollectorConfig ok =
        CollectorConfig.parse(
            "hosts: { parents: { \"web*\": [sw1], sw1: [core1] }, notify_unreachable: true }",
            "c.yml");
    assertThat(ok.hosts().notifyUnreachable()).isTrue();
    assertThat(new Topology(ok.hosts().parents()).parentsOf("web07")).containsExactly("sw1");
  }
}
