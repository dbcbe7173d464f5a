package io.custos.agent.check.host;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.agent.check.CheckConfig;
import io.custos.agent.check.Levels;
import io.custos.agent.check.Schedule;
import io.custos.common.units.Percent;
import java.time.Duration;

/**
 * Configuration of the {@code memory} check.
 *
 * <pre>{@code
 * - { type: memory, warning: 90%, critical: 95%, swap_warning: 50%, swap_critical: 80% }
 * }</pre>
 *
 * @param warning memory used (total minus available) at or above which {@code Memory} is WARNING;
 *     default 90%
 * @param critical the same for CRITICAL; default 95%
 * @param swapWarning swap used at or above which {@code Swap} is WARNING; default 50%
 * @param swapCritical the same for CRITICAL; default 80%
 * @param name the service name to report instead of the check's own (see {@link
 *     CheckConfig#name()})
 * @param interval time between runs; default every agent cycle (see {@link Schedule})
 * @param timeout how long one run may take; default 10s
 * @param holdFor the {@code for} key: how long a problem must hold before it is reported
 * @param times with {@code within}: seen in that many of the last {@code within} runs
 * @param within see {@code times}
 */
public record MemoryConfig(
    Percent warning,
    Percent critical,
    @JsonProperty("swap_warning") Percent swapWarning,
    @JsonProperty("swap_critical") Percent swapCritical,
    String name,
    Duration interval,
    Duration timeout,
    @JsonProperty("for") Duration holdFor,
    Integer times,
    Integer within)
    implements CheckConfig {

  public MemoryConfig {
    warning = warning == null ? new Percent(90) : warning;
    critical = critical == null ? new Percent(95) : critical;
    Levels.requireBelow("warning", warning, "critical", critical);
    swapWarning = swapWarning == null ? new Percent(50) : swapWarning;
    swapCritical = swapCritical == null ? new Percent(80) : swapCritical;
    Levels.requireBelow("swap_warning", swapWarning, "swap_critical", swapCritical);
    timeout = new Schedule(interval, timeout, holdFor, times, within).timeout();
  }

  /** The check's own keys and a timeout; every other common key at its default. */
  public MemoryConfig(
      Percent warning,
      Percent critical,
      Percent swapWarning,
      Percent swapCritical,
      Duration timeout) {
    this(warning, critical, swapWarning, swapCritical, null, null, timeout, null, null, null);
  }

  @Override
  public Schedule schedule() {
    return new Schedule(interval, timeout, holdFor, times, within);
  }

  /** Every default. */
  public static MemoryConfig defaults() {
    return new MemoryConfig(null, null, null, null, null);
  }

  @Override
  public String type() {
    return "memory";
  }
}
