package io.custos.agent.check.net;

import io.custos.agent.check.CheckKind;
import io.custos.agent.check.Levels;
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
 */
public record NetworkConfig(List<String> interfaces, Percent warning, Percent critical)
    implements CheckKind {

  public NetworkConfig {
    interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
    warning = warning == null ? new Percent(90) : warning;
    critical = critical == null ? new Percent(100) : critical;
    Levels.requireBelow("warning", warning, "critical", critical);
  }

  /** Every key at its default. */
  public static NetworkConfig defaults() {
    return new NetworkConfig(null, null, null);
  }

  @Override
  public String type() {
    return "network";
  }

  @Override
  public Duration defaultHoldFor() {
    // Saturation is only a problem when it lasts: 15 minutes unless the YAML says otherwise.
    return Duration.ofMinutes(15);
  }
}
