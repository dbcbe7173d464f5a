package io.custos.collector.alert;

import static io.custos.collector.status.StatusBoard.HOST_ALIVE;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.custos.collector.config.CollectorConfig;
import io.custos.collector.config.NotifySection;
import io.custos.collector.status.HostGroups;
import io.custos.collector.status.HostState;
import io.custos.collector.status.StatusBoard;
import io.custos.collector.status.Topology;
import io.custos.collector.store.AlertTx;
import io.custos.collector.store.DowntimeRecord;
import io.custos.collector.store.HostRecord;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Store;
import io.custos.collector.store.StoreException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the parts of the {@link AlertEngine} share, as Alertmanager's notify stages share their
 * context: the store, clock and configuration; the {@link StateMachine.Context} of a (host,
 * service) with its mute reasons (a downtime from the schedule kept here, the host being DOWN); the
 * JSON codec of the stored states; and {@link #commit}, which saves a decision and queues its
 * notices in the outbox in the caller's transaction. Thread-safe: the downtime schedule is swapped
 * whole.
 */
final class AlertCore {
  final Store store;
  final Clock clock;
  final CollectorConfig config;
  final StatePolicy policy;
  private final List<String> transports;
  private final HostGroups groups;
  private final ObjectMapper json =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private volatile List<Downtime> downtimes;
  private final Topology topology;

  /** Every host's state as the last tick evaluated it; ingest and acks read it. */
  private volatile Topology.Snapshot hostStates = Topology.Snapshot.EMPTY;

  /**
   * Since when this collector has been able to hear reports: its start, or the store's recovery
   * after failing writes. A host is absent only if silent for {@code absent_after} intervals
   * counted from its last report or from this, whichever is later, so an outage of the collector
   * (or of its store) never pages for the hosts it could not hear.
   */
  private volatile long hearingSince;

  /** Set when a store operation failed; the next tick that runs restarts {@link #hearingSince}. */
  private volatile boolean deaf;

  AlertCore(Store store, Clock clock, CollectorConfig config, List<String> transports) {
    this.store = store;
    this.clock = clock;
    this.config = config;
    this.groups = new HostGroups(config.groups());
    this.policy = new StatePolicy(config.defaults().maxAttempts(), config.hosts().absentAfter());
    this.transports = List.copyOf(transports);
    this.topology = new Topology(config.hosts().parents());
    this.downtimes = store.alerts(tx -> toDowntimes(tx.downtimes()));
    this.hearingSince = clock.millis();
  }

  /** Since when this collector has been able to hear reports, epoch ms. */
  long hearingSince() {
    return hearingSince;
  }

  /**
   * Until {@link #startHearing}, no host can be absent: the collector is still starting and cannot
   * hear reports yet (agents are spooling). Silence will count from when it first listens.
   */
  void notHearingYet() {
    hearingSince = Long.MAX_VALUE;
  }

  /** The collector listens from {@code now}: silence counts from here at the earliest. */
  void startHearing(long now) {
    hearingSince = now;
  }

  /** Records that a store operation failed: the collector may have missed reports. */
  void markDeaf() {
    deaf = true;
  }

  /** Called at the start of a tick at {@code now}: after a store failure, hearing restarts now. */
  void resumeHearing(long now) {
    if (deaf) {
      deaf = false;
      hearingSince = now;
    }
  }

  /** The configured host parents. */
  Topology topology() {
    return topology;
  }

  /** Every host's state as the last tick saw it. */
  Topology.Snapshot hostStates() {
    return hostStates;
  }

  /** Evaluates every host's state at {@code now} from {@code hosts} and keeps it. */
  Topology.Snapshot evaluateHosts(List<HostRecord> hosts, long now) {
    Topology.Snapshot snap = topology.evaluate(hosts, now, policy, hearingSince);
    hostStates = snap;
    return snap;
  }

  /**
   * Why the notices of {@code service} of {@code host} are held back by other hosts' states, or
   * null: the host itself UNREACHABLE ({@code hosts.notify_unreachable} off), a service of a DOWN
   * or UNREACHABLE host, or a remote check whose {@code target} is a monitored host that is DOWN or
   * UNREACHABLE, or not heard from since the check's problem began (it may be going DOWN: waiting
   * at most one of the target's intervals avoids a page its own DOWN makes redundant).
   *
   * @param problemStart when the service's current problem began, 0 for none
   */
  String hold(
      String host, String service, String target, long problemStart, Topology.Snapshot snap) {
    Topology.Node node = snap.of(host);
    if (HOST_ALIVE.equals(service)) {
      if (node.state() == HostState.UNREACHABLE && !config.hosts().notifyUnreachable()) {
        return "host is UNREACHABLE (cut off by "
            + String.join(", ", node.rootCauses())
            + " DOWN; hosts.notify_unreachable is off)";
      }
      return null;
    }
    if (node.state() == HostState.DOWN) {
      return "host is DOWN";
    }
    if (node.state() == HostState.UNREACHABLE) {
      return "host is UNREACHABLE (cut off by " + String.join(", ", node.rootCauses()) + " DOWN)";
    }
    return targetHold(host, target, problemStart, snap);
  }

  /**
   * Why a remote check of {@code host} aimed at {@code target} holds back its notices, or null: the
   * target DOWN or UNREACHABLE, or not heard from since the check's problem began ({@code
   * problemStart}, 0 for none).
   */
  static String targetHold(String host, String target, long problemStart, Topology.Snapshot snap) {
    if (target != null && !target.equals(host) && snap.nodes().containsKey(target)) {
      Topology.Node t = snap.of(target);
      if (t.state() != HostState.UP) {
        return "its target " + target + " is " + t.state();
      }
      if (problemStart > 0 && t.heard() <= problemStart) {
        return "its target "
            + target
            + " has not reported since this problem began (waiting to see if it is DOWN)";
      }
    }
    return null;
  }

  List<Downtime> downtimes() {
    return downtimes;
  }

  /** Re-reads the downtime schedule in {@code tx}. */
  void reloadDowntimes(AlertTx tx) {
    downtimes = toDowntimes(tx.downtimes());
  }

  /** Whether downtimes' starts, ends and cancellations are notified ({@code downtime_notices}). */
  boolean downtimeNotices() {
    return config.notifications().downtimeNotices();
  }

  /**
   * Saves {@code step}'s state and history lines and queues its notices for every transport, due
   * after {@code group_wait}.
   *
   * @return true when something was queued (the dispatcher should be woken after the commit)
   */
  boolean commit(AlertTx tx, String host, String service, StateMachine.Step step, long now) {
    tx.saveAlertState(host, service, write(step.state()));
    for (String note : step.notes()) {
      tx.event(host, service, now, step.state().status().name(), note);
    }
    long due = now + config.notifications().groupWait().toMillis();
    for (Notice n : step.notices()) {
      for (String t : transports) {
        tx.enqueue(t, host, now, due, write(n));
      }
      if (transports.isEmpty()) {
        tx.event(host, service, now, n.status().name(), n.type() + " not sent: no transport");
      }
    }
    return !step.notices().isEmpty() && !transports.isEmpty();
  }

  /**
   * What surrounds a decision on {@code service} of {@code host}: its max attempts, renotify and
   * flapping thresholds (none for the host itself), and what mutes it — the active downtime
   * covering it, or {@code hold} (see {@link #hold}).
   */
  StateMachine.Context context(
      String host, String service, Set<String> groups, String hold, long now) {
    NotifySection n = config.notifications();
    int max = maxAttempts(service);
    double flapStart = HOST_ALIVE.equals(service) ? 101 : n.flapping().start();
    String downtime =
        activeDowntime(host, groups, service, now).map(Downtime::describe).orElse(null);
    return new StateMachine.Context(
        max, n.renotify().toMillis(), flapStart, n.flapping().stop(), downtime, hold);
  }

  /** Attempts before {@code service} is hard; the status board shows the same. */
  int maxAttempts(String service) {
    return HOST_ALIVE.equals(service)
        ? StatusBoard.HOST_ALIVE_MAX_ATTEMPTS
        : config.defaults().maxAttemptsOf(service);
  }

  /** A host's groups: its agent's tags plus the configured {@code groups:} patterns it matches. */
  Set<String> groupsOf(String host, List<String> tags) {
    // The same resolution as the read API's group= filters (StatusBoard), so a group downtime or
    // rule covers exactly the hosts GET /api/v1/hosts?group= lists.
    return new HashSet<>(groups.of(host, tags));
  }

  /**
   * The active downtime covering {@code service} of {@code host} (in {@code groups}) at {@code
   * now}.
   */
  Optional<Downtime> activeDowntime(String host, Set<String> groups, String service, long now) {
    for (Downtime d : downtimes) {
      if (d.covers(host, groups, service) && d.activeAt(now, clock.getZone())) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  /** The agent's tags of {@code host}, read in {@code tx}; empty for an unknown host. */
  static List<String> hostTags(AlertTx tx, String host) {
    for (HostRecord h : tx.hosts()) {
      if (h.name().equals(host)) {
        return h.tags();
      }
    }
    return List.of();
  }

  /** Stored rows as downtimes; a weekly window is parsed again (it was valid when stored). */
  static List<Downtime> toDowntimes(List<DowntimeRecord> rows) {
    List<Downtime> out = new ArrayList<>();
    for (DowntimeRecord r : rows) {
      out.add(
          new Downtime(
              r.id(),
              r.host(),
              r.service(),
              r.group(),
              r.start(),
              r.end(),
              r.weekly() == null ? null : Weekly.parse(r.weekly()),
              r.author(),
              r.comment()));
    }
    return List.copyOf(out);
  }

  /** {@code d} as a row to store. */
  static DowntimeRecord toRecord(Downtime d) {
    return new DowntimeRecord(
        d.id(),
        d.host(),
        d.service(),
        d.group(),
        d.start(),
        d.end(),
        d.weekly() == null ? null : d.weekly().text(),
        d.author(),
        d.comment());
  }

  /**
   * A stored state, or null for none.
   *
   * @throws StoreException when the document cannot be read
   */
  AlertState read(String text) {
    if (text == null) {
      return null;
    }
    try {
      return json.readValue(text, AlertState.class);
    } catch (JsonProcessingException e) {
      throw new StoreException("corrupt alert state: " + e.getOriginalMessage(), e);
    }
  }

  /** A state or notice as the JSON document the store keeps. */
  String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }
}
