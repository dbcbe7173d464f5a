package io.custos.agent.check.smart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.custos.agent.check.ToolOutput;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmartParseTest {
  private static final long NOW = 1_700_000_000_000L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String file) throws Exception {
    return JSON.readTree(ToolOutput.read("smart", file));
  }

  private static CheckResult judge(String file, SmartConfig config) throws Exception {
    JsonNode j = json(file);
    return SmartCheck.judge(
        "SMART " + j.path("device").path("name").asText("/dev/sda"),
        j,
        j.path("smartctl").path("exit_status").asInt(),
        config,
        NOW);
  }

  private static CheckResult judge(String file) throws Exception {
    return judge(file, SmartConfig.all());
  }

  @Test
  void healthySataHdd() throws Exception {
    CheckResult r = judge("smartctl-exporter-testdata-sata-hdd-wdc-wd20efrx.json");
    assertThat(r.service()).isEqualTo("SMART /dev/sdb");
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.output()).isEqualTo("SMART OK - /dev/sdb WDC WD20EFRX-68EUZN0: PASSED, 34C");
    assertThat(r.metrics())
        .contains(
            Metric.of(
                "smartctl_device_attribute",
                Map.of(
                    "device", "/dev/sdb",
                    "attribute_id", "5",
                    "attribute_name", "Reallocated_Sector_Ct",
                    "attribute_value_type", "raw"),
                0,
                null),
            Metric.of("smartctl_device_smart_status", Map.of("device", "/dev/sdb"), 1, null),
            Metric.of(
                "smartctl_device_power_on_seconds",
                Map.of("device", "/dev/sdb"),
                47657 * 3600.0,
                "s"));
  }

  @Test
  void healthySataSsd() throws Exception {
    CheckResult r = judge("smartctl-exporter-testdata-sata-ssd-samsung-mz7wd240hafv.json");
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.output()).isEqualTo("SMART OK - /dev/sda SAMSUNG MZ7WD240HAFV-00003: PASSED, 27C");
  }

  @Test
  void healthyNvme() throws Exception {
    CheckResult r = judge("smartctl-exporter-testdata-nvme-samsung-mzvl21t0hclr.json");
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.output())
        .isEqualTo("SMART OK - /dev/nvme0 SAMSUNG MZVL21T0HCLR-00B00: PASSED, 16% used, 29C");
    assertThat(r.metrics())
        .filteredOn(m -> m.name().equals("smartctl_device_temperature"))
        .singleElement()
        .satisfies(m -> assertThat(m.warn()).isEqualTo(70.0));
  }

  @Test
  void nvmeWearAtTheConfiguredLevel() throws Exception {
    SmartConfig wear =
        new SmartConfig(
            null,
            null,
            null,
            null,
            io.custos.common.units.Percent.of(10),
            io.custos.common.units.Percent.of(15),
            null);
    CheckResult r = judge("smartctl-exporter-testdata-nvme-samsung-mzvl21t0hclr.json", wear);
    assertThat(r.status()).isEqualTo(Status.CRITICAL);
    assertThat(r.output()).contains("16% used (critical 15%)");
  }

  @Test
  void nvmeWithMediaErrorsIsWarning() throws Exception {
    CheckResult r = judge("scrutiny-testdata-nvme-samsung-970-evo-media-errors.json");
    assertThat(r.status()).isEqualTo(Status.WARNING);
    assertThat(r.output())
        .isEqualTo(
            "SMART WARNING - /dev/nvme0 Samsung SSD 970 EVO 500GB: 7 media errors, PASSED, 3% used, 35C");
  }

  @Test
  void failingDiskIsCritical() throws Exception {
    CheckResult r = judge("scrutiny-testdata-smart-fail2-hitachi-usbjmicron-failing.json");
    assertThat(r.status()).isEqualTo(Status.CRITICAL);
    assertThat(r.output())
        .isEqualTo(
            "SMART CRITICAL - /dev/sdc Hitachi HDS721050DLE630: FAILED (the drive's own assessment),"
                + " Reallocated_Sector_Ct failing now, errors in the self-test log,"
                + " 1975 reallocated sectors, 8 pending sectors, 56 errors in the error log, 25C");
    assertThat(r.metrics())
        .contains(Metric.of("smartctl_device_smart_status", Map.of("device", "/dev/sdc"), 0, null));
  }

  @Test
  void usbBridgeWithoutSmartIsNoAlarm() throws Exception {
    JsonNode j = json("nas-doctor-225-unknown-usb-bridge.json");
    CheckResult r = SmartCheck.judge("SMART /dev/sda", j, 4, SmartConfig.all(), NOW);
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.output())
        .isEqualTo(
            "SMART OK - /dev/sda: no SMART data (/dev/sda: Unknown USB bridge [...]); not judged");
  }

  @Test
  void standbyDiskIsNotWoken() throws Exception {
    JsonNode j =
        JSON.readTree(
            "{\"smartctl\":{\"exit_status\":2,\"messages\":[{\"string\":\"Device is in STANDBY mode, exit(2)\",\"severity\":\"information\"}]},"
                + "\"device\":{\"name\":\"/dev/sdb\",\"type\":\"sat\"}}");
    CheckResult r = SmartCheck.judge("SMART /dev/sdb", j, 2, SmartConfig.all(), NOW);
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.output()).isEqualTo("SMART OK - /dev/sdb in standby (not woken)");
  }

  @Test
  void permissionDeniedIsUnknown() throws Exception {
    JsonNode j =
        JSON.readTree(
            "{\"smartctl\":{\"exit_status\":2,\"messages\":[{\"string\":\"Smartctl open device: /dev/sda failed: Permission denied\",\"severity\":\"error\"}]},"
                + "\"device\":{\"name\":\"/dev/sda\"}}");
    CheckResult r = SmartCheck.judge("SMART /dev/sda", j, 2, SmartConfig.all(), NOW);
    assertThat(r.status()).isEqualTo(Status.UNKNOWN);
    assertThat(r.output())
        .isEqualTo(
            "SMART UNKNOWN - cannot open /dev/sda: Smartctl open device: /dev/sda failed: Permission denied");
  }

  @Test
  void scanListsDevicesWithTheirType() throws Exception {
    assertThat(
            SmartCheck.parseScan(
                ToolOutput.read("smart", "scrutiny-testdata-smartctl-scan-nvme.json")))
        .containsExactly(new SmartCheck.Device("/dev/nvme0", "nvme"));
    assertThat(
            SmartCheck.parseScan(
                ToolOutput.read("smart", "scrutiny-testdata-smartctl-scan-simple.json")))
        .hasSize(7)
        .first()
        .isEqualTo(new SmartCheck.Device("/dev/sda", "scsi"));
  }

  @Test
  void scsiDiskWithItsTripTemperature() throws Exception {
    CheckResult r = judge("smartctl-exporter-testdata-scsi-hp-mas3735nc.json");
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.output()).isEqualTo("SMART OK - /dev/sdc HP 73.4G MAS3735NC: PASSED, 28C");
    assertThat(r.metrics())
        .filteredOn(m -> m.name().equals("smartctl_device_temperature"))
        .singleElement()
        .satisfies(m -> assertThat(m.crit()).isEqualTo(65.0));
    assertThat(r.metrics())
        .contains(
            Metric.of("smartctl_scsi_grown_defect_list", Map.of("device", "/dev/sdc"), 0, null));
  }
}
