package io.custos.agent.check.ipmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.custos.agent.check.CheckContext;
import io.custos.agent.check.Schedule;
import io.custos.agent.check.ToolOutput;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ipmi check end to end: fake ipmitool / FreeIPMI programs run as real processes. */
public class IpmiCheckTest {
  private static final CheckContext CONTEXT = new CheckContext(Path.of("/"), Clock.systemUTC());

  private static IpmiConfig config(String tool, Path state, String host) {
    return new IpmiConfig(
        tool,
        host,
        host == null ? null : "monitor",
        host == null ? null : Path.of("/etc/custos/bmc.password"),
        null,
        null,
        null,
        null,
        null,
        state,
        null);
  }

  /** A fake ipmitool that answers sdr elist, sensor and sel elist from fixtures, logging argv. */
  private static void fakeIpmitool(Path bin, String sdr, String sel) throws Exception {
    ToolOutput.script(
        bin,
        "ipmitool",
        "echo \"$*\" >> "
            + bin.resolve("argv.log")
            + "\n"
            + "case \"$*\" in\n"
            + "  *'sdr elist') cat '"
            + ToolOutput.path("ipmi", sdr)
            + "' ;;\n"
            + "  *sensor) cat '"
            + ToolOutput.path("ipmi", "ipmi-fancontrol-ng-1-supermicro-ipmitool-sensor.txt")
            + "' ;;\n"
            + "  *'sel elist') cat '"
            + bin.resolve(sel)
            + "' ;;\n"
            + "  *) echo \"unexpected $*\" >&2; exit 1 ;;\n"
            + "esac");
  }

  @Test
  void ipmitoolSensorsAndNewSelEntriesAcrossTwoRuns(@TempDir Path bin, @TempDir Path state)
      throws Exception {
    Files.writeString(
        bin.resolve("sel.txt"), ToolOutput.read("ipmi", "sos-2015-ipmitool-sel-elist.txt"));
    fakeIpmitool(bin, "inxi-138-supermicro-ipmitool-sdr-elist.txt", "sel.txt");
    IpmiCheck check = new IpmiCheck(config(null, state, null), ToolOutput.onPath(bin));

    List<CheckResult> first = check.run(CONTEXT);
    assertThat(first).extracting(CheckResult::service).containsExactly("IPMI", "IPMI SEL");
    assertThat(first.get(0).status()).isEqualTo(Status.OK);
    assertThat(first.get(0).output()).isEqualTo("IPMI OK - 17 sensors, 8 without reading");
    assertThat(first.get(1).output()).contains("3 entries in the SEL");

    Files.writeString(
        bin.resolve("sel.txt"),
        ToolOutput.read("ipmi", "ipmitool-385-quanta-ipmitool-sel-elist-ecc.txt"),
        java.nio.file.StandardOpenOption.APPEND);
    List<CheckResult> second = check.run(CONTEXT);
    assertThat(second.get(1).status()).isEqualTo(Status.WARNING);
    assertThat(second.get(1).output()).contains("1 new entry: #3a 12/14/22");
    assertThat(Files.readAllLines(state.resolve("ipmi-sel-local.state"))).hasSize(4);

    assertThat(Files.readAllLines(bin.resolve("argv.log")))
        .startsWith("sdr elist", "sensor", "sel elist");
  }

  @Test
  void remoteBmcGetsThePasswordFileNeverThePassword(@TempDir Path bin, @TempDir Path state)
      throws Exception {
    Files.writeString(bin.resolve("sel.txt"), "");
    fakeIpmitool(bin, "inxi-138-supermicro-ipmitool-sdr-elist.txt", "sel.txt");
    IpmiCheck check =
        new IpmiCheck(config(null, state, "db1-bmc.example.net"), ToolOutput.onPath(bin));
    List<CheckResult> r = check.run(CONTEXT);
    assertThat(r.get(0).service()).isEqualTo("IPMI db1-bmc.example.net");
    assertThat(Files.readAllLines(bin.resolve("argv.log")).get(0))
        .isEqualTo(
            "-I lanplus -H db1-bmc.example.net -U monitor -f /etc/custos/bmc.password sdr elist");
  }

  @Test
  void freeIpmiCommands(@TempDir Path bin, @TempDir Path state) throws Exception {
    ToolOutput.script(
        bin,
        "ipmi-sensors",
        "echo \"$*\" > "
            + bin.resolve("argv.log")
            + "\ncat '"
            + ToolOutput.path("ipmi", "check-ipmi-sensor-67-psu-redundancy-ipmi-sensors.txt")
            + "'");
    ToolOutput.script(
        bin,
        "ipmi-sel",
        "echo \"$*\" > "
            + bin.resolve("sel-argv.log")
            + "\necho 'ID | Date | Time | Name | Type | Event'");
    List<CheckResult> r =
        new IpmiCheck(config("freeipmi", state, null), ToolOutput.onPath(bin)).run(CONTEXT);
    assertThat(r.get(0).output()).isEqualTo("IPMI OK - 5 sensors, 2 without reading");
    assertThat(r.get(1).output()).startsWith("IPMI SEL OK - 0 entries");
    assertThat(Files.readString(bin.resolve("argv.log")).strip())
        .isEqualTo("--output-sensor-state --output-sensor-thresholds --comma-separated-output");
    // the BMC's own interpretation of each SEL entry (State) is asked for
    assertThat(Files.readString(bin.resolve("sel-argv.log")).strip())
        .isEqualTo("--output-event-state");
  }

  @Test
  void aHungIpmitoolIsKilledAndUnknown(@TempDir Path bin, @TempDir Path state) throws Exception {
    ToolOutput.script(bin, "ipmitool", "echo $$ > " + bin.resolve("pid") + "\nexec sleep 60");
    List<CheckResult> r =
        new IpmiCheck(
                config(null, state, null),
                new Schedule(null, Duration.ofSeconds(1), null, null, null),
                ToolOutput.onPath(bin))
            .run(CONTEXT);
    assertThat(r).extracting(CheckResult::status).containsOnly(Status.UNKNOWN);
    assertThat(r.get(0).output())
        .matches("IPMI UNKNOWN - .*ipmitool timed out after 950ms \\(killed\\)");
    long pid = Long.parseLong(Files.readString(bin.resolve("pid")).strip());
    // The kill is asynchronous: wait for the process to be gone.
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
  }

  @Test
  void aFailingIpmitoolIsUnknownWithItsError(@TempDir Path bin, @TempDir Path state)
      throws Exception {
    ToolOutput.script(
        bin,
        "ipmitool",
        "echo 'Could not open device at /dev/ipmi0 or /dev/ipmi/0 or /dev/ipmidev/0: No such file or directory' >&2\nexit 1");
    List<CheckResult> r =
        new IpmiCheck(config(null, state, null), ToolOutput.onPath(bin)).run(CONTEXT);
    assertThat(r.get(0).status()).isEqualTo(Status.UNKNOWN);
    assertThat(r.get(0).output()).startsWith("IPMI UNKNOWN - exit 1: Could not open device");
  }

  @Test
  void withoutIpmitoolInstalledItSaysWhichPackage(@TempDir Path state, @TempDir Path emptyBin)
      throws Exception {
    List<CheckResult> r =
        new IpmiCheck(config(null, state, null), ToolOutput.onPath(emptyBin)).run(CONTEXT);
    assertThat(r)
        .extracting(CheckResult::output)
        .containsExactly(
            "IPMI UNKNOWN - ipmitool not found (package ipmitool)",
            "IPMI UNKNOWN - ipmitool not found (package ipmitool)");
  }

  @Test
  void configErrorsNameTheKey() {
    assertThatThrownBy(() -> config("openipmi", null, null))
        .hasMessage("tool: expected ipmitool or freeipmi, got \"openipmi\"");
    assertThatThrownBy(
            () -> new IpmiConfig(null, "bmc", null, null, null, null, null, null, null, null, null))
        .hasMessageStartingWith("password_file: required with host");
  }
}
