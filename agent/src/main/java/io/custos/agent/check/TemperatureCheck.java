package io.custos.agent.check;

import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * <p>Failure behaviour: a machine without sensors is UNKNOWN "no temperature sensors" once, then OK
 * (see {@link NoSensors}); an unreadable sensor file is skipped.
 */
final class TemperatureCheck implements Check {
  static final double DEFAULT_WARNING = 80;
  static final double DEFAULT_CRITICAL = 95;

  private final TemperatureConfig config;
  private final NoSensors none = new NoSensors();

  TemperatureCheck(TemperatureConfig config) {
    this.config = config;
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
    List<Hwmon.Sensor> temps =
        Hwmon.read(context.root()).stream().filter(s -> s.kind().equals("temp")).toList();
    if (temps.isEmpty()) {
      return List.of(none.result(name(), kind(), "temperature sensors", context.now()));
    }
    return List.of(result(temps, config, context.now()));
  }

  /** The result for temperature sensors; pure. */
  static CheckResult result(List<Hwmon.Sensor> temps, TemperatureConfig config, long now) {
    Status status = Status.OK;
    List<String> hot = new ArrayList<>();
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
    return new CheckResult(
        "Temperature", "temperature", status, "TEMPERATURE " + status + " - " + text, now, metrics);
  }

  private static double limit(Celsius configured, Double own, double fallback) {
    if (configured != null) {
      return configured.value();
    }
    return own != null && own > 0 ? own : fallback;
  }

  static String deg(double c) {
    return c == Math.rint(c) ? (long) c + "C" : String.format(Locale.ROOT, "%.1fC", c);
  }
}
