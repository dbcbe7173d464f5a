package io.custos.agent.check.host;

import io.custos.agent.check.CheckKind;
import io.custos.agent.check.Levels;
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
 */
public record CpuConfig(Percent warning, Percent critical) implements CheckKind {

  public CpuConfig {
    warning = warning == null ? new Percent(90) : warning;
    critical = critical == null ? new Percent(100) : critical;
    Levels.requireBelow("warning", warning, "critical", critical);
  }

  /** Every key at its default. */
  public static CpuConfig defaults() {
    return new CpuConfig(null, null);
  }

  @Override
  public String type() {
    return "cpu";
  }

  @Override
  public Duration defaultHoldFor() {
    // Saturation is only a problem when it lasts: 15 minutes unless the YAML says otherwise.
    return Duration.ofMinutes(15);
  }
}
