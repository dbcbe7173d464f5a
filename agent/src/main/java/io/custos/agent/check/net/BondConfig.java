package io.custos.agent.check.net;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.agent.check.CheckKind;

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
 */
public record BondConfig(@JsonProperty("interface") String iface) implements CheckKind {

  public BondConfig {}

  /** Every key at its default. */
  public static BondConfig defaults() {
    return new BondConfig(null);
  }

  @Override
  public String type() {
    return "bond";
  }
}
