package io.custos.collector.store;

import java.util.List;

/**
 * A host as stored: what its last report said about it and when reports arrived (collector clock).
 *
 * @param name node name
 * @param agent agent name and version from the last report
 * @param tags host groups from the last report
 * @param intervalS the agent's report interval, seconds
 * @param firstSeen when its first report arrived
 * @param lastReport when its last report arrived
 * @param upSince when it last started reporting after being absent (or first seen)
 * @param lastSeq highest sequence number stored
 */
public record HostRecord(
    String name,
    String agent,
    List<String> tags,
    int intervalS,
    long firstSeen,
    long lastReport,
    long upSince,
    long lastSeq) {
  /**
   * How the agent string of a report the collector makes itself begins (traps, its own services).
   * The store never lets such a report change an agent's node, and an agent's report takes a host
   * only the collector made over.
   */
  public static final String COLLECTOR_AGENT = "custos-collector/";

  /** The agent string of the reports the SNMP trap receiver makes. */
  public static final String TRAP_AGENT = COLLECTOR_AGENT + "snmp-trap";

  /** Whether {@code agent} is an agent string of a report the collector makes itself. */
  public static boolean collectorMade(String agent) {
    return agent != null && agent.startsWith(COLLECTOR_AGENT);
  }

  /** Whether only traps made this host. */
  public boolean isTrapHost() {
    return TRAP_AGENT.equals(agent);
  }

  public HostRecord {
    tags = List.copyOf(tags);
  }
}
