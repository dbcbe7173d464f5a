package io.custos.agent.check.sensors;

import io.custos.agent.check.Celsius;
import io.custos.agent.check.CheckKind;

/**
 * Configuration of the {@code temperature} check: hwmon and thermal-zone sensors.
 *
 * <pre>{@code
 * - { type: temperature }                          # each sensor's own max/crit, else 80C/95C
 * - { type: temperature, warning: 75C, critical: 90C }
 * }</pre>
 *
 * @param warning at or above which a sensor is WARNING; default the sensor's own {@code temp*_max},
 *     else 80C
 * @param critical at or above which a sensor is CRITICAL; default the sensor's own {@code
 *     temp*_crit}, else 95C
 */
public record TemperatureConfig(Celsius warning, Celsius critical) implements CheckKind {

  public TemperatureConfig {
    if (warning != null && critical != null && warning.value() >= critical.value()) {
      throw new IllegalArgumentException(
          "warning (" + warning + ") must be below critical (" + critical + ")");
    }
  }

  /** Every key at its default. */
  public static TemperatureConfig defaults() {
    return new TemperatureConfig(null, null);
  }

  @Override
  public String type() {
    return "temperature";
  }
}
