package io.custos.agent.check.smart;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.agent.check.CheckContext;
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

/** The smart check end to end through a fake smartctl run as a real process. */
class SmartCheckTest {
  private static final CheckContext CONTEXT = new CheckContext(Path.of("/"), Clock.systemUTC());

  private static SmartConfig config(List<String> devices, List<String> exclude, Duration timeout) {
    return new SmartConfig(
        devices, exclude, null, null, null, null, null, timeout, null, null, null);
  }

  /** smartctl that scans two disks, a healthy NVMe and a failing HDD exiting 216 as it did. */
  private static void fakeSmartctl(Path bin) throws Exception {
    ToolOutput.script(
        bin,
        "smartctl",
        "echo \"$*\" >> "
            + bin.resolve("argv.log")
            + "\n"
            + "case \"$*\" in\n"
            + "  '--scan-open --json') echo '{\"devices\":[{\"name\":\"/dev/nvme0\",\"type\":\"nvme\"},"
            + "{\"name\":\"/dev/sdc\",\"type\":\"sat\"},{\"name\":\"/dev/sdz\",\"type\":\"sat\"}]}' ;;\n"
            + "  *nvme0) cat '"
            + ToolOutput.path("smart", "smartctl-exporter-testdata-nvme-samsung-mzvl21t0hclr.json")
            + "' ;;\n"
            + "  *sdc) cat '"
            + ToolOutput.path(
                "smart", "scrutiny-testdata-smart-fail2-hitachi-usbjmicron-failing.json")
            + "'; exit 216 ;;\n"
            + "  *) echo \"unexpected $*\" >&2; exit 1 ;;\n"
            + "esac");
  }

  @Test
  void everyScannedDiskUnlessExcluded(@TempDir Path bin) throws Exception {
    fakeSmartctl(bin);
    List<CheckResult> r =
        new SmartCheck(config(null, List.of("/dev/sdz"), null), ToolOutput.onPath(bin))
            .run(CONTEXT);
    assertThat(r)
        .extracting(CheckResult::service)
        .containsExactly("SMART /dev/nvme0", "SMART /dev/sdc");
    assertThat(r).extracting(CheckResult::status).containsExactly(Status.OK, Status.CRITICAL);
    assertThat(Files.readAllLines(bin.resolve("argv.log")))
        .containsExactly(
            "--scan-open --json",
            "--json -a --nocheck=standby -d nvme /dev/nvme0",
            "--json -a --nocheck=standby -d sat /dev/sdc");
  }

  @Test
  void listedDevicesAreNotScanned(@TempDir Path bin) throws Exception {
    fakeSmartctl(bin);
    List<CheckResult> r =
        new SmartCheck(config(List.of("/dev/nvme0"), null, null), ToolOutput.onPath(bin))
            .run(CONTEXT);
    assertThat(r).singleElement().extracting(CheckResult::status).isEqualTo(Status.OK);
    assertThat(Files.readAllLines(bin.resolve("argv.log")))
        .containsExactly("--json -a --nocheck=standby /dev/nvme0");
  }

  @Test
  void aHungSmartctlIsKilledAndUnknown(@TempDir Path bin) throws Exception {
    ToolOutput.script(bin, "smartctl", "exec sleep 60");
    List<CheckResult> r =
        new SmartCheck(config(null, null, Duration.ofSeconds(1)), ToolOutput.onPath(bin))
            .run(CONTEXT);
    assertThat(r)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.status()).isEqualTo(Status.UNKNOWN);
              assertThat(x.output())
                  .isEqualTo("SMART UNKNOWN - smartctl timed out after 950ms (killed)");
            });
  }

  @Test
  void withoutSmartmontoolsItSaysWhichPackage(@TempDir Path emptyBin) throws Exception {
    List<CheckResult> r =
        new SmartCheck(SmartConfig.all(), ToolOutput.onPath(emptyBin)).run(CONTEXT);
    assertThat(r)
        .extracting(CheckResult::output)
        .containsExactly("SMART UNKNOWN - smartctl not found (package smartmontools)");
  }
}
