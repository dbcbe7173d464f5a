package io.custos.agent.check.sensors;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.agent.check.Celsius;
import io.custos.agent.check.CheckConfig;
import io.custos.agent.check.Schedule;
import java.time.Duration;

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
 * @param name the service name instead of the check's own (single-service checks)
 * @param interval time between runs; default every agent cycle (see {@link Schedule})
 * @param timeout how long one run may take; default 10s
 * @param holdFor the {@code for} key: how long a problem must hold before it is reported
 * @param times with {@code within}: reported once seen in that many of the last {@code within} runs
 * @param within see {@code times}
 */
public record TemperatureConfig(
    Celsius warning,
    Celsius critical,
    String name,
    Duration interval,
    Duration timeout,
    @JsonProperty("for") Duration holdFor,
    Integer times,
    Integer within)
    implements CheckConfig {

  public TemperatureConfig {
    if (warning != null && critical != null && warning.value() >= critical.value()) {
      throw new IllegalArgumentException(
          "warning (" + warning + ") must be below critical (" + critical + ")");
    }
    timeout = new Schedule(interval, timeout, holdFor, times, within).timeout();
  }

  /** Every key at its default. */
  public static TemperatureConfig defaults() {
    return new TemperatureConfig(null, null, null, null, null, null, null, null);
  }

  @Override
  public String type() {
    return "temperature";
  }

  @Override
  public Schedule schedule() {
    return new Schedule(interval, timeout, holdFor, times, within);
  }
}
