package io.custos.agent.check.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.custos.agent.check.Celsius;
import io.custos.agent.check.Check;
import io.custos.agent.check.CheckContext;
import io.custos.agent.check.Fixtures;
import io.custos.agent.check.os.Hwmon;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SensorChecksTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochMilli(1_795_783_507_801L), ZoneOffset.UTC);

  private static CheckResult run(Check check, String fixture) throws Exception {
    List<CheckResult> r = check.run(new CheckContext(Fixtures.root(fixture), CLOCK));
    assertThat(r).hasSize(1);
    return r.get(0);
  }

  private static TemperatureConfig temps(String warning, String critical) {
    return new TemperatureConfig(
        warning == null ? null : Celsius.parse(warning),
        critical == null ? null : Celsius.parse(critical));
  }

  @Test
  void readsHwmonAndThermalZonesInBaseUnits() {
    List<Hwmon.Sensor> s = Hwmon.read(Fixtures.root("hwmon-overheated"));
    assertThat(s)
        .contains(
            new Hwmon.Sensor("temp", "coretemp/temp1", "Package id 0", 97.0, null, 84.0, 100.0),
            new Hwmon.Sensor("fan", "nct6775/fan1", "nct6775 fan1", 0, 300.0, null, null),
            new Hwmon.Sensor(
                "power", "power_meter/power1", "System Power", 185.0, null, null, null),
            new Hwmon.Sensor(
                "temp",
                "thermal/thermal_zone0",
                "x86_pkg_temp (thermal_zone0)",
                97.0,
                null,
                null,
                null));
  }

  @Test
  void overheatedPackageAgainstConfiguredLimits() throws Exception {
    CheckResult r = run(new TemperatureCheck(temps("75C", "90C")), "hwmon-overheated");

    assertThat(r.status()).isEqualTo(Status.CRITICAL);
    assertThat(r.output())
        .isEqualTo(
            "TEMPERATURE CRITICAL - Package id 0 97C (critical 90C), Core 0 96C (critical 90C),"
                + " x86_pkg_temp (thermal_zone0) 97C (critical 90C); 7 sensors");
    assertThat(r.metrics())
        .contains(
            new Metric(
                "temperature_celsius",
                Map.of("sensor", "coretemp/temp3", "label", "Core 1"),
                71.0,
                "C",
                75.0,
                90.0,
                null,
                null));
  }

  @Test
  void withoutConfiguredLimitsEachSensorsOwnMaxAndCritCount() {
    List<Hwmon.Sensor> core =
        List.of(
            new Hwmon.Sensor("temp", "coretemp/temp1", "Package id 0", 97.0, null, 84.0, 100.0));
    CheckResult r = TemperatureCheck.result(core, temps(null, null), 1L);
    assertThat(r.status()).isEqualTo(Status.WARNING);
    assertThat(r.output())
        .isEqualTo("TEMPERATURE WARNING - Package id 0 97C (warning 84C); 1 sensors");
  }

  @Test
  void quietMachine() throws Exception {
    CheckResult r = run(new TemperatureCheck(temps(null, null)), "hwmon-quiet");
    assertThat(r.output()).isEqualTo("TEMPERATURE OK - hottest Package id 0 44C of 2 sensors");
  }

  @Test
  void aVmWithoutSensorsSaysSoOnceThenStaysQuiet() throws Exception {
    TemperatureCheck check = new TemperatureCheck(temps(null, null));
    CheckResult first = run(check, "vm-no-sensors");
    CheckResult second = run(check, "vm-no-sensors");

    assertThat(first.status()).isEqualTo(Status.UNKNOWN);
    assertThat(first.output())
        .isEqualTo(
            "TEMPERATURE UNKNOWN - no temperature sensors in /sys/class/hwmon or"
                + " /sys/class/thermal (a VM?)");
    assertThat(second.status()).isEqualTo(Status.OK);
    assertThat(second.output())
        .isEqualTo("TEMPERATURE OK - no temperature sensors (reported once)");
    assertThat(run(new FansCheck(FansConfig.defaults()), "vm-no-sensors").status())
        .isEqualTo(Status.UNKNOWN);
  }

  @Test
  void stoppedFanIsCriticalAndAnUnconnectedHeaderIsIgnored() throws Exception {
    CheckResult r = run(new FansCheck(FansConfig.defaults()), "hwmon-overheated");

    assertThat(r.status()).isEqualTo(Status.CRITICAL);
    assertThat(r.output())
        .isEqualTo(
            "FANS CRITICAL - nct6775 fan1 stopped (0 RPM, minimum 300); ok: nct6775 fan2 1135 RPM;"
                + " skipped: nct6775 fan3 (never spun)");
    assertThat(r.metrics())
        .extracting(m -> m.labels().get("sensor"))
        .containsExactly("nct6775/fan1", "nct6775/fan2");
  }

  @Test
  void aFanThatSpunBeforeAndStopsIsCriticalEvenWithoutAMinimum() {
    Hwmon.Sensor spinning = new Hwmon.Sensor("fan", "it87/fan3", "CPU fan", 900, null, null, null);
    Hwmon.Sensor stopped = new Hwmon.Sensor("fan", "it87/fan3", "CPU fan", 0, null, null, null);
    assertThat(
            FansCheck.result(List.of(stopped), FansConfig.defaults(), java.util.Set.of(), 1L)
                .output())
        .isEqualTo("FANS OK - no fan connected; skipped: CPU fan (never spun)");
    assertThat(
            FansCheck.result(
                    List.of(stopped), FansConfig.defaults(), java.util.Set.of("it87/fan3"), 1L)
                .status())
        .isEqualTo(Status.CRITICAL);
    FansConfig min = new FansConfig(1000);
    assertThat(FansCheck.result(List.of(spinning), min, java.util.Set.of(), 1L).output())
        .isEqualTo("FANS WARNING - CPU fan 900 RPM (minimum 1000)");
  }

  @Test
  void voltageOutOfRangeAndPowerDraw() throws Exception {
    CheckResult r = run(new VoltageCheck(VoltageConfig.defaults()), "hwmon-overheated");

    assertThat(r.status()).isEqualTo(Status.CRITICAL);
    assertThat(r.output())
        .isEqualTo("VOLTAGE CRITICAL - +3.3V 2.90V (range 3.14V-3.47V); power 185.0W");
    assertThat(r.metrics())
        .contains(
            Metric.of(
                "power_watts",
                Map.of("sensor", "power_meter/power1", "label", "System Power"),
                185.0,
                "W"));
    assertThat(run(new VoltageCheck(VoltageConfig.defaults()), "hwmon-quiet").output())
        .isEqualTo("VOLTAGE OK - 1 voltages in range");
  }

  @Test
  void celsiusParsing() {
    assertThat(Celsius.parse("75C")).isEqualTo(new Celsius(75));
    assertThat(Celsius.parse("72.5 °C")).isEqualTo(new Celsius(72.5));
    assertThatThrownBy(() -> Celsius.parse("hot")).hasMessageContaining("\"hot\"");
    assertThatThrownBy(() -> temps("90C", "75C"))
        .hasMessageContaining("warning (90C) must be below critical (75C)");
  }
}
