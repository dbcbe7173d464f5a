package io.custos.collector.alert;

import io.custos.collector.config.CollectorConfig;
import io.custos.collector.status.AlertView;
import io.custos.collector.status.ServiceFlags;
import io.custos.collector.status.ServiceView;
import io.custos.collector.store.AlertStateRecord;
import io.custos.collector.store.HostRecord;
import io.custos.collector.store.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The read model: what the service table and the API show of the alert engine (attempts, soft or
 * hard, acknowledged, in downtime, flapping; the rules' synthetic services). Read-only; store
 * failures propagate as {@link io.custos.collector.store.StoreException}.
 */
final class AlertReadModel implements AlertView {
  private final AlertCore core;
  private final Store store;
  private final Clock clock;
  private final CollectorConfig config;

  AlertReadModel(AlertCore core) {
    this.core = core;
    this.store = core.store;
    this.clock = core.clock;
    this.config = core.config;
  }

  /** The state machine's view of every (host, service), keyed {@code host + "\0" + service}. */
  Map<String, AlertState> states() {
    return store.alerts(
        tx -> {
          Map<String, AlertState> out = new HashMap<>();
          for (AlertStateRecord r : tx.alertStates()) {
            out.put(r.host() + "\0" + r.service(), core.read(r.json()));
          }
          return out;
        });
  }

  @Override
  public long hostDownSince(String host) {
    AlertState s =
        core.read(
            store.alerts(
                tx -> tx.alertState(host, io.custos.collector.status.StatusBoard.HOST_ALIVE)));
    if (s == null || !s.status().isProblem() || !s.hard()) {
      return 0;
    }
    return s.problemStart() > 0 ? s.problemStart() : s.lastHardChange();
  }

  /**
   * Flags for the service table: attempt, soft/hard, acknowledged, in downtime, flapping. Read
   * outside the store's write transaction, so a reader never holds up ingest.
   */
  @Override
  public Map<String, ServiceFlags> flags() {
    return flags(null);
  }

  /** As {@link #flags()}, decoding only the states of {@code keys} (all when null). */
  @Override
  public Map<String, ServiceFlags> flags(Set<String> keys) {
    long now = clock.millis();
    if (keys != null && keys.isEmpty()) {
      return Map.of();
    }
    Map<String, List<String>> tags = new HashMap<>();
    for (HostRecord h : store.hosts()) {
      tags.put(h.name(), h.tags());
    }
    Map<String, ServiceFlags> out = new HashMap<>();
    for (AlertStateRecord r : store.alertStates()) {
      String key = r.host() + "\0" + r.service();
      if (keys != null && !keys.contains(key)) {
        continue;
      }
      AlertState s = core.read(r.json());
      Set<String> groups = core.groupsOf(r.host(), tags.getOrDefault(r.host(), List.of()));
      int max = core.maxAttempts(r.service());
      out.put(
          key,
          new ServiceFlags(
              s.attempt(),
              max,
              s.hard(),
              s.ack() != null,
              core.activeDowntime(r.host(), groups, r.service(), now).isPresent(),
              s.flapping()));
    }
    return out;
  }

  /** The rules' synthetic services, as rows of the service table. */
  @Override
  public List<ServiceView> extraRows(String host, long now) {
    if (config.rules().isEmpty()) {
      return List.of();
    }
    Set<String> names = new HashSet<>();
    config.rules().forEach(r -> names.add(r.name()));
    List<ServiceView> out = new ArrayList<>();
    for (AlertStateRecord r : store.alertStates()) {
      if (!names.contains(r.service()) || (host != null && !host.equals(r.host()))) {
        continue;
      }
      AlertState s = core.read(r.json());
      out.add(
          new ServiceView(
              r.host(),
              r.service(),
              "rule",
              s.status(),
              s.output(),
              null,
              s.lastCheck(),
              s.lastHardChange(),
              Math.max(0, (now - s.lastHardChange()) / 1000),
              s.attempt(),
              config.defaults().maxAttemptsOf(r.service()),
              false,
              List.of()));
    }
    return out;
  }

  /** The active downtime covering (host, service) now, if any. */
  Optional<Downtime> activeDowntime(String host, List<String> tags, String service) {
    return core.activeDowntime(host, core.groupsOf(host, tags), service, clock.millis());
  }
}
