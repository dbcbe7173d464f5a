package io.custos.agent.check.sensors;

import io.custos.agent.check.Check;
import io.custos.agent.check.CheckContext;
import io.custos.agent.check.os.Hwmon;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Voltages from hwmon {@code in*_input} against the chip's own {@code in*_min}/{@code in*_max}, and
 * power draw in watts from {@code power*_input}, else {@code power*_average} (ACPI power meters,
 * GPUs), where the hardware exposes it; implausible readings are skipped with the reason. See
 * {@link VoltageConfig} for the YAML:
 *
 * <pre>{@code
 * - { type: voltage }
 * }</pre>
 *
 * <p>One service, {@code Voltages}: CRITICAL when a voltage is outside its limits ({@code +3.3V
 * 2.90V (range 3.14V-3.47V)}), OK otherwise with the power draw when known ({@code 3 voltages in
 * range, power 185.0W}). Metrics {@code voltage_volts} and {@code power_watts}, labels {@code
 * sensor} and {@code label}.
 *
 * <p>Failure behaviour: no voltage or power sensors is UNKNOWN once, then OK (see {@link
 * NoSensors}).
 */
public final class VoltageCheck implements Check {
  private final NoSensors none = new NoSensors();
  private final SensorSource sensors;

  public VoltageCheck(VoltageConfig config) {
    this(config, SensorSource.system());
  }

  public VoltageCheck(VoltageConfig config, SensorSource sensors) {
    // nothing to configure beyond the common keys
    this.sensors = sensors;
  }

  @Override
  public String kind() {
    return "voltage";
  }

  @Override
  public String name() {
    return "Voltages";
  }

  @Override
  public List<CheckResult> run(CheckContext context) {
    List<Hwmon.Sensor> s =
        sensors.read(context).stream()
            .filter(x -> x.kind().equals("in") || x.kind().equals("power"))
            .toList();
    if (s.isEmpty()) {
      return List.of(none.result(name(), kind(), "voltage or power sensors", context.now()));
    }
    return List.of(result(s, context.now()));
  }

  /** The result for voltage and power sensors; pure. */
  static CheckResult result(List<Hwmon.Sensor> sensors, long now) {
    Status status = Status.OK;
    List<String> problems = new ArrayList<>();
    List<Metric> metrics = new ArrayList<>();
    int volts = 0;
    double watts = 0;
    boolean power = false;
    for (Hwmon.Sensor s : sensors) {
      if (s.alarmed()) {
        // the driver's own alarm or fault comes first
        status = status.worse(s.flagStatus());
        problems.add(s.flagText());
      }
      if (s.implausible() != null || s.faulty()) {
        continue;
      }
      Map<String, String> labels = Map.of("sensor", s.id(), "label", s.label());
      if (s.kind().equals("power")) {
        power = true;
        watts += s.value();
        metrics.add(Metric.of("power_watts", labels, s.value(), "W"));
        continue;
      }
      volts++;
      metrics.add(
          new Metric("voltage_volts", labels, s.value(), "V", null, null, s.min(), s.max()));
      boolean low = s.min() != null && s.value() < s.min();
      boolean high = s.max() != null && s.max() > 0 && s.value() > s.max();
      if (low || high) {
        status = Status.CRITICAL;
        problems.add(
            s.label()
                + " "
                + v(s.value())
                + " (range "
                + (s.min() == null ? "?" : v(s.min()))
                + "-"
                + (s.max() == null ? "?" : v(s.max()))
                + ")");
      }
    }
    String powerText = power ? String.format(Locale.ROOT, "power %.1fW", watts) : "";
    String text =
        problems.isEmpty()
            ? (volts > 0 ? volts + " voltages in range" + (power ? ", " : "") : "") + powerText
            : String.join(", ", problems) + (power ? "; " + powerText : "");
    text += TemperatureCheck.skippedText(sensors);
    return new CheckResult(
        "Voltages", "voltage", status, "VOLTAGE " + status + " - " + text, now, metrics);
  }

  private static String v(double volts) {
    return String.format(Locale.ROOT, "%.2fV", volts);
  }
}
