package io.custos.agent.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.custos.agent.check.fs.FilesystemConfig;
import io.custos.agent.check.host.CpuConfig;
import io.custos.agent.check.host.LoadConfig;
import io.custos.agent.check.host.LoadThreshold;
import io.custos.agent.check.ipmi.IpmiConfig;
import io.custos.agent.check.snmp.SnmpConfig;
import io.custos.agent.config.AgentConfig;
import io.custos.agent.config.AgentConfigLoader;
import io.custos.common.config.ConfigException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two-step bind of a {@code checks:} entry: shared keys into {@link Schedule}, the rest into
 * the kind's record. The expected messages are those the one-step bind (every record declaring the
 * shared keys, main at 9a289c3) gave for the same entries, captured before the change.
 */
class CheckConfigTest {
  private static CheckConfig entry(String yaml) throws ConfigException {
    return AgentConfigLoader.parse("checks:\n  - " + yaml + "\n", "agent.yml").checks().get(0);
  }

  private static String error(String yaml) {
    return catchThrowableOfType(
            ConfigException.class,
            () ->
                AgentConfigLoader.parse("checks:\n  - { type: load }\n  - " + yaml + "\n", "a.yml"))
        .getMessage();
  }

  @Test
  void sharedKeysGoToTheScheduleTheRestToTheKind() throws Exception {
    CheckConfig c = entry("{ type: load, warning: 1, name: Busy, interval: 1m, for: 5m }");

    assertThat(c.kind()).isEqualTo(new LoadConfig(LoadThreshold.of(1), null, null));
    assertThat(c.schedule())
        .isEqualTo(
            new Schedule("Busy", Duration.ofMinutes(1), null, Duration.ofMinutes(5), null, null));
    assertThat(c.name()).isEqualTo("Busy");
    assertThat(c.type()).isEqualTo("load");
  }

  @Test
  void aKindSetsItsOwnDefaultsForTheSharedKeys() throws Exception {
    assertThat(entry("{ type: ipmi }").timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(entry("{ type: ipmi, timeout: 5s }").timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(entry("{ type: smart }").timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(entry("{ type: cpu }").schedule().holdFor()).isEqualTo(Duration.ofMinutes(15));
    assertThat(entry("{ type: cpu, for: 0s }").schedule().holdFor()).isEqualTo(Duration.ZERO);
    assertThat(entry("{ type: diskio }").schedule().holdFor()).isEqualTo(Duration.ofMinutes(15));
    assertThat(entry("{ type: network }").schedule().holdFor()).isEqualTo(Duration.ofMinutes(15));
    assertThat(entry("{ type: memory }").schedule()).isEqualTo(Schedule.DEFAULT);
    assertThat(CheckConfig.of(CpuConfig.defaults()))
        .isEqualTo(entry("{ type: cpu }"))
        .isEqualTo(new CheckConfig(CpuConfig.defaults(), CpuConfig.defaults().defaultSchedule()));
    assertThat(CheckConfig.of(IpmiConfig.local()).timeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void theDefaultSetCarriesEachKindsDefaults() {
    assertThat(CheckRegistry.defaults())
        .filteredOn(c -> c.type().equals("cpu"))
        .singleElement()
        .extracting(c -> c.schedule().holdFor())
        .isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void snmpKeepsNameAsTheDevicesName() throws Exception {
    CheckConfig c = entry("{ type: snmp, host: sw1, community_file: /x, name: core-sw1 }");

    assertThat(((SnmpConfig) c.kind()).device()).isEqualTo("core-sw1");
    assertThat(c.name()).isNull();
    assertThat(CheckRegistry.create(c).name()).isEqualTo("SNMP core-sw1");
  }

  @Test
  void smartHasNoNameKey() {
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> entry("{ type: smart, name: Disks }"));

    assertThat(e.line()).isEqualTo(2);
    assertThat(e.key()).isEqualTo("checks[0].name");
    assertThat(e.problem())
        .startsWith("unknown key (known keys: devices, exclude, for, interval, ")
        .doesNotContain(" name,");
  }

  @Test
  void errorsReadAsTheOneStepBindWroteThem() {
    assertThat(error("type: filesystem\n    warnign: 80%"))
        .isEqualTo(
            "a.yml:4: checks[1].warnign: unknown key (known keys: critical, exclude, exclude_types,"
                + " for, interval, mounts, name, stat_timeout, timeout, times, warning, within)");
    assertThat(error("{ type: cpu, interval: 30x }"))
        .isEqualTo(
            "a.yml:3: checks[1].interval: expected a duration such as 500ms, 30s, 15m, 2h or"
                + " 1h30m, got \"30x\"");
    assertThat(error("{ type: cpu, interval: 0s }"))
        .isEqualTo("a.yml:3: checks[1]: interval must be positive, got PT0S");
    assertThat(error("{ type: memory, times: 2 }"))
        .isEqualTo(
            "a.yml:3: checks[1]: times and within go together (e.g. times: 2, within: 3), got"
                + " times: 2, within: null");
    assertThat(error("{ type: memory, times: 4, within: 3 }"))
        .isEqualTo(
            "a.yml:3: checks[1]: times must be at least 1 and at most within (at most 100), got"
                + " times: 4, within: 3");
    assertThat(error("{ type: memory, times: two, within: 3 }"))
        .isEqualTo("a.yml:3: checks[1].times: expected an integer, got \"two\"");
    assertThat(error("{ type: voltage, warning: 1 }"))
        .isEqualTo(
            "a.yml:3: checks[1].warning: unknown key (known keys: for, interval, name, timeout,"
                + " times, within)");
    assertThat(error("{ type: raid, within: 3, times: 1, frequency: 2 }"))
        .isEqualTo(
            "a.yml:3: checks[1].frequency: unknown key (known keys: arrays, for, interval, name,"
                + " timeout, times, within)");
    // The kind's own validation comes before the shared keys', as in the records' constructors.
    assertThat(error("{ type: filesystem, warning: 95%, critical: 90%, interval: 0s }"))
        .isEqualTo("a.yml:3: checks[1]: warning (95%) must be below critical (90%)");
    assertThat(error("{ type: ipmi, tool: openipmi, timeout: 0s }"))
        .isEqualTo("a.yml:3: checks[1]: tool: expected ipmitool or freeipmi, got \"openipmi\"");
    // A nested mapping's unknown key lists that mapping's keys only.
    assertThat(error("{ type: filesystem, mounts: { /var: { warnign: 80% } } }"))
        .isEqualTo(
            "a.yml:3: checks[1].mounts./var.warnign: unknown key (known keys: critical, warning)");
    assertThat(error("{ type: ipmi, paths: { bogus: /x }, timeout: 5s }"))
        .startsWith("a.yml:3: checks[1].paths.bogus: unknown key (known keys: ")
        .doesNotContain("interval");
    assertThat(error("{ type: users, name: [a, b] }"))
        .startsWith("a.yml:3: checks[1].name: expected a string: ");
    assertThat(error("{ type: rayd, interval: 1m }"))
        .startsWith("a.yml:3: checks[1]: unknown check type \"rayd\" (known types: filesystem, ");
    assertThat(error("{ interval: 1m }"))
        .startsWith("a.yml:3: checks[1]: missing key \"type\" (known types: filesystem, ");
  }

  @Test
  void aMountsStatfsMayTakeAtMostHalfTheTimeout() {
    FilesystemConfig c = new FilesystemConfig(null, null, null, null, null, Duration.ofSeconds(8));

    assertThat(c.statTimeout(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(8));
    assertThat(c.statTimeout(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(5));
    assertThat(FilesystemConfig.defaults().statTimeout(Duration.ofSeconds(4)))
        .isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void twoChecksUnderOneNameAreStillRefused() throws Exception {
    AgentConfig c =
        AgentConfigLoader.parse(
            "checks:\n  - { type: load, name: Busy }\n  - { type: cpu, name: Busy }\n", "a.yml");

    assertThat(
            catchThrowableOfType(
                    ConfigException.class,
                    () -> AgentConfigLoader.requireDistinctServices(c, "a.yml"))
                .getMessage())
        .contains("checks[0] and checks[1] both report the service \"Busy\"");
    assertThat(c.checks()).extracting(CheckConfig::name).isEqualTo(List.of("Busy", "Busy"));
  }
}
