package io.custos.agent.check.sensors;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.agent.check.CheckConfig;
import io.custos.agent.check.Schedule;
import java.time.Duration;

/**
 * Configuration of the {@code fans} check: hwmon fan speeds.
 *
 * <pre>{@code
 * - { type: fans }
 * - { type: fans, min_rpm: 600 }
 * }</pre>
 *
 * @param minRpm below which a spinning fan is WARNING; default the sensor's own {@code fan*_min}
 * @param name the service name instead of the check's own (single-service checks)
 * @param interval time between runs; default every agent cycle (see {@link Schedule})
 * @param timeout how long one run may take; default 10s
 * @param holdFor the {@code for} key: how long a problem must hold before it is reported
 * @param times with {@code within}: reported once seen in that many of the last {@code within} runs
 * @param within see {@code times}
 */
public record FansConfig(
    @JsonProperty("min_rpm") Integer minRpm,
    String name,
    Duration interval,
    Duration timeout,
    @JsonProperty("for") Duration holdFor,
    Integer times,
    Integer within)
    implements CheckConfig {

  public FansConfig {
    if (minRpm != null && minRpm < 0) {
      throw new IllegalArgumentException("min_rpm must not be negative, got " + minRpm);
    }
    timeout = new Schedule(interval, timeout, holdFor, times, within).timeout();
  }

  /** Every key at its default. */
  public static FansConfig defaults() {
    return new FansConfig(null, null, null, null, null, null, null);
  }

  @Override
  public String type() {
    return "fans";
  }

  @Override
  public Schedule schedule() {
    return new Schedule(interval, timeout, holdFor, times, within);
  }
}
