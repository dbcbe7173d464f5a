package io.custos.agent.check.os;

import java.util.Map;

/**
 * One interface as sysfs shows it.
 *
 * @param speedMbps -1 when unknown (link down, virtual NIC, a driver's "unknown" value)
 * @param duplex {@code full}, {@code half} or null
 * @param adminUp {@code IFF_UP} is set, or the flags are unreadable
 * @param counters counter file to value, for those sysfs has
 */
public record Link(
    String name,
    String operstate,
    boolean carrier,
    long speedMbps,
    String duplex,
    boolean adminUp,
    Map<String, Long> counters) {
  public Link(String name, String operstate, boolean carrier, long speedMbps, String duplex) {
    this(name, operstate, carrier, speedMbps, duplex, true, Map.of());
  }

  /** Carrier and an operational state of up (or unknown, as some drivers report). */
  public boolean up() {
    return carrier && ("up".equals(operstate) || "unknown".equals(operstate));
  }

  /** Speed and duplex for outputs: {@code 1000Mb/s full duplex}. */
  public String describe() {
    return (speedMbps > 0 ? speedMbps + "Mb/s" : "unknown speed")
        + (duplex != null ? " " + duplex + " duplex" : "");
  }

  /** Receive plus transmit errors, 0 for counters sysfs lacks. */
  public long errors() {
    return counters.getOrDefault("statistics/rx_errors", 0L)
        + counters.getOrDefault("statistics/tx_errors", 0L);
  }
}
