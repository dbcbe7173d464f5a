package io.custos.agent.check.raid;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.agent.check.CheckConfig;
import io.custos.agent.check.Schedule;
import java.time.Duration;
import java.util.List;

/**
 * Configuration of the {@code raid} check (Linux md software RAID).
 *
 * <pre>{@code
 * - { type: raid }
 * - { type: raid, arrays: [md0, md1], interval: 1m }
 * }</pre>
 *
 * @param arrays the arrays to check, e.g. {@code md0}; default every array in {@code /proc/mdstat};
 *     a listed array that is missing is CRITICAL
 * @param name the service name instead of the check's own (single-service checks)
 * @param interval time between runs; default every agent cycle (see {@link Schedule})
 * @param timeout how long one run may take; default 10s
 * @param holdFor the {@code for} key: how long a problem must hold before it is reported
 * @param times with {@code within}: reported once seen in that many of the last {@code within} runs
 * @param within see {@code times}
 */
public record RaidConfig(
    List<String> arrays,
    String name,
    Duration interval,
    Duration timeout,
    @JsonProperty("for") Duration holdFor,
    Integer times,
    Integer within)
    implements CheckConfig {

  public RaidConfig {
    arrays = arrays == null ? List.of() : List.copyOf(arrays);
    timeout = new Schedule(interval, timeout, holdFor, times, within).timeout();
  }

  /** Every key at its default. */
  public static RaidConfig defaults() {
    return new RaidConfig(null, null, null, null, null, null, null);
  }

  @Override
  public String type() {
    return "raid";
  }

  @Override
  public Schedule schedule() {
    return new Schedule(interval, timeout, holdFor, times, within);
  }
}
