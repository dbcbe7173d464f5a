package io.custos.collector.status;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The alert engine as the status board sees it. */
@FunctionalInterface
public interface AlertView {
  /** No engine: no flags. */
  AlertView NONE = Map::of;

  /** Flags of every (host, service) the engine knows now, keyed {@code host + "\0" + service}. */
  Map<String, ServiceFlags> flags();

  /**
   * As {@link #flags()}, only of the keys in {@code keys} ({@code host + "\0" + service}): a table
   * of a few rows need not decode every alert state.
   */
  default Map<String, ServiceFlags> flags(Set<String> keys) {
    Map<String, ServiceFlags> out = new HashMap<>(flags());
    out.keySet().retainAll(keys);
    return out;
  }

  /**
   * Rows of services only the engine knows — the synthetic services of central rules — at {@code
   * now}, for {@code host} or all hosts when null.
   */
  default List<ServiceView> extraRows(String host, long now) {
    return List.of();
  }

  /**
   * Since when the collector has been able to hear reports (its start, or its store's recovery),
   * epoch ms: a host is DOWN only when silent for its absence time counted from its last report or
   * from this, whichever is later. {@link Long#MIN_VALUE} without an engine.
   */
  default long hearingSince() {
    return Long.MIN_VALUE;
  }

  /** The configured host parents; {@link Topology#NONE} without an engine. */
  default Topology topology() {
    return Topology.NONE;
  }

  /**
   * When the host's Host Alive problem recorded in the store began (epoch ms), 0 when the store
   * records none: survives a restart of the collector, unlike a time computed from when it started
   * hearing.
   */
  default long hostDownSince(String host) {
    return 0;
  }
}
