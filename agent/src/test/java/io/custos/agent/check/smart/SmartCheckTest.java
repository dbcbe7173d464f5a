package io.custos.agent.check.smart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.custos.agent.check.CheckContext;
import io.custos.agent.check.Schedule;
import io.custos.agent.check.ToolOutput;
import io.custos.agent.check.ToolPaths;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The smart check end to end through a fake smartctl run as a real process. */
class SmartCheckTest {
  private static final CheckContext CONTEXT = new CheckContext(Path.of("/"), Clock.systemUTC());

  private static SmartConfig config(List<String> devices, List<String> exclude) {
    return new SmartConfig(devices, exclude, null, null, null, null, null);
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
        new SmartCheck(config(null, List.of("/dev/sdz")), ToolOutput.onPath(bin)).run(CONTEXT);
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
        new SmartCheck(config(List.of("/dev/nvme0"), null), ToolOutput.onPath(bin)).run(CONTEXT);
    assertThat(r).singleElement().extracting(CheckResult::status).isEqualTo(Status.OK);
    assertThat(Files.readAllLines(bin.resolve("argv.log")))
        .containsExactly("--json -a --nocheck=standby /dev/nvme0");
  }

  @Test
  void aHungSmartctlIsKilledAndUnknown(@TempDir Path bin) throws Exception {
    ToolOutput.script(bin, "smartctl", "exec sleep 60");
    List<CheckResult> r =
        new SmartCheck(
                config(null, null),
                new Schedule(null, Duration.ofSeconds(1), null, null, null),
                ToolOutput.onPath(bin))
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

  /** smartctl that scans two SATA disks behind one MegaRAID controller, as scrutiny captured. */
  private static void fakeMegaraidSmartctl(Path bin) throws Exception {
    ToolOutput.script(
        bin,
        "smartctl",
        "case \"$*\" in\n"
            + "  '--scan-open --json') echo '{\"devices\":[{\"name\":\"/dev/sda\",\"type\":\"sat+megaraid,0\"},"
            + "{\"name\":\"/dev/sda\",\"type\":\"sat+megaraid,1\"},{\"name\":\"/dev/sdb\",\"type\":\"scsi\"}]}' ;;\n"
            + "  *megaraid,0*) cat '"
            + ToolOutput.path("smart", "scrutiny-testdata-smart-megaraid0.json")
            + "'; exit 4 ;;\n"
            + "  *megaraid,1*) cat '"
            + ToolOutput.path("smart", "scrutiny-testdata-smart-megaraid1.json")
            + "'; exit 4 ;;\n"
            + "  *sdb) cat '"
            + ToolOutput.path(
                "smart", "synthetic-from-smartctl-exporter-89-intel-raid1-volume.json")
            + "'; exit 4 ;;\n"
            + "  *) echo \"unexpected $*\" >&2; exit 1 ;;\n"
            + "esac");
  }

  @Test
  void twoDisksBehindOneMegaraidAreTwoServicesWithTheirOwnLabels(@TempDir Path bin)
      throws Exception {
    fakeMegaraidSmartctl(bin);
    List<CheckResult> r = new SmartCheck(config(null, null), ToolOutput.onPath(bin)).run(CONTEXT);
    assertThat(r)
        .extracting(CheckResult::service)
        .containsExactly(
            "SMART /dev/sda megaraid,0", "SMART /dev/sda megaraid,1", "SMART /dev/sdb");
    assertThat(r)
        .extracting(CheckResult::status)
        .containsExactly(Status.OK, Status.WARNING, Status.OK);
    assertThat(r.get(1).output())
        .startsWith("SMART WARNING - /dev/sda megaraid,1 ")
        .contains("387 reallocated sectors");
    Map<String, String> disk0 = Map.of("device", "/dev/sda", "controller", "megaraid,0");
    Map<String, String> disk1 = Map.of("device", "/dev/sda", "controller", "megaraid,1");
    assertThat(r.get(0).metrics())
        .contains(Metric.of("smartctl_device_smart_status", disk0, 1, null));
    assertThat(r.get(1).metrics())
        .contains(Metric.of("smartctl_device_smart_status", disk1, 1, null));
    // the serials are equal in this capture (anonymised); the WWN tells the disks apart
    assertThat(r.get(0).metrics())
        .filteredOn(m -> m.name().equals("smartctl_device"))
        .singleElement()
        .extracting(m -> m.labels().get("wwn"))
        .isEqualTo("0x50014ee26101eee7");
    assertThat(r.get(1).metrics())
        .filteredOn(m -> m.name().equals("smartctl_device"))
        .singleElement()
        .extracting(m -> m.labels().get("wwn"))
        .isNotEqualTo("0x50014ee26101eee7");
  }

  @Test
  void aRaidVolumeWithoutSmartIsNotJudgedEveryRunNotUnknown(@TempDir Path bin) throws Exception {
    fakeMegaraidSmartctl(bin);
    SmartCheck check =
        new SmartCheck(config(List.of("/dev/sdb scsi"), null), ToolOutput.onPath(bin));
    for (int run = 0; run < 2; run++) {
      assertThat(check.run(CONTEXT))
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.status()).isEqualTo(Status.OK);
                assertThat(c.output())
                    .isEqualTo(
                        "SMART OK - /dev/sdb Intel Raid 1 Volume: no SMART data (the device"
                            + " reports no SMART capability); not judged");
              });
    }
  }

  @Test
  void aDiskListedTwiceIsRefusedByCheckConfig() {
    assertThatThrownBy(
            () -> config(List.of("/dev/sda  sat+megaraid,1", "/dev/sda sat+megaraid,1"), null))
        .hasMessageStartingWith(
            "devices: \"/dev/sda sat+megaraid,1\" is listed twice; one disk is one service");
    // two disks behind one controller are two entries
    assertThat(
            config(List.of("/dev/sda sat+megaraid,0", "/dev/sda sat+megaraid,1"), null).devices())
        .hasSize(2);
  }

  @Test
  void smartctlFromItsConfiguredPath(@TempDir Path bin) throws Exception {
    fakeMegaraidSmartctl(bin);
    SmartConfig c =
        new SmartConfig(
            List.of("/dev/sda sat+megaraid,1"),
            null,
            null,
            null,
            null,
            null,
            new ToolPaths(bin.resolve("smartctl"), null, null, null, null));
    // A runner whose PATH is an empty folder: only the configured path can answer.
    assertThat(new SmartCheck(c, ToolOutput.onPath(bin.resolve("empty"))).run(CONTEXT))
        .singleElement()
        .extracting(CheckResult::status)
        .isEqualTo(Status.WARNING);
    assertThatThrownBy(() -> new ToolPaths(Path.of("bin/smartctl"), null, null, null, null))
        .hasMessage("smartctl: expected an absolute path, got \"bin/smartctl\"");
  }
}
