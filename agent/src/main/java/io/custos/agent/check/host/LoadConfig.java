package io.custos.agent.check.host;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.agent.check.CheckConfig;
import io.custos.agent.check.Schedule;
import java.time.Duration;

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
 * @param name the service name to report instead of the check's own (see {@link
 *     CheckConfig#name()})
 * @param interval time between runs; default every agent cycle (see {@link Schedule})
 * @param timeout how long one run may take; default 10s
 * @param holdFor the {@code for} key: how long a problem must hold before it is reported
 * @param times with {@code within}: seen in that many of the last {@code within} runs
 * @param within see {@code times}
 */
public record LoadConfig(
    LoadThreshold warning,
    LoadThreshold critical,
    @JsonProperty("per_core") Boolean perCore,
    String name,
    Duration interval,
    Duration timeout,
    @JsonProperty("for") Duration holdFor,
    Integer times,
    Integer within)
    implements CheckConfig {

  public LoadConfig {
    warning = warning == null ? new LoadThreshold(2, 1.5, 1) : warning;
    critical = critical == null ? new LoadThreshold(4, 3, 2) : critical;
    if (!warning.below(critical)) {
      throw new IllegalArgumentException(
          "warning (" + warning + ") must be below critical (" + critical + ") for each average");
    }
    perCore = perCore == null ? Boolean.TRUE : perCore;
    timeout = new Schedule(interval, timeout, holdFor, times, within).timeout();
  }

  /** The check's own keys and a timeout; every other common key at its default. */
  public LoadConfig(
      LoadThreshold warning, LoadThreshold critical, Boolean perCore, Duration timeout) {
    this(warning, critical, perCore, null, null, timeout, null, null, null);
  }

  @Override
  public Schedule schedule() {
    return new Schedule(interval, timeout, holdFor, times, within);
  }

  /** Every default. */
  public static LoadConfig defaults() {
    return new LoadConfig(null, null, null, null);
  }

  @Override
  public String type() {
    return "load";
  }
}
