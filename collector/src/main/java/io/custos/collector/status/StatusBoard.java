package io.custos.collector.status;

import io.custos.collector.store.HostRecord;
import io.custos.collector.store.ServiceRecord;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Store;
import io.custos.common.units.Durations;
import io.custos.common.wire.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns stored state into what operators see, at the current instant of the injected clock: hosts
 * UP, DOWN or UNREACHABLE ({@link Topology}), and the service table with a synthetic {@value
 * #HOST_ALIVE} service per host. A host is DOWN once it has been silent for more than {@code
 * absentAfter} of its own report intervals; its other services then keep their last state but are
 * marked stale (as on an UNREACHABLE host). Read-only; store failures propagate as {@link
 * io.custos.collector.store.StoreException}.
 */
public final class StatusBoard {
  /** The service that stands for the host itself. */
  public static final String HOST_ALIVE = "Host Alive";

  /**
   * {@value #HOST_ALIVE}'s max attempts: the host is DOWN (hard) at once when it has been silent
   * for {@code absent_after} intervals, which are its retries. The alert engine uses the same
   * number.
   */
  public static final int HOST_ALIVE_MAX_ATTEMPTS = 1;

  private static final Set<Status> PROBLEMS = EnumSet.complementOf(EnumSet.of(Status.OK));

  private static final Comparator<ServiceView> TABLE_ORDER =
      Comparator.comparing(ServiceView::host).thenComparing(ServiceView::service);

  private final Store store;
  private final Clock clock;
  private final StatePolicy policy;
  private final int maxAttempts;
  private final AlertView alerts;

  private final HostGroups groups;
  private final ServiceGroups serviceGroups;

  public StatusBoard(Store store, Clock clock, StatePolicy policy) {
    this(store, clock, policy, HostGroups.tagsOnly(), AlertView.NONE);
  }

  public StatusBoard(Store store, Clock clock, StatePolicy policy, HostGroups groups) {
    this(store, clock, policy, groups, AlertView.NONE);
  }

  /** A board whose rows carry the alert engine's flags and attempts. */
  public StatusBoard(Store store, Clock clock, StatePolicy policy, AlertView alerts) {
    this(store, clock, policy, HostGroups.tagsOnly(), alerts);
  }

  /**
   * A board resolving {@code group=} filters with {@code groups} and whose rows carry the alert
   * engine's flags and attempts.
   */
  public StatusBoard(
      Store store, Clock clock, StatePolicy policy, HostGroups groups, AlertView alerts) {
    this(store, clock, policy, groups, ServiceGroups.none(), alerts);
  }

  /** As above, resolving {@code servicegroup=} filters with {@code serviceGroups}. */
  public StatusBoard(
      Store store,
      Clock clock,
      StatePolicy policy,
      HostGroups groups,
      ServiceGroups serviceGroups,
      AlertView alerts) {
    this.serviceGroups = serviceGroups;
    this.store = store;
    this.clock = clock;
    this.policy = policy;
    this.maxAttempts = policy.maxAttempts();
    this.alerts = alerts;
    this.groups = groups;
  }

  /** The service groups ({@code servicegroups:}) this board resolves filters with. */
  public ServiceGroups serviceGroups() {
    return serviceGroups;
  }

  /** The host groups this board resolves {@code group=} filters with. */
  public HostGroups groups() {
    return groups;
  }

  /** The store this board reads. */
  public Store store() {
    return store;
  }

  /** The state-machine settings. */
  public StatePolicy policy() {
    return policy;
  }

  /** The clock this board evaluates against. */
  public Clock clock() {
    return clock;
  }

  /** Every host with its state now, by name. */
  public List<HostView> hosts() {
    return hosts(null);
  }

  /** The host {@code only} (empty when unknown), or every host when null. */
  public List<HostView> hosts(String only) {
    long now = clock.millis();
    Map<String, int[]> counts = new HashMap<>();
    store
        .serviceCounts(only)
        .forEach(
            (host, byStatus) -> {
              int[] c = counts.computeIfAbsent(host, h -> new int[2]);
              byStatus.forEach(
                  (status, n) -> {
                    c[0] += n;
                    c[1] += status.isProblem() ? n : 0;
                  });
            });
    List<HostView> out = new ArrayList<>();
    List<HostRecord> all = store.hosts();
    Topology.Snapshot topo = topology(all, now);
    for (HostRecord h : all) {
      if (only != null && !only.equals(h.name())) {
        continue;
      }
      int[] c = counts.getOrDefault(h.name(), new int[2]);
      Topology.Node node = topo.of(h.name());
      out.add(
          new HostView(
              h.name(),
              node.state(),
              h.agent(),
              h.tags(),
              h.intervalS(),
              h.firstSeen(),
              h.lastReport(),
              node.state() == HostState.UP ? h.upSince() : downSince(h),
              c[0],
              c[1],
              node.parents(),
              node.rootCauses(),
              node.blocking()));
    }
    return out;
  }

  /**
   * The service table now, filtered, sorted by host then service. The store selects the rows of the
   * filter's statuses, and only the shown rows' alert states are decoded for their flags, so a
   * problem list costs the problems, not the whole table.
   */
  public List<ServiceView> services(ServiceFilter filter) {
    List<ServiceView> rows = table(filter);
    if (rows.isEmpty()) {
      return rows;
    }
    Set<String> keys = new HashSet<>();
    for (ServiceView r : rows) {
      keys.add(r.host() + "\0" + r.service());
    }
    withFlags(rows, alerts.flags(keys));
    return rows;
  }

  /**
   * The alert engine's flags of every service now, keyed {@code host + "\0" + service}: reading
   * them costs a pass over all alert states, so a caller building many tables may read them once.
   */
  public Map<String, ServiceFlags> flags() {
    return alerts.flags();
  }

  /** As {@link #services(ServiceFilter)}, with the engine's flags as read by {@link #flags()}. */
  public List<ServiceView> services(ServiceFilter filter, Map<String, ServiceFlags> flags) {
    List<ServiceView> rows = table(filter);
    withFlags(rows, flags);
    return rows;
  }

  private static void withFlags(List<ServiceView> rows, Map<String, ServiceFlags> flags) {
    if (!flags.isEmpty()) {
      rows.replaceAll(r -> r.withFlags(flags.get(r.host() + "\0" + r.service())));
    }
  }

  /** The filtered table without the engine's flags, sorted. */
  private List<ServiceView> table(ServiceFilter filter) {
    long now = clock.millis();
    Map<String, HostRecord> hosts = new HashMap<>();
    List<HostRecord> all = store.hosts();
    Topology.Snapshot topo = topology(all, now);
    for (HostRecord h : all) {
      if (filter.host() == null || filter.host().equals(h.name())) {
        hosts.put(h.name(), h);
      }
    }
    List<ServiceView> rows = new ArrayList<>();
    for (HostRecord h : hosts.values()) {
      rows.add(hostAlive(h, topo.of(h.name()), now));
    }
    for (ServiceRecord s : stored(filter)) {
      HostRecord h = hosts.get(s.host());
      boolean stale = h != null && topo.state(h.name()) != HostState.UP;
      rows.add(
          new ServiceView(
              s.host(),
              s.service(),
              s.check(),
              s.status(),
              s.output(),
              s.longOutput(),
              s.lastCheck(),
              s.lastChange(),
              seconds(now - s.lastChange()),
              s.attempt(),
              maxAttempts,
              stale,
              s.metrics()));
    }
    rows.addAll(alerts.extraRows(filter.host(), now));
    rows.removeIf(r -> !filter.matches(r));
    rows.sort(TABLE_ORDER);
    return rows;
  }

  /**
   * How many rows of the service table, {@value #HOST_ALIVE} left out, have {@code status} now:
   * counted by the store, plus the alert engine's synthetic rows, without reading the table.
   */
  public int count(Status status) {
    int n = 0;
    for (Map<Status, Integer> c : store.serviceCounts(null).values()) {
      n += c.getOrDefault(status, 0);
    }
    for (ServiceView r : alerts.extraRows(null, clock.millis())) {
      if (r.status() == status && !r.service().equals(HOST_ALIVE)) {
        n++;
      }
    }
    return n;
  }

  /** The stored services the filter can show: selected by status in the store where it has one. */
  private List<ServiceRecord> stored(ServiceFilter filter) {
    if (filter.problemsOnly()) {
      return store.services(filter.host(), PROBLEMS);
    }
    if (filter.status() != null) {
      return store.services(filter.host(), EnumSet.of(filter.status()));
    }
    return store.services(filter.host());
  }

  /** Every host's state now, with the engine's parents; silence counted as in {@link #heard}. */
  private Topology.Snapshot topology(List<HostRecord> all, long now) {
    return alerts.topology().evaluate(all, now, policy, alerts.hearingSince());
  }

  private ServiceView hostAlive(HostRecord h, Topology.Node node, long now) {
    long silent = now - h.lastReport();
    boolean down = node.state() != HostState.UP;
    String output =
        down
            ? "HOST "
                + node.state()
                + " - no report for "
                + Durations.format(Duration.ofMillis(silent))
                + " ("
                + policy.absentAfter()
                + " intervals of "
                + Durations.format(Duration.ofSeconds(h.intervalS()))
                + ")"
                + (node.state() == HostState.UNREACHABLE
                    ? "; cut off by " + String.join(", ", node.rootCauses()) + " DOWN"
                    : "")
            : "HOST UP - last report " + Durations.format(Duration.ofMillis(silent)) + " ago";
    long since = down ? downSince(h) : h.upSince();
    return new ServiceView(
        h.name(),
        HOST_ALIVE,
        "host-alive",
        down ? Status.CRITICAL : Status.OK,
        output,
        null,
        h.lastReport(),
        since,
        seconds(now - since),
        1,
        HOST_ALIVE_MAX_ATTEMPTS,
        false,
        List.of());
  }

  private long downSince(HostRecord h) {
    long computed = heard(h) + policy.absenceMs(h.intervalS());
    // After a restart heard() is the restart: the stored Host Alive problem knows the real start.
    long stored = alerts.hostDownSince(h.name());
    return stored > 0 && stored >= h.lastReport() ? stored : computed;
  }

  /** The host's last report, or when the collector could start hearing it if that is later. */
  private long heard(HostRecord h) {
    return Math.max(h.lastReport(), alerts.hearingSince());
  }

  private static long seconds(long millis) {
    return Math.max(0, millis / 1000);
  }
}
