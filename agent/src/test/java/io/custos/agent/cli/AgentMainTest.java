package io.custos.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.agent.check.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentMainTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> envVars, String... args) {
    AgentMain.Env env = new AgentMain.Env(envVars, dir.resolve("no-such-agent.yml"), Path.of("/"));
    return AgentMain.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private int run(String... args) {
    return run(Map.of(), args);
  }

  private Path config(String yaml) throws Exception {
    Path file = dir.resolve("agent.yml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void checkPrintsOnlyProblemsAndExitsWithTheWorstStatus() throws Exception {
    Path cfg = config("checks:\n  - { type: load }\n  - { type: memory }\n");

    int code =
        run("check", "--config", cfg.toString(), "--root", Fixtures.root("no-swap").toString());

    assertThat(code).isEqualTo(2);
    assertThat(out.toString().lines())
        .containsExactly(
            "Load: LOAD WARNING - load average: 7.91, 5.12, 3.40",
            "Memory: MEMORY CRITICAL - 96% used (1.8 GiB of 1.9 GiB, 0.1 GiB available)");
  }

  @Test
  void checkReportsEveryLocalProblemOfADegradedServerFixture() throws Exception {
    Path cfg =
        config(
            """
            checks:
              - { type: load }
              - { type: raid }
              - { type: nic, expect: 1000baseT-FD }
              - { type: bond, interface: bond0 }
              - { type: temperature, warning: 75C, critical: 90C }
              - { type: fans }
              - { type: voltage }
              - { type: process, name: sshd, match: sshd }
            """);

    int code =
        run("check", "-c", cfg.toString(), "--root", Fixtures.root("degraded-server").toString());

    assertThat(code).isEqualTo(2);
    assertThat(out.toString().lines())
        .containsExactly(
            "RAID: RAID CRITICAL - md0 degraded: sdb1 failed (1 of 2 members); ok: md1 raid1 [UU]",
            "NIC eth0: NIC WARNING - eth0 up, 100Mb/s half duplex, expected 1000baseT-FD",
            "NIC eth1: NIC CRITICAL - eth1 link down (operstate down, no carrier)",
            "Bond bond0: BOND WARNING - eno2 down (1 of 2 slaves up) - bond0 fault-tolerance"
                + " (active-backup), 1 of 2 slaves up, active eno1",
            "Temperature: TEMPERATURE CRITICAL - Package id 0 97C (critical 90C), Core 0 96C"
                + " (critical 90C), x86_pkg_temp (thermal_zone0) 97C (critical 90C); 7 sensors",
            "Fans: FANS CRITICAL - nct6775 fan1 stopped (0 RPM, minimum 300); ok: nct6775 fan2"
                + " 1135 RPM; skipped: nct6775 fan3 (never spun)",
            "Voltages: VOLTAGE CRITICAL - +3.3V 2.90V (range 3.14V-3.47V); power 185.0W",
            "sshd: PROCS CRITICAL - 0 processes matching sshd, expected at least 1");
  }

  @Test
  void checkPrintsNothingWhenAllIsOk() throws Exception {
    Path cfg = config("checks:\n  - { type: load }\n  - { type: memory }\n");

    int code =
        run("check", "-c", cfg.toString(), "--root", Fixtures.root("debian-server").toString());

    assertThat(code).isZero();
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void checkOfABrokenTreeIsUnknown() throws Exception {
    Path cfg = config("checks:\n  - { type: load }\n");

    int code = run("check", "-c", cfg.toString(), "--root", dir.toString());

    assertThat(code).isEqualTo(3);
    assertThat(out.toString()).startsWith("Load: LOAD UNKNOWN - no such file: ");
  }

  @Test
  void checkWithABadConfigIsUnknown() throws Exception {
    Path cfg = config("checks:\n  - { type: rayd }\n");

    assertThat(run("check", "-c", cfg.toString())).isEqualTo(3);
    assertThat(err.toString()).contains("unknown check type \"rayd\"");
  }

  @Test
  void checkConfigAcceptsAGoodFile() throws Exception {
    Path token = dir.resolve("agent.token");
    Files.writeString(token, "abc\n");
    Path cfg = config("node: web01\ncollector: { token_file: " + token + " }\n");

    assertThat(run("check-config", "--config", cfg.toString())).isZero();
    assertThat(out.toString()).isEqualTo("OK: " + cfg + System.lineSeparator());
  }

  @Test
  void checkConfigNamesFileLineAndKey() throws Exception {
    Path cfg = config("node: web01\nintervall: 30s\n");

    assertThat(run("check-config", "--config", cfg.toString())).isEqualTo(2);
    assertThat(err.toString()).startsWith(cfg + ":2: intervall: unknown key");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void checkConfigRejectsAnUnreadableTokenFile() throws Exception {
    Path cfg = config("collector: { token_file: " + dir.resolve("missing.token") + " }\n");

    assertThat(run("check-config", "--config", cfg.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("collector.token_file").contains("no such file");
  }

  @Test
  void checkConfigRefusesTwoCommandChecksWithTheSameServiceName() throws Exception {
    Path cfg =
        config(
            "checks:\n"
                + "  - { type: load }\n"
                + "  - { type: command, name: Current Users, command: \"/bin/true\" }\n"
                + "  - { type: command, name: Current Users, command: \"/bin/false\" }\n");

    assertThat(run(Map.of("CUSTOS_TOKEN", "t"), "check-config", "--config", cfg.toString()))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains(cfg.toString())
        .contains("checks[1] and checks[2] both report the service \"Current Users\"");
  }

  @Test
  void checkConfigRefusesTwoChecksWhoseOwnNamesCollide() throws Exception {
    Path cfg =
        config(
            "checks:\n"
                + "  - { type: tcp, host: db01, port: 5432, warning: 200ms, critical: 1s }\n"
                + "  - { type: tcp, host: db01, port: 5432, critical: 5s }\n");

    assertThat(run(Map.of("CUSTOS_TOKEN", "t"), "check-config", "--config", cfg.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("both report the service \"TCP db01:5432\"");
  }

  @Test
  void runRefusesTwoChecksWithTheSameServiceNameToo() throws Exception {
    Path cfg =
        config(
            "spool: { directory: "
                + dir.resolve("spool")
                + " }\nchecks:\n  - { type: load }\n  - { type: load, interval: 5m }\n");

    assertThat(run(Map.of("CUSTOS_TOKEN", "t"), "run", "--config", cfg.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("both report the service \"Load\"");
  }

  @Test
  void checkConfigWithoutAFileValidatesTheDefaults() {
    assertThat(run(Map.of("CUSTOS_TOKEN", "t"), "check-config")).isZero();
    assertThat(out.toString()).startsWith("OK: (defaults)");
  }

  @Test
  void runWithoutAnyTokenFailsAtStart() throws Exception {
    Path cfg = config("spool: { directory: " + dir.resolve("spool") + " }\n");

    assertThat(run("run", "--config", cfg.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("CUSTOS_TOKEN");
  }

  @Test
  void usageErrorsExitThree() {
    assertThat(run("check", "--bogus")).isEqualTo(3);
    assertThat(run()).isEqualTo(3);
    assertThat(run("frobnicate")).isEqualTo(3);
  }

  @Test
  void helpEverywhereListsExitCodes() {
    for (String[] args :
        new String[][] {
          {"--help"}, {"run", "--help"}, {"check", "--help"}, {"check-config", "-h"}
        }) {
      out.getBuffer().setLength(0);
      assertThat(run(args)).isZero();
      assertThat(out.toString()).contains("Exit codes").contains("Usage:");
    }
  }

  @Test
  void versionIsPrinted() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).startsWith("custos-agent ");
  }
}
