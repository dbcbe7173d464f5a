package io.custos.agent.check;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * Configuration of the {@code nic} check: link state, speed and duplex of network interfaces.
 *
 * <pre>{@code
 * - { type: nic }                                    # every physical interface
 * - { type: nic, interface: eth0, expect: 1000baseT-FD, changed: true }
 * }</pre>
 *
 * @param iface the {@code interface} key: the interface; default every interface with a {@code
 *     device} (physical NICs; not lo, bridges, veths)
 * @param expect the expected speed and duplex, as ethtool names it: {@code 1000baseT-FD}, {@code
 *     10000baseT-FD}, {@code 100-HD}, or just {@code 1000}; lower speed or half duplex when full is
 *     expected is WARNING; default none
 * @param changed when true (the default), a change of link speed or duplex since the last run is
 *     WARNING for that run
 * @param name the service name instead of the check's own (single-service checks)
 * @param interval time between runs; default every agent cycle (see {@link Schedule})
 * @param timeout how long one run may take; default 10s
 * @param holdFor the {@code for} key: how long a problem must hold before it is reported
 * @param times with {@code within}: reported once seen in that many of the last {@code within} runs
 * @param within see {@code times}
 */
public record NicConfig(
    @JsonProperty("interface") String iface,
    String expect,
    Boolean changed,
    String name,
    Duration interval,
    Duration timeout,
    @JsonProperty("for") Duration holdFor,
    Integer times,
    Integer within)
    implements CheckConfig {

  public NicConfig {
    if (expect != null) {
      NicCheck.Expect.parse(expect);
    }
    changed = changed == null ? Boolean.TRUE : changed;
    timeout = new Schedule(interval, timeout, holdFor, times, within).timeout();
  }

  /** Every key at its default. */
  public static NicConfig defaults() {
    return new NicConfig(null, null, null, null, null, null, null, null, null);
  }

  @Override
  public String type() {
    return "nic";
  }

  @Override
  public Schedule schedule() {
    return new Schedule(interval, timeout, holdFor, times, within);
  }
}
