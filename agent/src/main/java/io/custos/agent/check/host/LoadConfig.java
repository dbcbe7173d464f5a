package io.custos.agent.check.host;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.agent.check.CheckKind;

/**
 * Configuration of the {@code load} check.
 *
 * <pre>{@code
 * - { type: load, warning: "2,1.5,1", critical: "4,3,2", per_core: true }
 * }</pre>
 *
 * @param warning limits for the 1, 5 and 15 minute load averages above which the check is WARNING;
 *     default {@code 2,1.5,1} per core
 * @param critical the same for CRITICAL; default {@code 4,3,2} per core
 * @param perCore when true (the default) the limits are per CPU and are multiplied by the CPU
 *     count, like check_load {@code -r}; when false they are absolute
 */
public record LoadConfig(
    LoadThreshold warning, LoadThreshold critical, @JsonProperty("per_core") Boolean perCore)
    implements CheckKind {

  public LoadConfig {
    warning = warning == null ? new LoadThreshold(2, 1.5, 1) : warning;
    critical = critical == null ? new LoadThreshold(4, 3, 2) : critical;
    if (!warning.below(critical)) {
      throw new IllegalArgumentException(
          "warning (" + warning + ") must be below critical (" + critical + ") for each average");
    }
    perCore = perCore == null ? Boolean.TRUE : perCore;
  }

  /** Every default. */
  public static LoadConfig defaults() {
    return new LoadConfig(null, null, null);
  }

  @Override
  public String type() {
    return "load";
  }
}
