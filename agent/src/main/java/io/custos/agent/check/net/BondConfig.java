package io.custos.agent.check.net;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.agent.check.CheckConfig;
import io.custos.agent.check.Schedule;
import java.time.Duration;

/**
 * Configuration of the {@code bond} check: Linux bonding and LACP from {@code /proc/net/bonding}.
 *
 * <pre>{@code
 * - { type: bond }                  # every bond
 * - { type: bond, interface: bond0 }
 * }</pre>
 *
 * @param iface the {@code interface} key: the bond; default every bond in {@code
 *     /proc/net/bonding}; a configured bond that is missing is CRITICAL
 * @param name the service name instead of the check's own (single-service checks)
 * @param interval time between runs; default every agent cycle (see {@link Schedule})
 * @param timeout how long one run may take; default 10s
 * @param holdFor the {@code for} key: how long a problem must hold before it is reported
 * @param times with {@code within}: reported once seen in that many of the last {@code within} runs
 * @param within see {@code times}
 */
public record BondConfig(
    @JsonProperty("interface") String iface,
    String name,
    Duration interval,
    Duration timeout,
    @JsonProperty("for") Duration holdFor,
    Integer times,
    Integer within)
    implements CheckConfig {

  public BondConfig {
    timeout = new Schedule(interval, timeout, holdFor, times, within).timeout();
  }

  /** Every key at its default. */
  public static BondConfig defaults() {
    return new BondConfig(null, null, null, null, null, null, null);
  }

  @Override
  public String type() {
    return "bond";
  }

  @Override
  public Schedule schedule() {
    return new Schedule(interval, timeout, holdFor, times, within);
  }
}
