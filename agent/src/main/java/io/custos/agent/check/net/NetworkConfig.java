package io.custos.agent.check.net;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.agent.check.CheckConfig;
import io.custos.agent.check.Levels;
import io.custos.agent.check.Schedule;
import io.custos.common.units.Percent;
import java.time.Duration;
import java.util.List;

/**
 * Configuration of the {@code network} check: receive and transmit rates as % of link speed.
 *
 * <pre>{@code
 * - { type: network }                               # physical NICs; WARNING 90%, CRITICAL 100%, for 15m
 * - { type: network, interfaces: [eno1], warning: 80%, for: 15m }
 * }</pre>
 *
 * @param interfaces the interfaces; default every interface with a {@code device} and a known speed
 * @param warning the receive or transmit rate as a share of the link speed at or above which the
 *     check is WARNING; default 90%
 * @param critical the same for CRITICAL; default 100%
 * @param name the service name instead of the check's own (single-service checks)
 * @param interval time between runs; default every agent cycle (see {@link Schedule})
 * @param timeout how long one run may take; default 10s
 * @param holdFor the {@code for} key: how long a problem must hold before it is reported
 * @param times with {@code within}: reported once seen in that many of the last {@code within} runs
 * @param within see {@code times}
 */
public record NetworkConfig(
    List<String> interfaces,
    Percent warning,
    Percent critical,
    String name,
    Duration interval,
    Duration timeout,
    @JsonProperty("for") Duration holdFor,
    Integer times,
    Integer within)
    implements CheckConfig {

  public NetworkConfig {
    interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
    warning = warning == null ? new Percent(90) : warning;
    critical = critical == null ? new Percent(100) : critical;
    Levels.requireBelow("warning", warning, "critical", critical);
    // Saturation is only a problem when it lasts: 15 minutes unless the YAML says otherwise.
    holdFor = holdFor == null ? Duration.ofMinutes(15) : holdFor;
    timeout = new Schedule(interval, timeout, holdFor, times, within).timeout();
  }

  /** Every key at its default. */
  public static NetworkConfig defaults() {
    return new NetworkConfig(null, null, null, null, null, null, null, null, null);
  }

  @Override
  public String type() {
    return "network";
  }

  @Override
  public Schedule schedule() {
    return new Schedule(interval, timeout, holdFor, times, within);
  }
}
