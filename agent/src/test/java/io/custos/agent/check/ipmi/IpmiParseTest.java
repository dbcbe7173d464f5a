package io.custos.agent.check.ipmi;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.agent.check.Celsius;
import io.custos.agent.check.ToolOutput;
import io.custos.agent.check.ipmi.IpmiSensors.Kind;
import io.custos.agent.check.ipmi.IpmiSensors.Sensor;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpmiParseTest {
  private static final long NOW = 1_700_000_000_000L;
  private static final IpmiConfig DEFAULTS = IpmiConfig.local();

  private static List<Sensor> sdr(String file) throws Exception {
    return IpmiSensors.parseSdr(ToolOutput.read("ipmi", file));
  }

  private static List<Sensor> freeIpmi(String file) throws Exception {
    return IpmiSensors.parseFreeIpmi(ToolOutput.read("ipmi", file));
  }

  @Test
  void supermicroSdrElistIsOkAndNoReadingDimmsAreNoAlarm() throws Exception {
    List<Sensor> s = sdr("inxi-138-supermicro-ipmitool-sdr-elist.txt");
    assertThat(s).hasSize(25);
    assertThat(s.get(0))
        .isEqualTo(
            new Sensor(
                "01h",
                "CPU1 Temp",
                Kind.TEMPERATURE,
                33.0,
                Status.OK,
                "",
                IpmiSensors.Thresholds.NONE));
    assertThat(s.get(13).value()).isNull();

    CheckResult r = IpmiCheck.judge("IPMI", s, DEFAULTS, NOW);
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.output()).isEqualTo("IPMI OK - 17 sensors, 8 without reading");
    assertThat(r.metrics())
        .contains(
            new Metric(
                "ipmi_temperature_celsius",
                Map.of("id", "01h", "name", "CPU1 Temp"),
                33,
                "C",
                null,
                null,
                null,
                null));
  }

  @Test
  void dellDisabledProbesAndDeassertedStatesAreOk() throws Exception {
    CheckResult r =
        IpmiCheck.judge(
            "IPMI",
            sdr("dell-idrac-fan-controller-36-r710-ipmitool-sdr-elist-all.txt"),
            DEFAULTS,
            NOW);
    assertThat(r.status()).isEqualTo(Status.OK);
    // 1 temperature, CMOS Battery (ok, no text) and 11 "State Deasserted"
    assertThat(r.output()).isEqualTo("IPMI OK - 13 sensors, 11 without reading");
  }

  @Test
  void hpeSdrListHasWattsAndFanPercent() throws Exception {
    List<Sensor> s = sdr("collectd-819-hpe-dl380-g7-ipmitool-sdr.txt");
    assertThat(s)
        .filteredOn(x -> x.kind() == Kind.POWER)
        .extracting(Sensor::value)
        .containsExactly(35.0, 155.0);
    CheckResult r = IpmiCheck.judge("IPMI", s, DEFAULTS, NOW);
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.metrics())
        .filteredOn(m -> m.name().equals("ipmi_fan_speed_ratio"))
        .extracting(Metric::value)
        .startsWith(0.4351);
    assertThat(r.metrics())
        .filteredOn(m -> m.name().equals("ipmi_power_watts"))
        .extracting(Metric::value)
        .containsExactly(35.0, 155.0);
  }

  @Test
  void ipmitoolSensorGivesTheBmcThresholds() throws Exception {
    List<Sensor> hpe =
        IpmiSensors.parseIpmitoolSensor(
            ToolOutput.read("ipmi", "pve-mods-93-hpe-dl360p-g8-ipmitool-sensor.txt"));
    assertThat(hpe.get(2).name()).isEqualTo("01-Inlet Ambient");
    assertThat(hpe.get(2).limits())
        .isEqualTo(new IpmiSensors.Thresholds(null, null, null, 40.0, 42.0, 46.0));
    List<Sensor> smc =
        IpmiSensors.parseIpmitoolSensor(
            ToolOutput.read("ipmi", "ipmi-fancontrol-ng-1-supermicro-ipmitool-sensor.txt"));
    assertThat(smc.get(0).limits())
        .isEqualTo(new IpmiSensors.Thresholds(5.0, 5.0, 10.0, 90.0, 95.0, 95.0));
    assertThat(smc.get(3).value()).isNull();

    CheckResult r = IpmiCheck.judge("IPMI", smc, DEFAULTS, NOW);
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.metrics().get(0).warn()).isEqualTo(90.0);
    assertThat(r.metrics().get(0).crit()).isEqualTo(95.0);
  }

  @Test
  void bmcThresholdsJudgeAndConfiguredOnesWin() throws Exception {
    List<Sensor> hpe =
        IpmiSensors.parseIpmitoolSensor(
            ToolOutput.read("ipmi", "pve-mods-93-hpe-dl360p-g8-ipmitool-sensor.txt"));
    // The inlet at 32C is below its own 40C/42C; a configured 30C warning makes it WARNING.
    assertThat(IpmiCheck.judge("IPMI", hpe, DEFAULTS, NOW).status()).isEqualTo(Status.OK);
    IpmiConfig strict =
        new IpmiConfig(
            null,
            null,
            null,
            null,
            null,
            Celsius.parse("30C"),
            Celsius.parse("60C"),
            null,
            null,
            null,
            null);
    CheckResult r = IpmiCheck.judge("IPMI", hpe, strict, NOW);
    assertThat(r.status()).isEqualTo(Status.WARNING);
    assertThat(r.output()).startsWith("IPMI WARNING - 01-Inlet Ambient 32C (warning 30C), ");
  }

  @Test
  void thresholdsAreMatchedByNameAndOccurrence() {
    List<Sensor> sdr =
        IpmiSensors.parseSdr(
            "Temp | 01h | ok | 3.1 | 40 degrees C\nTemp | 02h | ok | 3.2 | 80 degrees C\n");
    List<Sensor> limits =
        IpmiSensors.parseIpmitoolSensor(
            "Temp | 40.000 | degrees C | ok | na | 3.000 | 8.000 | 85.000 | 90.000 | na\n"
                + "Temp | 80.000 | degrees C | ok | na | 3.000 | 8.000 | 70.000 | 75.000 | na\n");
    CheckResult r = IpmiCheck.judge("IPMI", IpmiSensors.withThresholds(sdr, limits), DEFAULTS, NOW);
    assertThat(r.status()).isEqualTo(Status.CRITICAL);
    assertThat(r.output()).startsWith("IPMI CRITICAL - Temp 80C (critical 75C); 2 sensors");
  }

  @Test
  void failingServerIsCriticalAndTheImplausibleReadingIsSkipped() throws Exception {
    CheckResult r =
        IpmiCheck.judge(
            "IPMI", sdr("synthetic-from-inxi-138-supermicro-failing-sdr-elist.txt"), DEFAULTS, NOW);
    assertThat(r.status()).isEqualTo(Status.CRITICAL);
    assertThat(r.output())
        .isEqualTo(
            "IPMI CRITICAL - CPU2 Temp 101C (BMC says CRITICAL), FAN1 0 RPM (BMC says CRITICAL),"
                + " PS2 Status: Presence detected, Power Supply AC lost,"
                + " PS Redundancy: Redundancy Lost, Chassis Intru: General Chassis intrusion;"
                + " 11 sensors, 1 without reading;"
                + " skipped: SYSTIN 3892314C (outside -55C..150C)");
    assertThat(r.metrics())
        .extracting(Metric::name)
        .doesNotContainNull()
        .contains("ipmi_voltage_volts", "ipmi_power_watts", "ipmi_sensor_state");
    assertThat(r.metrics()).filteredOn(m -> m.labels().get("name").equals("SYSTIN")).isEmpty();
  }

  @Test
  void ignoredSensorsAreNeitherJudgedNorReported() throws Exception {
    IpmiConfig ignore =
        new IpmiConfig(
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            List.of("CPU2*", "FAN1", "PS*", "Chassis*"),
            null,
            null,
            null);
    CheckResult r =
        IpmiCheck.judge(
            "IPMI", sdr("synthetic-from-inxi-138-supermicro-failing-sdr-elist.txt"), ignore, NOW);
    assertThat(r.status()).isEqualTo(Status.OK);
  }

  @Test
  void freeIpmiTableWithStateSkipsOemSensors() throws Exception {
    List<Sensor> s = freeIpmi("ipmi-exporter-31-supermicro-h8dgu-ipmimonitoring.txt");
    assertThat(s).hasSize(11);
    assertThat(s.get(2))
        .isEqualTo(
            new Sensor(
                "138",
                "System Temp",
                Kind.TEMPERATURE,
                25.0,
                Status.OK,
                "",
                IpmiSensors.Thresholds.NONE));
    assertThat(s.get(10).event()).isEqualTo("Presence detected");
    CheckResult r = IpmiCheck.judge("IPMI", s, DEFAULTS, NOW);
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.output()).isEqualTo("IPMI OK - 9 sensors, 2 without reading");
  }

  @Test
  void freeIpmiCsvWithoutHeader() throws Exception {
    List<Sensor> s = freeIpmi("ipmi-exporter-54-hpe-ipmi-sensors-comma.txt");
    assertThat(s).hasSize(9);
    assertThat(s.get(1))
        .isEqualTo(
            new Sensor(
                "38",
                "38-Battery Zone",
                Kind.TEMPERATURE,
                34.0,
                Status.OK,
                "",
                IpmiSensors.Thresholds.NONE));
    assertThat(IpmiCheck.judge("IPMI", s, DEFAULTS, NOW).output())
        .isEqualTo("IPMI OK - 3 sensors, 6 without reading");
  }

  @Test
  void freeIpmiThresholdColumns() throws Exception {
    List<Sensor> s = freeIpmi("check-ipmi-sensor-66-supermicro-ipmi-sensors-thresholds.txt");
    assertThat(s.get(2).limits())
        .isEqualTo(new IpmiSensors.Thresholds(-9.0, -7.0, -5.0, 80.0, 85.0, 90.0));
    assertThat(IpmiCheck.judge("IPMI", s, DEFAULTS, NOW).status()).isEqualTo(Status.OK);
  }

  @Test
  void psuPresenceAndFullRedundancyAreOk() throws Exception {
    List<Sensor> s = freeIpmi("check-ipmi-sensor-67-psu-redundancy-ipmi-sensors.txt");
    assertThat(s).extracting(Sensor::event).contains("Presence detected", "Fully Redundant");
    CheckResult r = IpmiCheck.judge("IPMI", s, DEFAULTS, NOW);
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.output()).isEqualTo("IPMI OK - 5 sensors, 2 without reading");
  }

  @Test
  void discreteStatesOfFailureAndRedundancy() {
    assertThat(IpmiCheck.eventStatus("Presence detected")).isEqualTo(Status.OK);
    assertThat(IpmiCheck.eventStatus("Fully Redundant")).isEqualTo(Status.OK);
    assertThat(IpmiCheck.eventStatus("Presence detected, Failure detected"))
        .isEqualTo(Status.CRITICAL);
    assertThat(IpmiCheck.eventStatus("Power Supply input lost (AC/DC)")).isEqualTo(Status.CRITICAL);
    assertThat(IpmiCheck.eventStatus("Non-Redundant: Insufficient Resources"))
        .isEqualTo(Status.CRITICAL);
    assertThat(IpmiCheck.eventStatus("Redundancy Degraded")).isEqualTo(Status.WARNING);
    assertThat(IpmiCheck.eventStatus("Presence detected, Predictive Failure"))
        .isEqualTo(Status.WARNING);
  }

  @Test
  void selEntriesOfBothTools() throws Exception {
    List<IpmiSel.Entry> e =
        IpmiSel.parse(ToolOutput.read("ipmi", "ipmitool-385-quanta-ipmitool-sel-elist-ecc.txt"));
    assertThat(e)
        .containsExactly(
            new IpmiSel.Entry(
                "3a",
                "12/14/22",
                "23:09:44 CET",
                "Memory #0x88",
                "Correctable ECC (CPU0_G1)",
                "Asserted"));
    assertThat(e.get(0).severity()).isEqualTo(Status.WARNING);
    List<IpmiSel.Entry> f =
        IpmiSel.parse(
            "ID  | Date        | Time     | Name             | Type          | Event\n"
                + "1   | Feb-14-2019 | 10:21:05 | CPU 1 DIMM A1    | Memory        | Uncorrectable memory error\n");
    assertThat(f.get(0).sensor()).isEqualTo("Memory CPU 1 DIMM A1");
    assertThat(f.get(0).severity()).isEqualTo(Status.CRITICAL);
    List<IpmiSel.Entry> sos =
        IpmiSel.parse(ToolOutput.read("ipmi", "sos-2015-ipmitool-sel-elist.txt"));
    assertThat(sos)
        .extracting(IpmiSel.Entry::severity)
        .containsExactly(Status.OK, Status.OK, Status.OK);
  }

  @Test
  void freeIpmiSelWithAStateColumnIsReadByItsHeader(@TempDir Path dir) throws Exception {
    String all =
        ToolOutput.read("ipmi", "check-ipmi-sensor-66-supermicro-ipmi-sel-event-state.txt");
    List<IpmiSel.Entry> e = IpmiSel.parse(all);
    assertThat(e.get(2))
        .isEqualTo(
            new IpmiSel.Entry(
                "3",
                "Dec-09-2024",
                "21:12:29",
                "Power Supply Power Supply 2 PS2 Status",
                "Power Supply Failure detected",
                "",
                "Critical"));
    assertThat(e).extracting(IpmiSel.Entry::severity).containsOnly(Status.CRITICAL);

    // the power supply entry arriving after the baseline is a new CRITICAL entry, by name
    String before = all.substring(0, all.lastIndexOf("3    |"));
    IpmiSel memory = new IpmiSel(dir.resolve("sel.state"));
    IpmiCheck.selResult("IPMI SEL", IpmiSel.parse(before), memory, NOW);
    CheckResult r = IpmiCheck.selResult("IPMI SEL", IpmiSel.parse(all), memory, NOW);
    assertThat(r.status()).isEqualTo(Status.CRITICAL);
    assertThat(r.output()).contains("Power Supply Failure detected");

    // the same lines without the header (--no-header-output) are read alike
    List<IpmiSel.Entry> bare = IpmiSel.parse(all.substring(all.indexOf('\n') + 1));
    assertThat(bare).isEqualTo(e);
  }

  @Test
  void newSelEntriesAcrossRunsAndAClearedLogDoesNotReplay(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("state/ipmi-sel-local.state");
    String old = ToolOutput.read("ipmi", "sos-2015-ipmitool-sel-elist.txt");
    String ecc = ToolOutput.read("ipmi", "ipmitool-385-quanta-ipmitool-sel-elist-ecc.txt");

    IpmiSel memory = new IpmiSel(file);
    CheckResult first = IpmiCheck.selResult("IPMI SEL", IpmiSel.parse(old), memory, NOW);
    assertThat(first.status()).isEqualTo(Status.OK);
    assertThat(first.output())
        .isEqualTo("IPMI SEL OK - 3 entries in the SEL; new entries are reported from now on");

    // A restarted agent reads what was seen from the file: the ECC entry is the only new one.
    IpmiSel restarted = new IpmiSel(file);
    CheckResult second = IpmiCheck.selResult("IPMI SEL", IpmiSel.parse(old + ecc), restarted, NOW);
    assertThat(second.status()).isEqualTo(Status.WARNING);
    assertThat(second.output())
        .isEqualTo(
            "IPMI SEL WARNING - 1 new entry: #3a 12/14/22 23:09:44 CET Memory #0x88:"
                + " Correctable ECC (CPU0_G1) Asserted");

    CheckResult third = IpmiCheck.selResult("IPMI SEL", IpmiSel.parse(old + ecc), restarted, NOW);
    assertThat(third.status()).isEqualTo(Status.OK);
    assertThat(third.output()).isEqualTo("IPMI SEL OK - no new entries (4 in the SEL)");

    // Cleared out of band: only the clear record is new, nothing old comes back.
    CheckResult cleared =
        IpmiCheck.selResult(
            "IPMI SEL",
            IpmiSel.parse(ToolOutput.read("ipmi", "rackhd-55-ipmitool-sel-cleared.txt")),
            restarted,
            NOW);
    assertThat(cleared.status()).isEqualTo(Status.OK);
    assertThat(cleared.output()).startsWith("IPMI SEL OK - 1 new entry: #1 11/02/2014 21:53:48");
  }

  @Test
  void rolledSelReportsOnlyTheEntryThatWasNotThereBefore(@TempDir Path dir) throws Exception {
    IpmiSel memory = new IpmiSel(dir.resolve("sel.state"));
    String before =
        "   1 | 05/14/2026 | 20:40:26 | Processor #0x40 | Uncorrectable machine check exception | Asserted\n"
            + ToolOutput.read("ipmi", "openbmc-273-ipmitool-sel-list-after-overflow.txt");
    memory.newSince(IpmiSel.parse(before));
    // The oldest record rolled out and record 2 stays: nothing is new.
    assertThat(
            memory.newSince(
                IpmiSel.parse(
                    ToolOutput.read("ipmi", "openbmc-273-ipmitool-sel-list-after-overflow.txt"))))
        .isEmpty();
  }
}
