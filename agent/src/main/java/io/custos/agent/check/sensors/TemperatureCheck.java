package io.custos.agent.check.sensors;

import io.custos.agent.check.Celsius;
import io.custos.agent.check.Check;
import io.custos.agent.check.CheckContext;
import io.custos.agent.check.os.Hwmon;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Temperatures from hwmon ({@code temp*_input}) and thermal zones. See {@link TemperatureConfig}
 * for the YAML:
 *
 * <pre>{@code
 * - { type: temperature, warning: 75C, critical: 90C }
 * }</pre>
 *
 * <p>One service, {@code Temperature}, the worst sensor: {@code TEMPERATURE CRITICAL - Package id 0
 * 97C (critical 95C), Core 0 96C (critical 95C); hottest of 7 sensors}. Each sensor is compared (at
 * or above) with the configured limits, else its own {@code temp*_max} (warning) and {@code
 * temp*_crit} (critical), else 80C and 95C. Metric {@code temperature_celsius} per sensor, labels
 * {@code sensor} (chip/file id) and {@code label}.
 *
 * <p>Implausible readings (a channel at 3,892,314C, a driver sentinel such as 127C, NVMe's -273.15C
 * "not ready", limits where min &gt; max) are skipped and named with the reason after {@code
 * skipped:}; they never change the status. Readings come from a {@link SensorSource}: hwmon, with
 * OSHI for the CPU temperature where hwmon has none or on other systems.
 *
 * <p>Failure behaviour: a machine without sensors is UNKNOWN "no temperature sensors" once, then OK
 * (see {@link NoSensors}); an unreadable sensor file is skipped.
 */
public final class TemperatureCheck implements Check {
  static final double DEFAULT_WARNING = 80;
  static final double DEFAULT_CRITICAL = 95;

  private final TemperatureConfig config;
  private final SensorSource sensors;
  private final NoSensors none = new NoSensors();

  public TemperatureCheck(TemperatureConfig config) {
    this(config, SensorSource.system());
  }

  public TemperatureCheck(TemperatureConfig config, SensorSource sensors) {
    this.config = config;
    this.sensors = sensors;
  }

  @Override
  public String kind() {
    return "temperature";
  }

  @Override
  public String name() {
    return "Temperature";
  }

  @Override
  public List<CheckResult> run(CheckContext context) {
    List<Hwmon.Sensor> all =
        sensors.read(context).stream().filter(s -> s.kind().equals("temp")).toList();
    if (all.isEmpty()) {
      return List.of(none.result(name(), kind(), "temperature sensors", context.now()));
    }
    return List.of(result(all, config, context.now()));
  }

  /**
   * The result for temperature sensors; pure. The driver's own alarm and fault flags are judged
   * first ({@link Hwmon.Sensor#flagStatus()}: a {@code _crit_alarm} is CRITICAL, a {@code
   * _max_alarm} WARNING, a channel with {@code _fault} is WARNING "sensor fault" and its reading is
   * not judged); implausible readings are skipped and listed with the reason.
   */
  static CheckResult result(List<Hwmon.Sensor> all, TemperatureConfig config, long now) {
    // The driver's own alarms and faults first, then our limits on the readings it trusts.
    Status status = Status.OK;
    List<String> hot = new ArrayList<>();
    for (Hwmon.Sensor s : all) {
      if (s.alarmed()) {
        status = status.worse(s.flagStatus());
        hot.add(s.flagText());
      }
    }
    List<Hwmon.Sensor> temps =
        all.stream().filter(s -> s.implausible() == null && !s.faulty()).toList();
    String skipped = skippedText(all);
    if (temps.isEmpty()) {
      return new CheckResult(
          "Temperature",
          "temperature",
          status,
          "TEMPERATURE "
              + status
              + " - "
              + (hot.isEmpty() ? "" : String.join(", ", hot) + "; ")
              + "no plausible reading"
              + skipped,
          now,
          List.of());
    }
    List<Metric> metrics = new ArrayList<>();
    Hwmon.Sensor hottest = temps.get(0);
    for (Hwmon.Sensor s : temps) {
      double warn = limit(config.warning(), s.max(), DEFAULT_WARNING);
      double crit = limit(config.critical(), s.crit(), DEFAULT_CRITICAL);
      if (warn >= crit) {
        warn = Math.min(DEFAULT_WARNING, crit - 5);
      }
      metrics.add(
          new Metric(
              "temperature_celsius",
              Map.of("sensor", s.id(), "label", s.label()),
              s.value(),
              "C",
              warn,
              crit,
              null,
              null));
      if (s.value() > hottest.value()) {
        hottest = s;
      }
      if (s.value() >= crit) {
        status = status.worse(Status.CRITICAL);
        hot.add(s.label() + " " + deg(s.value()) + " (critical " + deg(crit) + ")");
      } else if (s.value() >= warn) {
        status = status.worse(Status.WARNING);
        hot.add(s.label() + " " + deg(s.value()) + " (warning " + deg(warn) + ")");
      }
    }
    String text =
        hot.isEmpty()
            ? "hottest "
                + hottest.label()
                + " "
                + deg(hottest.value())
                + " of "
                + temps.size()
                + " sensors"
            : String.join(", ", hot) + "; " + temps.size() + " sensors";
    text += skipped;
    return new CheckResult(
        "Temperature", "temperature", status, "TEMPERATURE " + status + " - " + text, now, metrics);
  }

  private static double limit(Celsius configured, Double own, double fallback) {
    if (configured != null) {
      return configured.value();
    }
    // A limit of 0 or beyond the plausible range is a driver's placeholder, not a limit.
    return own != null && own > 0 && own <= Hwmon.MAX_CELSIUS ? own : fallback;
  }

  /**
   * {@code "; skipped: SYSTIN 3892314C (outside -55C..150C)"}, or empty; for every sensor check.
   */
  static String skippedText(List<Hwmon.Sensor> all) {
    List<String> skipped =
        all.stream().filter(s -> s.implausible() != null).map(Hwmon.Sensor::skipped).toList();
    return skipped.isEmpty() ? "" : "; skipped: " + String.join(", ", skipped);
  }

  /** {@code c} as outputs write it: {@code 71C}, {@code 71.5C}. */
  public static String deg(double c) {
    return Celsius.text(c);
  }
}
