package io.custos.collector.traps;

import io.custos.collector.store.HostRecord;
import io.custos.collector.store.Role;
import io.custos.collector.store.Store;
import io.custos.collector.store.TokenRecord;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;

/**
 * Which hosts a trap may report for: a trap is never an agent. A host that is an agent's node (it
 * has a node token, or an agent's report made it) is refused, and so is a new trap host once {@code
 * max_hosts} trap hosts exist. The store's lists are read again at most once a second, so a flood
 * of traps does not become a flood of queries; the store itself refuses a trap report for an agent
 * node that appeared within that second.
 *
 * <p>Not thread-safe: the receiver calls it from its one listening thread.
 */
final class TrapHosts {
  /** Why a trap's host was refused, or null. */
  enum Refusal {
    AGENT_NODE,
    MAX_HOSTS
  }

  private static final long REFRESH_MS = 1000;

  private final Store store;
  private final Clock clock;
  private final int maxHosts;
  private Set<String> agentNodes = Set.of();
  private Set<String> trapHosts = new HashSet<>();
  private long readAt;
  private boolean read;

  TrapHosts(Store store, Clock clock, int maxHosts) {
    this.store = store;
    this.clock = clock;
    this.maxHosts = maxHosts;
  }

  /**
   * Null when a trap may report for {@code host}, else why not.
   *
   * @param creates whether the trap would create the host (a rule matched); an event-only trap does
   *     not count against {@code max_hosts}
   */
  Refusal check(String host, boolean creates) {
    long now = clock.millis();
    if (!read || now - readAt >= REFRESH_MS || now < readAt) {
      Set<String> agents = new HashSet<>();
      Set<String> traps = new HashSet<>();
      for (HostRecord h : store.hosts()) {
        (h.isTrapHost() ? traps : agents).add(h.name());
      }
      for (TokenRecord t : store.tokens()) {
        if (t.role() == Role.NODE && t.node() != null) {
          agents.add(t.node());
        }
      }
      traps.removeAll(agents);
      agentNodes = agents;
      trapHosts = traps;
      readAt = now;
      read = true;
    }
    if (agentNodes.contains(host)) {
      return Refusal.AGENT_NODE;
    }
    if (creates && !trapHosts.contains(host)) {
      if (trapHosts.size() >= maxHosts) {
        return Refusal.MAX_HOSTS;
      }
      trapHosts.add(host);
    }
    return null;
  }

  /** Trap hosts known at the last read, plus those admitted since. */
  int count() {
    return trapHosts.size();
  }
}
