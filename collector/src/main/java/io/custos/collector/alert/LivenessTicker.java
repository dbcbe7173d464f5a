package io.custos.collector.alert;

import static io.custos.collector.status.StatusBoard.HOST_ALIVE;

import io.custos.collector.config.CollectorConfig;
import io.custos.collector.status.HostState;
import io.custos.collector.status.Topology;
import io.custos.collector.store.AlertStateRecord;
import io.custos.collector.store.AlertTx;
import io.custos.collector.store.HostRecord;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Store;
import io.custos.collector.store.StoreException;
import io.custos.common.units.Durations;
import io.custos.common.wire.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The liveness ticker: what time alone decides, evaluated every second on the injected clock. A
 * host silent for {@code absent_after} intervals goes DOWN; what a downtime, flapping or the host
 * being DOWN held back and no longer holds back is notified; re-notifications fall due; downtimes
 * starting and ending are announced. Store failures propagate to the caller (the collector's tick
 * thread logs them and ticks again).
 */
final class LivenessTicker {
  /**
   * Delivered and failed notifications are kept this long in the outbox (the event history keeps
   * its own record).
   */
  static final long OUTBOX_KEEP_MS = 30L * 86_400_000L;

  private final AlertCore core;
  private final Store store;
  private final Clock clock;
  private final CollectorConfig config;
  private final StatePolicy policy;
  private final Runnable wake;
  private volatile long lastPrune;

  /**
   * @param wake called after a commit that queued notices
   */
  LivenessTicker(AlertCore core, Runnable wake) {
    this.core = core;
    this.store = core.store;
    this.clock = core.clock;
    this.config = core.config;
    this.policy = core.policy;
    this.wake = wake;
  }

  /**
   * Evaluates time: hosts silent for {@code absent_after} intervals go DOWN (one host PROBLEM),
   * owed and due re-notifications go out. Silence counts from the host's last report or from when
   * this collector could last start hearing it (its start, or the store's recovery), whichever is
   * later; a store failure here restarts that. Call it every second or so; tests call it directly.
   *
   * <p>Several collectors may tick on one database at once; each decision is taken once. The tick
   * first looks for work without locks; for a host that has some, it locks the host ({@link
   * AlertTx#lockHost}, which a report of that host also holds while it is stored), re-reads the
   * host and its states under the lock and decides again on them. A collector that waited for
   * another's lock thus sees that one's committed result (web01 already DOWN, the reminder already
   * queued) and queues nothing. Downtimes are re-read every tick, so that one scheduled or deleted
   * through another collector applies here within a second.
   */
  void tick() {
    long now = clock.millis();
    core.resumeHearing(now);
    boolean queued;
    try {
      queued = tick(now);
    } catch (StoreException e) {
      core.markDeaf();
      throw e;
    }
    if (queued) {
      wake.run();
    }
  }

  private boolean tick(long now) {
    return store.alerts(
        tx -> {
          if (now - lastPrune >= 3_600_000L) {
            tx.pruneOutbox(now - OUTBOX_KEEP_MS);
            lastPrune = now;
          }
          core.reloadDowntimes(tx);
          Map<String, Map<String, AlertState>> statesByHost = new HashMap<>();
          for (AlertStateRecord r : tx.alertStates()) {
            statesByHost
                .computeIfAbsent(r.host(), h -> new TreeMap<>())
                .put(r.service(), core.read(r.json()));
          }
          boolean q = false;
          List<HostRecord> hosts = tx.hosts();
          Topology.Snapshot snap = core.evaluateHosts(hosts, now);
          for (HostRecord seen : hosts) {
            Map<String, AlertState> states =
                statesByHost.getOrDefault(seen.name(), new TreeMap<>());
            if (plan(seen, states, now, snap, hosts).isEmpty()) {
              continue;
            }
            Optional<HostRecord> locked = tx.lockHost(seen.name());
            if (locked.isEmpty()) {
              continue;
            }
            Map<String, AlertState> fresh = new TreeMap<>();
            Set<String> services = new HashSet<>(states.keySet());
            services.add(HOST_ALIVE);
            for (String service : services) {
              AlertState s = core.read(tx.alertState(seen.name(), service));
              if (s != null) {
                fresh.put(service, s);
              }
            }
            for (Change c : plan(locked.get(), fresh, now, snap, hosts)) {
              q |= core.commit(tx, seen.name(), c.service(), c.step(), now);
            }
          }
          return q;
        });
  }

  /** One state change the tick decided on. */
  private record Change(String service, StateMachine.Step step) {}

  /**
   * What the tick would change for host {@code h} whose states (by service, in service order) are
   * {@code states}: the host going DOWN, then owed and due notifications. Pure apart from reading
   * the configuration and downtimes.
   */
  private List<Change> plan(
      HostRecord h,
      Map<String, AlertState> states,
      long now,
      Topology.Snapshot snap,
      List<HostRecord> hosts) {
    List<Change> out = new ArrayList<>();
    Set<String> groups = core.groupsOf(h.name(), h.tags());
    long heard = Math.max(h.lastReport(), core.hearingSince());
    long silent = now - heard;
    // h may be fresher than the snapshot (a report stored meanwhile under the host's lock).
    HostState state = policy.isAbsent(silent, h.intervalS()) ? snap.state(h.name()) : HostState.UP;
    boolean down = state != HostState.UP;
    Map<String, AlertState> after = new TreeMap<>(states);
    AlertState alive = states.get(HOST_ALIVE);
    boolean reworded = alive != null && !alive.output().startsWith("HOST " + state + " ");
    if (down && (alive == null || !alive.status().isProblem() || reworded)) {
      Topology.Node node = snap.of(h.name());
      List<String> cutOff =
          state == HostState.DOWN
              ? core.topology().cutOff(h.name(), hosts, now, policy, core.hearingSince())
              : List.of();
      String output =
          "HOST "
              + state
              + " - no report for "
              + Durations.format(Duration.ofMillis(silent))
              + " ("
              + policy.absentAfter()
              + " intervals of "
              + Durations.format(Duration.ofSeconds(h.intervalS()))
              + ")"
              + (h.lastReport() < heard
                  ? " since the collector could hear it again; last report "
                      + Durations.format(Duration.ofMillis(now - h.lastReport()))
                      + " ago"
                  : "")
              + (state == HostState.UNREACHABLE
                  ? "; cut off by " + String.join(", ", node.rootCauses()) + " DOWN"
                  : "")
              + (cutOff.isEmpty()
                  ? ""
                  : "; "
                      + cutOff.size()
                      + (cutOff.size() == 1 ? " host" : " hosts")
                      + " behind it unreachable: "
                      + String.join(", ", cutOff));
      StateMachine.Step step =
          StateMachine.result(
              alive,
              h.name(),
              HOST_ALIVE,
              Status.CRITICAL,
              output,
              now,
              core.context(
                  h.name(),
                  HOST_ALIVE,
                  groups,
                  core.hold(h.name(), HOST_ALIVE, null, 0, snap),
                  now));
      out.add(new Change(HOST_ALIVE, step));
      after.put(HOST_ALIVE, step.state());
    }
    Optional<Downtime> hostWide = scopedDowntime(h.name(), groups, HOST_ALIVE, now);
    if (hostWide.isPresent() && !after.containsKey(HOST_ALIVE)) {
      // The host's own state announces a host or group downtime, even before it was ever DOWN.
      after.put(HOST_ALIVE, AlertState.initial(now));
    }
    for (Map.Entry<String, AlertState> e : after.entrySet()) {
      AlertState s = e.getValue();
      if (s == null) {
        continue;
      }
      String service = e.getKey();
      if (StateMachine.idle(s)
          && s.downtimeId() == 0
          && core.downtimes().isEmpty()
          && s.ack() == null) {
        continue;
      }
      StateMachine.Step announced =
          StateMachine.downtime(
              s,
              h.name(),
              service,
              HOST_ALIVE.equals(service)
                  ? hostWide.orElse(null)
                  : scopedDowntime(h.name(), groups, service, now).orElse(null),
              downtime(s.downtimeId()),
              now,
              config.notifications().downtimeNotices());
      announced = StateMachine.Step.then(announced, StateMachine.expireAck(announced.state(), now));
      StateMachine.Step step =
          StateMachine.tick(
              announced.state(),
              h.name(),
              service,
              now,
              core.context(h.name(), service, groups, hold(h, service, s, down, snap), now));
      if (step.state() != s) {
        out.add(new Change(service, StateMachine.Step.then(announced, step)));
      }
    }
    return out;
  }

  /**
   * Why time alone must not notify {@code service} of {@code h} now. A host whose {@value
   * AlertEngine#HOST_ALIVE} is still a problem but that is not absent any more without having
   * reported (a parent of it came back UP, or the collector restarted: its silence counts afresh)
   * waits for its report or its absence, rather than being told of again in between.
   */
  private String hold(
      HostRecord h, String service, AlertState s, boolean down, Topology.Snapshot snap) {
    if (HOST_ALIVE.equals(service) && !down && s.status().isProblem()) {
      return "host no longer absent (a parent is UP again, or the collector restarted);"
          + " waiting for its report";
    }
    return core.hold(h.name(), service, s.target(), s.problemStart(), snap);
  }

  /**
   * The active downtime whose scope is exactly {@code service}: for {@value AlertEngine#HOST_ALIVE}
   * one of the whole host (or its group), for another service one of that service.
   */
  private Optional<Downtime> scopedDowntime(
      String host, Set<String> groups, String service, long now) {
    boolean hostScope = HOST_ALIVE.equals(service);
    for (Downtime d : core.downtimes()) {
      if ((d.service() == null) == hostScope
          && d.covers(host, groups, service)
          && d.activeAt(now, clock.getZone())) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  private Downtime downtime(long id) {
    for (Downtime d : core.downtimes()) {
      if (d.id() == id) {
        return d;
      }
    }
    return null;
  }
}
