package io.custos.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.agent.check.CommandRunner;
import io.custos.agent.check.Fixtures;
import io.custos.agent.check.ToolOutput;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code custos-agent check --all}: every result, OK included, with its metrics as perfdata. */
class CheckCommandTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return run(CommandRunner.SYSTEM, args);
  }

  private int run(CommandRunner commands, String... args) {
    AgentMain.Env env =
        new AgentMain.Env(
            Map.of(), dir.resolve("no-such.yml"), Path.of("/"), Clock.systemUTC(), commands);
    return AgentMain.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void allPrintsEveryResultWithItsPerfdataAndExitsWithTheWorst() throws Exception {
    Path cfg = dir.resolve("agent.yml");
    Files.writeString(cfg, "checks:\n  - { type: load }\n  - { type: raid }\n");

    int code =
        run(
            "check",
            "--all",
            "--sample-gap",
            "0",
            "-c",
            cfg.toString(),
            "--root",
            Fixtures.root("no-swap").toString());

    assertThat(code).isEqualTo(1);
    assertThat(out.toString().lines())
        .containsExactly(
            "Load: LOAD WARNING - load average: 7.91, 5.12, 3.40 | 'load1'=7.91;4;8;0"
                + " 'load5'=5.12;3;6;0 'load15'=3.4;2;4;0 'cpu_cores'=2",
            "RAID: RAID OK - no md arrays");
  }

  @Test
  void hardwareChecksWithoutTheirToolsSayWhichPackageToInstall(@TempDir Path emptyBin)
      throws Exception {
    Path cfg = dir.resolve("agent.yml");
    Files.writeString(
        cfg,
        "checks:\n"
            + "  - { type: ipmi, state_directory: "
            + dir
            + " }\n"
            + "  - { type: smart }\n"
            + "  - { type: libvirt, expect_running: [web] }\n");

    int code =
        run(
            ToolOutput.onPath(emptyBin),
            "check",
            "--all",
            "--sample-gap",
            "0",
            "-c",
            cfg.toString());

    assertThat(code).isEqualTo(3);
    assertThat(out.toString().lines())
        .containsExactly(
            "IPMI: IPMI UNKNOWN - ipmitool not found (package ipmitool)",
            "IPMI SEL: IPMI UNKNOWN - ipmitool not found (package ipmitool)",
            "SMART: SMART UNKNOWN - smartctl not found (package smartmontools)",
            "Libvirt: LIBVIRT UNKNOWN - virsh not found (package libvirt-clients)");
  }
}
