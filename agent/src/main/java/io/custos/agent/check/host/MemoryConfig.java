package io.custos.agent.check.host;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.agent.check.CheckKind;
import io.custos.agent.check.Levels;
import io.custos.common.units.Percent;

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
 */
public record MemoryConfig(
    Percent warning,
    Percent critical,
    @JsonProperty("swap_warning") Percent swapWarning,
    @JsonProperty("swap_critical") Percent swapCritical)
    implements CheckKind {

  public MemoryConfig {
    warning = warning == null ? new Percent(90) : warning;
    critical = critical == null ? new Percent(95) : critical;
    Levels.requireBelow("warning", warning, "critical", critical);
    swapWarning = swapWarning == null ? new Percent(50) : swapWarning;
    swapCritical = swapCritical == null ? new Percent(80) : swapCritical;
    Levels.requireBelow("swap_warning", swapWarning, "swap_critical", swapCritical);
  }

  /** Every default. */
  public static MemoryConfig defaults() {
    return new MemoryConfig(null, null, null, null);
  }

  @Override
  public String type() {
    return "memory";
  }
}
