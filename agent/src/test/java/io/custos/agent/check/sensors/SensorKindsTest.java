package io.custos.agent.check.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.custos.agent.check.CheckContext;
import io.custos.agent.check.os.Hwmon;
import io.custos.agent.check.os.OshiSensors;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import oshi.hardware.Sensors;

/** Further inputs of the sensor fault kinds of issue 10, and the OSHI sensor source. */
class SensorKindsTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochMilli(1_795_000_000_000L), ZoneOffset.UTC);

  @TempDir Path root;

  private void write(String relative, String text) throws Exception {
    Path p = root.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text + "\n");
  }

  @Test
  void nvmeNotReadyAndContradictoryLimitsAreSkippedWithTheReason() throws Exception {
    write("sys/class/hwmon/hwmon1/name", "nvme");
    write("sys/class/hwmon/hwmon1/temp1_label", "Composite");
    write("sys/class/hwmon/hwmon1/temp1_input", "-273150");
    write("sys/class/hwmon/hwmon2/name", "acpitz");
    write("sys/class/hwmon/hwmon2/temp1_input", "45000");
    write("sys/class/hwmon/hwmon2/temp1_min", "105000");
    write("sys/class/hwmon/hwmon2/temp1_max", "20000");
    write("sys/class/hwmon/hwmon3/name", "k10temp");
    write("sys/class/hwmon/hwmon3/temp1_input", "51000");
    write("sys/class/hwmon/hwmon3/temp1_crit", "0");

    CheckResult r =
        new TemperatureCheck(TemperatureConfig.defaults(), SensorSource.HWMON)
            .run(new CheckContext(root, CLOCK))
            .get(0);

    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.output())
        .isEqualTo(
            "TEMPERATURE OK - hottest k10temp temp1 51C of 1 sensors; skipped: Composite"
                + " -273.2C (-273.15C: not ready), acpitz temp1 45C (limits contradict (min"
                + " 105 > max 20))");
  }

  @Test
  void theDriversOwnAlarmAndFaultFilesAreJudgedByName() throws Exception {
    // coretemp's crit_alarm with its crit limit, a pwm fan's fault, an open thermal diode
    write("sys/class/hwmon/hwmon1/name", "coretemp");
    write("sys/class/hwmon/hwmon1/temp1_label", "Package id 0");
    write("sys/class/hwmon/hwmon1/temp1_input", "84000");
    write("sys/class/hwmon/hwmon1/temp1_crit", "100000");
    write("sys/class/hwmon/hwmon1/temp1_crit_alarm", "1");
    write("sys/class/hwmon/hwmon2/name", "adt7470");
    write("sys/class/hwmon/hwmon2/fan1_input", "2400");
    write("sys/class/hwmon/hwmon2/fan1_fault", "0");
    write("sys/class/hwmon/hwmon2/fan2_input", "0");
    write("sys/class/hwmon/hwmon2/fan2_fault", "1");
    write("sys/class/hwmon/hwmon2/temp3_input", "0");
    write("sys/class/hwmon/hwmon2/temp3_fault", "1");
    CheckContext context = new CheckContext(root, CLOCK);

    CheckResult temp =
        new TemperatureCheck(TemperatureConfig.defaults(), SensorSource.HWMON).run(context).get(0);
    CheckResult fans = new FansCheck(FansConfig.defaults(), SensorSource.HWMON).run(context).get(0);

    // 84C is below our 90C: the chip's own alarm is what makes it CRITICAL
    assertThat(temp.status()).isEqualTo(Status.CRITICAL);
    assertThat(temp.output())
        .startsWith(
            "TEMPERATURE CRITICAL - Package id 0 84C: driver alarm (temp1_crit_alarm), adt7470"
                + " temp3: sensor fault (temp3_fault)");
    assertThat(fans.status()).isEqualTo(Status.CRITICAL);
    assertThat(fans.output()).contains("adt7470 fan2 0 RPM: fan failed (fan2_fault)");
  }

  @Test
  void powerAverageOfAnAcpiPowerMeterUnderDeviceIsRead() throws Exception {
    write("sys/class/hwmon/hwmon4/device/name", "power_meter");
    write("sys/class/hwmon/hwmon4/device/power1_average", "185000000");
    write("sys/class/hwmon/hwmon4/device/power1_average_interval", "1000");

    CheckResult r =
        new VoltageCheck(VoltageConfig.defaults(), SensorSource.HWMON)
            .run(new CheckContext(root, CLOCK))
            .get(0);

    assertThat(r.output()).isEqualTo("VOLTAGE OK - power 185.0W");
    assertThat(r.metrics())
        .containsExactly(
            Metric.of(
                "power_watts",
                Map.of("sensor", "power_meter/power1", "label", "power_meter power1"),
                185.0,
                "W"));
  }

  @Test
  void oshiFillsOnlyTheKindsHwmonLacks() {
    Sensors sensors = mock(Sensors.class);
    when(sensors.getCpuTemperature()).thenReturn(71.5);
    when(sensors.getFanSpeeds()).thenReturn(new int[] {1200, 0});
    when(sensors.getCpuVoltage()).thenReturn(0.0);
    Hwmon.Sensor fan = new Hwmon.Sensor("fan", "it87/fan1", "CPU fan", 900, null, null, null);

    List<Hwmon.Sensor> all = new OshiSensors(() -> sensors).fillGaps(List.of(fan));

    assertThat(all)
        .containsExactly(fan, new Hwmon.Sensor("temp", "oshi/cpu", "CPU", 71.5, null, null, null));
    verify(sensors, never()).getFanSpeeds();
  }

  @Test
  void oshiSaysNoReadingWithZeroOrNaN() {
    Sensors sensors = mock(Sensors.class);
    when(sensors.getCpuTemperature()).thenReturn(Double.NaN);
    when(sensors.getFanSpeeds()).thenReturn(new int[0]);
    when(sensors.getCpuVoltage()).thenReturn(1.1);

    assertThat(OshiSensors.read(sensors, true, true, true))
        .containsExactly(new Hwmon.Sensor("in", "oshi/cpu", "CPU voltage", 1.1, null, null, null));
  }

  @Test
  void oshiThatCannotLoadAddsNothingAndIsNotAskedAgain() {
    int[] calls = {0};
    OshiSensors oshi =
        new OshiSensors(
            () -> {
              calls[0]++;
              throw new UnsatisfiedLinkError("no jnidispatch");
            });

    assertThat(oshi.fillGaps(List.of())).isEmpty();
    assertThat(oshi.fillGaps(List.of())).isEmpty();
    assertThat(calls[0]).isEqualTo(1);
  }

  @Test
  void aFixtureRootNeverReadsTheLiveMachineThroughOshi() throws Exception {
    write("sys/class/hwmon/hwmon0/name", "coretemp");
    write("sys/class/hwmon/hwmon0/temp1_input", "40000");

    assertThat(SensorSource.system().read(new CheckContext(root, CLOCK)))
        .extracting(Hwmon.Sensor::id)
        .containsExactly("coretemp/temp1");
  }
}
