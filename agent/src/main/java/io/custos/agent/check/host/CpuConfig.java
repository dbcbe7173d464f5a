package io.custos.agent.check.host;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.agent.check.CheckConfig;
import io.custos.agent.check.Levels;
import io.custos.agent.check.Schedule;
import io.custos.common.units.Percent;
import java.time.Duration;

/**
 * Configuration of the {@code cpu} check: CPU busy % from {@code /proc/stat}, held over time.
 *
 * <pre>{@code
 * - { type: cpu }                                   # WARNING 90%, CRITICAL 100%, for 15m
 * - { type: cpu, warning: 80%, critical: 100%, for: 15m }
 * }</pre>
 *
 * @param warning busy (not idle, not iowait) percentage of all CPUs at or above which the check is
 *     WARNING; default 90%
 * @param critical the same for CRITICAL; default 100%
 * @param name the service name instead of the check's own (single-service checks)
 * @param interval time between runs; default every agent cycle (see {@link Schedule})
 * @param timeout how long one run may take; default 10s
 * @param holdFor the {@code for} key: how long a problem must hold before it is reported
 * @param times with {@code within}: reported once seen in that many of the last {@code within} runs
 * @param within see {@code times}
 */
public record CpuConfig(
    Percent warning,
    Percent critical,
    String name,
    Duration interval,
    Duration timeout,
    @JsonProperty("for") Duration holdFor,
    Integer times,
    Integer within)
    implements CheckConfig {

  public CpuConfig {
    warning = warning == null ? new Percent(90) : warning;
    critical = critical == null ? new Percent(100) : critical;
    Levels.requireBelow("warning", warning, "critical", critical);
    // Saturation is only a problem when it lasts: 15 minutes unless the YAML says otherwise.
    holdFor = holdFor == null ? Duration.ofMinutes(15) : holdFor;
    timeout = new Schedule(interval, timeout, holdFor, times, within).timeout();
  }

  /** Every key at its default. */
  public static CpuConfig defaults() {
    return new CpuConfig(null, null, null, null, null, null, null, null);
  }

  @Override
  public String type() {
    return "cpu";
  }

  @Override
  public Schedule schedule() {
    return new Schedule(interval, timeout, holdFor, times, within);
  }
}
