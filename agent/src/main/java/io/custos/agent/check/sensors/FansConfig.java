package io.custos.agent.check.sensors;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.agent.check.CheckKind;

/**
 * Configuration of the {@code fans} check: hwmon fan speeds.
 *
 * <pre>{@code
 * - { type: fans }
 * - { type: fans, min_rpm: 600 }
 * }</pre>
 *
 * @param minRpm below which a spinning fan is WARNING; default the sensor's own {@code fan*_min}
 */
public record FansConfig(@JsonProperty("min_rpm") Integer minRpm) implements CheckKind {

  public FansConfig {
    if (minRpm != null && minRpm < 0) {
      throw new IllegalArgumentException("min_rpm must not be negative, got " + minRpm);
    }
  }

  /** Every key at its default. */
  public static FansConfig defaults() {
    return new FansConfig(null);
  }

  @Override
  public String type() {
    return "fans";
  }
}
