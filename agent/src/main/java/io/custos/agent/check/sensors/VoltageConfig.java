package io.custos.agent.check.sensors;

import io.custos.agent.check.CheckKind;

/**
 * Configuration of the {@code voltage} check: hwmon voltages against their limits, and power draw.
 *
 * <pre>{@code
 * - { type: voltage }
 * }</pre>
 */
public record VoltageConfig() implements CheckKind {

  /** Every key at its default. */
  public static VoltageConfig defaults() {
    return new VoltageConfig();
  }

  @Override
  public String type() {
    return "voltage";
  }
}
