package io.custos.collector.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.custos.collector.config.CollectorConfig;
import io.custos.collector.config.NotifySection;
import io.custos.collector.status.AlertView;
import io.custos.collector.status.HostGroups;
import io.custos.collector.status.ServiceFlags;
import io.custos.collector.status.ServiceView;
import io.custos.collector.store.AlertStateRecord;
import io.custos.collector.store.AlertTx;
import io.custos.collector.store.DowntimeRecord;
import io.custos.collector.store.HostRecord;
import io.custos.collector.store.IngestResult;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Store;
import io.custos.collector.store.StoreException;
import io.custos.common.units.Durations;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Report;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert engine: runs the {@link StateMachine} of every (host, service) on each stored report
 * (inside the report's transaction), watches host liveness and re-notification on a {@link #tick},
 * applies acknowledgements and downtimes, and queues notices in the store's outbox for the {@link
 * Dispatcher}. Time comes from the injected clock only.
 *
 * <p>Failure: a store failure propagates (the report is then not acknowledged and the agent
 * retries); a bug in the engine for one result is logged and that result skipped, so it cannot
 * block ingest.
 */
public final class AlertEngine implements AlertView {
  /** The synthetic service standing for the host itself. */
  public static final String HOST_ALIVE = "Host Alive";

  private static final Logger LOG = LoggerFactory.getLogger(AlertEngine.class);

  private final Store store;
  private final Clock clock;
  private final CollectorConfig config;
  private final StatePolicy policy;
  private final List<String> transports;
  private final Runnable wake;
  private final RuleEvaluator rules;
  private final HostGroups groups;
  private final ObjectMapper json =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private volatile List<Downtime> downtimes;
  private volatile long lastPrune;

  /**
   * Since when this collector has been able to hear reports: its start, or the store's recovery
   * after failing writes. A host is absent only if silent for {@code absent_after} intervals
   * counted from its last report or from this, whichever is later, so an outage of the collector
   * (or of its store) never pages for the hosts it could not hear.
   */
  private volatile long hearingSince;

  /** Set when a store operation failed; the next tick that runs restarts {@link #hearingSince}. */
  private volatile boolean deaf;

  /**
   * Delivered and failed notifications are kept this long in the outbox (the event history keeps
   * its own record).
   */
  static final long OUTBOX_KEEP_MS = 30L * 86_400_000L;

  /**
   * @param transports names of the transports every notice is queued for
   * @param wake called after a commit that queued notices, to wake the dispatcher
   */
  public AlertEngine(
      Store store, Clock clock, CollectorConfig config, List<String> transports, Runnable wake) {
    this.store = store;
    this.clock = clock;
    this.config = config;
    this.groups = new HostGroups(config.groups());
    this.policy = new StatePolicy(config.defaults().maxAttempts(), config.hosts().absentAfter());
    this.transports = List.copyOf(transports);
    this.wake = wake;
    this.rules = new RuleEvaluator(config.rules());
    this.downtimes = store.alerts(tx -> toDowntimes(tx.downtimes()));
    this.hearingSince = clock.millis();
  }

  /** Stores a report and runs the state machines on it in the same transaction. */
  public IngestResult ingest(Report report) {
    boolean[] queued = {false};
    IngestResult r;
    try {
      r = store.ingest(report, (rep, applied, tx) -> queued[0] = onReport(rep, applied, tx));
    } catch (StoreException e) {
      deaf = true;
      throw e;
    }
    if (queued[0]) {
      wake.run();
    }
    return r;
  }

  private boolean onReport(Report report, List<CheckResult> applied, AlertTx tx) {
    long now = clock.millis();
    String host = report.node();
    Set<String> groups = groupsOf(host, report.tags());
    boolean queued = false;
    AlertState alive = read(tx.alertState(host, HOST_ALIVE));
    if (alive != null && alive.status().isProblem()) {
      queued |=
          apply(
              tx,
              host,
              HOST_ALIVE,
              groups,
              alive,
              Status.OK,
              "HOST UP - reporting again",
              now,
              false);
    }
    for (CheckResult c : applied) {
      try {
        AlertState prev = read(tx.alertState(host, c.service()));
        StateMachine.Step step =
            StateMachine.result(
                prev,
                host,
                c.service(),
                c.status(),
                c.output(),
                now,
                context(host, c.service(), groups, false, now));
        step =
            LateResults.mark(
                step, c.time(), now, report.intervalS(), hearingSince, clock.getZone());
        queued |= commit(tx, host, c.service(), step, now);
      } catch (StoreException e) {
        throw e;
      } catch (RuntimeException e) {
        LOG.error("alert engine failed on {}/{}; result skipped", host, c.service(), e);
      }
    }
    try {
      // Under the host's lock (the report's transaction), so the stored pending start read here is
      // the one the previous report of this host left, whichever collector stored it.
      List<RuleEvaluator.Result> results =
          rules.evaluate(
              groups,
              applied,
              now,
              rule -> {
                AlertState prev = read(tx.alertState(host, rule));
                return prev == null ? 0 : prev.pendingSince();
              });
      for (RuleEvaluator.Result r : results) {
        AlertState prev = read(tx.alertState(host, r.service()));
        StateMachine.Step step =
            StateMachine.result(
                prev,
                host,
                r.service(),
                r.status(),
                r.output(),
                now,
                context(host, r.service(), groups, false, now));
        StateMachine.Step withPending =
            new StateMachine.Step(
                step.state().withPendingSince(r.pendingSince()), step.notices(), step.notes());
        queued |= commit(tx, host, r.service(), withPending, now);
      }
    } catch (StoreException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.error("alert engine failed on the rules for {}; skipped", host, e);
    }
    return queued;
  }

  private boolean apply(
      AlertTx tx,
      String host,
      String service,
      Set<String> groups,
      AlertState prev,
      Status status,
      String output,
      long now,
      boolean hostDown) {
    StateMachine.Step step =
        StateMachine.result(
            prev,
            host,
            service,
            status,
            output,
            now,
            context(host, service, groups, hostDown, now));
    return commit(tx, host, service, step, now);
  }

  private boolean commit(
      AlertTx tx, String host, String service, StateMachine.Step step, long now) {
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
   * Evaluates time: hosts silent for {@code absent_after} intervals go DOWN (one host PROBLEM),
   * owed and due re-notifications go out. Silence counts from the host's last report or from when
   * this collector could last start hearing it (its start, or the store's recovery), whichever is
   * later. Call it every second or so; tests call it directly.
   *
   * <p>Several collectors may tick on one database at once; each decision is taken once. The tick
   * first looks for work without locks; for a host that has some, it locks the host ({@link
   * AlertTx#lockHost}, which a report of that host also holds while it is stored), re-reads the
   * host and its states under the lock and decides again on them. A collector that waited for
   * another's lock thus sees that one's committed result (web01 already DOWN, the reminder already
   * queued) and queues nothing. Downtimes are re-read every tick, so that one scheduled or deleted
   * through another collector applies here within a second.
   */
  public void tick() {
    long now = clock.millis();
    if (deaf) {
      deaf = false;
      hearingSince = now;
    }
    boolean queued;
    try {
      queued = tick(now);
    } catch (StoreException e) {
      deaf = true;
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
          downtimes = toDowntimes(tx.downtimes());
          Map<String, Map<String, AlertState>> statesByHost = new HashMap<>();
          for (AlertStateRecord r : tx.alertStates()) {
            statesByHost
                .computeIfAbsent(r.host(), h -> new TreeMap<>())
                .put(r.service(), read(r.json()));
          }
          boolean q = false;
          for (HostRecord seen : tx.hosts()) {
            Map<String, AlertState> states =
                statesByHost.getOrDefault(seen.name(), new TreeMap<>());
            if (plan(seen, states, now).isEmpty()) {
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
              AlertState s = read(tx.alertState(seen.name(), service));
              if (s != null) {
                fresh.put(service, s);
              }
            }
            for (Change c : plan(locked.get(), fresh, now)) {
              q |= commit(tx, seen.name(), c.service(), c.step(), now);
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
  private List<Change> plan(HostRecord h, Map<String, AlertState> states, long now) {
    List<Change> out = new ArrayList<>();
    Set<String> groups = groupsOf(h.name(), h.tags());
    long heard = Math.max(h.lastReport(), hearingSince);
    long silent = now - heard;
    boolean down = policy.isAbsent(silent, h.intervalS());
    Map<String, AlertState> after = new TreeMap<>(states);
    AlertState alive = states.get(HOST_ALIVE);
    if (down && (alive == null || !alive.status().isProblem())) {
      String output =
          "HOST DOWN - no report for "
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
                  : "");
      StateMachine.Step step =
          StateMachine.result(
              alive,
              h.name(),
              HOST_ALIVE,
              Status.CRITICAL,
              output,
              now,
              context(h.name(), HOST_ALIVE, groups, false, now));
      out.add(new Change(HOST_ALIVE, step));
      after.put(HOST_ALIVE, step.state());
    }
    for (Map.Entry<String, AlertState> e : after.entrySet()) {
      AlertState s = e.getValue();
      if (s == null || !s.hardProblem()) {
        continue;
      }
      String service = e.getKey();
      boolean hostDown = down && !HOST_ALIVE.equals(service);
      StateMachine.Step step =
          StateMachine.tick(
              s, h.name(), service, now, context(h.name(), service, groups, hostDown, now));
      if (step.state() != s) {
        out.add(new Change(service, step));
      }
    }
    return out;
  }

  /**
   * Acknowledges the problem of (host, service).
   *
   * @return the acknowledgement's id
   * @throws java.util.NoSuchElementException when the service is unknown
   * @throws IllegalStateException when it is not in a problem state
   */
  public long acknowledge(
      String host, String service, String author, String comment, boolean sticky) {
    long now = clock.millis();
    long id =
        store.alerts(
            tx -> {
              tx.lockHost(host);
              AlertState s = read(tx.alertState(host, service));
              if (s == null) {
                throw new java.util.NoSuchElementException(
                    "no service \"" + service + "\" on host \"" + host + "\"");
              }
              if (!s.status().isProblem()) {
                throw new IllegalStateException(
                    host + "/" + service + " is OK; only a problem can be acknowledged");
              }
              long ackId = tx.addAck(host, service, author, comment, sticky, now);
              Ack ack = new Ack(ackId, author, comment, sticky, now);
              Set<String> groups = groupsOf(host, hostTags(tx, host));
              StateMachine.Step step =
                  StateMachine.acknowledge(
                      s, host, service, ack, now, context(host, service, groups, false, now));
              commit(tx, host, service, step, now);
              return ackId;
            });
    wake.run();
    return id;
  }

  /** Removes acknowledgement {@code id}; false if no such acknowledgement exists. */
  public boolean unacknowledge(long id, String who) {
    long now = clock.millis();
    return store.alerts(
        tx -> {
          Optional<List<String>> target = tx.ackTarget(id);
          if (target.isEmpty()) {
            return false;
          }
          String host = target.get().get(0);
          String service = target.get().get(1);
          tx.lockHost(host);
          AlertState s = read(tx.alertState(host, service));
          StateMachine.Step step = StateMachine.unacknowledge(s, id, who);
          if (step.state() != s) {
            commit(tx, host, service, step, now);
          }
          return true;
        });
  }

  /** Schedules a downtime; returns it with its id. */
  public Downtime addDowntime(Downtime d) {
    long now = clock.millis();
    Downtime stored =
        store.alerts(
            tx -> {
              long id = tx.addDowntime(toRecord(d), now);
              Downtime withId =
                  new Downtime(
                      id,
                      d.host(),
                      d.service(),
                      d.group(),
                      d.start(),
                      d.end(),
                      d.weekly(),
                      d.author(),
                      d.comment());
              tx.event(
                  d.host() == null ? "group:" + d.group() : d.host(),
                  d.service() == null ? "" : d.service(),
                  now,
                  "OK",
                  "downtime scheduled " + withId.describe());
              downtimes = toDowntimes(tx.downtimes());
              return withId;
            });
    return stored;
  }

  /** All scheduled downtimes, active or not. */
  public List<Downtime> downtimes() {
    return downtimes;
  }

  /**
   * Deletes a downtime; false if there was none. What it held back is notified on the next tick.
   */
  public boolean deleteDowntime(long id) {
    return store.alerts(
        tx -> {
          boolean deleted = tx.deleteDowntime(id);
          downtimes = toDowntimes(tx.downtimes());
          return deleted;
        });
  }

  /** The state machine's view of every (host, service), keyed {@code host + "\0" + service}. */
  public Map<String, AlertState> states() {
    return store.alerts(
        tx -> {
          Map<String, AlertState> out = new HashMap<>();
          for (AlertStateRecord r : tx.alertStates()) {
            out.put(r.host() + "\0" + r.service(), read(r.json()));
          }
          return out;
        });
  }

  /** Flags for the service table: attempt, soft/hard, acknowledged, in downtime, flapping. */
  @Override
  public Map<String, ServiceFlags> flags() {
    long now = clock.millis();
    return store.alerts(
        tx -> {
          Map<String, List<String>> tags = new HashMap<>();
          for (HostRecord h : tx.hosts()) {
            tags.put(h.name(), h.tags());
          }
          Map<String, ServiceFlags> out = new HashMap<>();
          for (AlertStateRecord r : tx.alertStates()) {
            AlertState s = read(r.json());
            Set<String> groups = groupsOf(r.host(), tags.getOrDefault(r.host(), List.of()));
            int max =
                HOST_ALIVE.equals(r.service()) ? 1 : config.defaults().maxAttemptsOf(r.service());
            out.put(
                r.host() + "\0" + r.service(),
                new ServiceFlags(
                    s.attempt(),
                    max,
                    s.hard(),
                    s.ack() != null,
                    activeDowntime(r.host(), groups, r.service(), now).isPresent(),
                    s.flapping()));
          }
          return out;
        });
  }

  @Override
  public long hearingSince() {
    return hearingSince;
  }

  /** The rules' synthetic services, as rows of the service table. */
  @Override
  public List<ServiceView> extraRows(String host, long now) {
    if (config.rules().isEmpty()) {
      return List.of();
    }
    Set<String> names = new HashSet<>();
    config.rules().forEach(r -> names.add(r.name()));
    return store.alerts(
        tx -> {
          List<ServiceView> out = new ArrayList<>();
          for (AlertStateRecord r : tx.alertStates()) {
            if (!names.contains(r.service()) || (host != null && !host.equals(r.host()))) {
              continue;
            }
            AlertState s = read(r.json());
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
        });
  }

  /** The active downtime covering (host, service) now, if any. */
  public Optional<Downtime> activeDowntime(String host, List<String> tags, String service) {
    return activeDowntime(host, groupsOf(host, tags), service, clock.millis());
  }

  private Optional<Downtime> activeDowntime(
      String host, Set<String> groups, String service, long now) {
    for (Downtime d : downtimes) {
      if (d.covers(host, groups, service) && d.activeAt(now, clock.getZone())) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  private StateMachine.Context context(
      String host, String service, Set<String> groups, boolean hostDown, long now) {
    NotifySection n = config.notifications();
    int max = HOST_ALIVE.equals(service) ? 1 : config.defaults().maxAttemptsOf(service);
    double flapStart = HOST_ALIVE.equals(service) ? 101 : n.flapping().start();
    String downtime =
        activeDowntime(host, groups, service, now).map(Downtime::describe).orElse(null);
    return new StateMachine.Context(
        max, n.renotify().toMillis(), flapStart, n.flapping().stop(), downtime, hostDown);
  }

  /** A host's groups: its agent's tags plus the configured {@code groups:} patterns it matches. */
  Set<String> groupsOf(String host, List<String> tags) {
    // The same resolution as the read API's group= filters (StatusBoard), so a group downtime or
    // rule covers exactly the hosts GET /api/v1/hosts?group= lists.
    return new HashSet<>(groups.of(host, tags));
  }

  private static List<String> hostTags(AlertTx tx, String host) {
    for (HostRecord h : tx.hosts()) {
      if (h.name().equals(host)) {
        return h.tags();
      }
    }
    return List.of();
  }

  private static List<Downtime> toDowntimes(List<DowntimeRecord> rows) {
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

  private static DowntimeRecord toRecord(Downtime d) {
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

  private AlertState read(String text) {
    if (text == null) {
      return null;
    }
    try {
      return json.readValue(text, AlertState.class);
    } catch (JsonProcessingException e) {
      throw new StoreException("corrupt alert state: " + e.getOriginalMessage(), e);
    }
  }

  private String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }
}
