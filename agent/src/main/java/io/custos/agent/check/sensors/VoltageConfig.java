package io.custos.agent.check.sensors;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.agent.check.CheckConfig;
import io.custos.agent.check.Schedule;
import java.time.Duration;

/**
 * Configuration of the {@code voltage} check: hwmon voltages against their limits, and power draw.
 *
 * <pre>{@code
 * - { type: voltage }
 * }</pre>
 *
 * @param name the service name instead of the check's own (single-service checks)
 * @param interval time between runs; default every agent cycle (see {@link Schedule})
 * @param timeout how long one run may take; default 10s
 * @param holdFor the {@code for} key: how long a problem must hold before it is reported
 * @param times with {@code within}: reported once seen in that many of the last {@code within} runs
 * @param within see {@code times}
 */
public record VoltageConfig(
    String name,
    Duration interval,
    Duration timeout,
    @JsonProperty("for") Duration holdFor,
    Integer times,
    Integer within)
    implements CheckConfig {

  public VoltageConfig {
    timeout = new Schedule(interval, timeout, holdFor, times, within).timeout();
  }

  /** Every key at its default. */
  public static VoltageConfig defaults() {
    return new VoltageConfig(null, null, null, null, null, null);
  }

  @Override
  public String type() {
    return "voltage";
  }

  @Override
  public Schedule schedule() {
    return new Schedule(interval, timeout, holdFor, times, within);
  }
}
