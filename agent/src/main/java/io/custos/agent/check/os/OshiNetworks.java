package io.custos.agent.check.os;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import oshi.hardware.NetworkIF;
import oshi.hardware.NetworkIF.IfOperStatus;

/**
 * Network ports as {@link Link}s from OSHI's {@link NetworkIF}, for nodes that are not Linux.
 * Loopback ports (IANA ifType 24, or named {@code lo*}) are left out. OSHI reports the operational
 * status of RFC 2863: {@code UP} is up; {@code LOWER_LAYER_DOWN} is a port that is enabled without
 * a link (an unplugged cable: judged); {@code DOWN} and {@code NOT_PRESENT} count as
 * administratively down (judged only when named). Speed comes in bits/s; 0 is unknown. Duplex is
 * not known.
 */
public final class OshiNetworks {
  private static final int SOFTWARE_LOOPBACK = 24;

  private OshiNetworks() {}

  /** The non-loopback ports of {@code ifs}, by name. */
  public static Map<String, Link> links(List<NetworkIF> ifs) {
    Map<String, Link> out = new LinkedHashMap<>();
    for (NetworkIF n : ifs) {
      if (n.getIfType() == SOFTWARE_LOOPBACK || n.getName().matches("lo\\d*")) {
        continue;
      }
      IfOperStatus status = n.getIfOperStatus();
      boolean carrier =
          status == IfOperStatus.UP || status == IfOperStatus.UNKNOWN && n.isConnectorPresent();
      Map<String, Long> counters = new LinkedHashMap<>();
      counters.put("statistics/rx_errors", n.getInErrors());
      counters.put("statistics/tx_errors", n.getOutErrors());
      counters.put("statistics/rx_dropped", n.getInDrops());
      String oper =
          status == IfOperStatus.UP
              ? "up"
              : status == IfOperStatus.UNKNOWN ? "unknown" : status.name().toLowerCase(Locale.ROOT);
      long speed = n.getSpeed() <= 0 ? -1 : Interfaces.speedMbps(n.getSpeed() / 1_000_000);
      out.put(
          n.getName(),
          new Link(
              n.getName(),
              oper,
              carrier,
              speed,
              null,
              status != IfOperStatus.DOWN && status != IfOperStatus.NOT_PRESENT,
              counters));
    }
    return out;
  }

  /** The names of {@code links}, for selection. */
  static List<String> names(Map<String, Link> links) {
    return new ArrayList<>(links.keySet());
  }
}
