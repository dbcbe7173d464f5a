package io.custos.agent.check.net;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.agent.check.CheckKind;
import java.util.List;

/**
 * Configuration of the {@code nic} check: link state, speed and duplex of network interfaces.
 *
 * <pre>{@code
 * - { type: nic }                                    # every physical port that is up
 * - { type: nic, interface: eth0, expect: 1000baseT-FD, changed: true }
 * - { type: nic, include: ["eno*", "enp*"], exclude: [enp0s20u1], errors: 5 }
 * }</pre>
 *
 * @param iface the {@code interface} key: one interface, judged even when administratively down;
 *     default every physical interface (not lo, bridges, bonds, veths) that is administratively up
 *     ({@code IFF_UP})
 * @param include names or globs of the interfaces to check instead; a plain name is judged even
 *     when administratively down, a glob only selects ports that are up
 * @param exclude names or globs of interfaces never to check
 * @param errors receive plus transmit errors per second at or above which a port is WARNING;
 *     default 1; the drop counters are reported as metrics only
 * @param expect the expected speed and duplex, as ethtool names it: {@code 1000baseT-FD}, {@code
 *     10000baseT-FD}, {@code 100-HD}, or just {@code 1000}; lower speed or half duplex when full is
 *     expected is WARNING; default none
 * @param changed when true (the default), a change of link speed or duplex since the last run is
 *     WARNING for that run
 */
public record NicConfig(
    @JsonProperty("interface") String iface,
    List<String> include,
    List<String> exclude,
    String expect,
    Boolean changed,
    Double errors)
    implements CheckKind {

  public NicConfig {
    if (expect != null) {
      NicCheck.Expect.parse(expect);
    }
    changed = changed == null ? Boolean.TRUE : changed;
    include = include == null ? List.of() : List.copyOf(include);
    exclude = exclude == null ? List.of() : List.copyOf(exclude);
    if (errors != null && !(errors > 0)) {
      throw new IllegalArgumentException(
          "errors must be a positive rate per second, got " + errors);
    }
    errors = errors == null ? 1.0 : errors;
  }

  /** The keys of the first releases: interface, expect and changed. */
  public NicConfig(String iface, String expect, Boolean changed) {
    this(iface, null, null, expect, changed, null);
  }

  /** Every key at its default. */
  public static NicConfig defaults() {
    return new NicConfig(null, null, null);
  }

  @Override
  public String type() {
    return "nic";
  }
}
