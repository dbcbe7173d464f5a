package io.custos.collector.metrics;

import io.custos.collector.status.HostState;
import io.custos.collector.status.HostView;
import io.custos.collector.status.ServiceFilter;
import io.custos.collector.status.ServiceView;
import io.custos.collector.status.StatusBoard;
import io.custos.common.wire.Metric;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The latest value of every series of every host that is UP, as Prometheus snapshots: the metric's
 * own name and labels plus {@code host}. Names ending in {@code _total} are counters, the rest
 * gauges. Plus {@code custos_host_up{host}} (1 or 0) for every host, {@code
 * custos_host_state{host,state}} (1 for its state among UP, DOWN, UNREACHABLE, 0 for the others)
 * and {@code custos_hosts{state}} (how many hosts are in each). A DOWN host's series are left out
 * rather than repeated as if fresh; so are names the Prometheus text format does not allow and a
 * second sample of the same series.
 *
 * <p>Names the collector itself uses are reserved, so that whatever a node sends the exposition
 * stays valid and the collector's own health cannot be faked: an agent label named like one the
 * collector adds ({@code host}) is renamed {@code exported_host}, prefixed again as long as that
 * name is taken too ({@code exported_exported_host}), as Prometheus does on conflicts; a metric
 * family named {@code custos_*} or in {@code reserved} is renamed {@code exported_<name>} the same
 * way.
 */
public final class SeriesExport {
  private static final String HELP = "Latest value reported by Custos agents";

  /** Label names the collector adds to every series. */
  static final Set<String> OWN_LABELS = Set.of("host");

  /** Prefix of every metric family the collector itself exports. */
  static final String OWN_PREFIX = "custos_";

  private final StatusBoard board;

  public SeriesExport(StatusBoard board) {
    this.board = board;
  }

  /** Snapshots now; family names in {@code reserved} are skipped. */
  public List<MetricSnapshot> collect(Set<String> reserved) {
    Map<String, Family> families = new TreeMap<>();
    Set<String> seen = new HashSet<>();
    for (ServiceView s : board.services(ServiceFilter.ALL)) {
      if (s.stale()) {
        continue;
      }
      for (Metric m : s.metrics()) {
        boolean counter = m.name().endsWith("_total");
        String name = counter ? m.name().substring(0, m.name().length() - 6) : m.name();
        while (name.startsWith(OWN_PREFIX)
            || reserved.contains(name)
            || reserved.contains(name + "_total")) {
          name = "exported_" + name;
        }
        if (!PrometheusNaming.isValidMetricName(name) || (counter && m.value() < 0)) {
          continue;
        }
        Family f = families.computeIfAbsent(name, n -> new Family(counter));
        if (f.counter != counter) {
          continue; // x and x_total from different agents: keep the first kind seen
        }
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        names.add("host");
        values.add(s.host());
        m.labels()
            .forEach(
                (k, v) -> {
                  String label = k;
                  while (OWN_LABELS.contains(label)
                      || m.labels().containsKey(label) && !label.equals(k)
                      || names.contains(label)) {
                    label = "exported_" + label;
                  }
                  names.add(label);
                  values.add(v);
                });
        if (!validLabels(names)) {
          continue;
        }
        Labels labels = Labels.of(names, values);
        if (seen.add(name + labels)) {
          f.points.add(new Point(labels, m.value()));
        }
      }
    }
    List<MetricSnapshot> out = new ArrayList<>();
    GaugeSnapshot.Builder up =
        GaugeSnapshot.builder()
            .name("custos_host_up")
            .help("1 if the host reports, 0 if DOWN or UNREACHABLE");
    List<HostView> hosts = board.hosts();
    for (HostView h : hosts) {
      up.dataPoint(
          GaugeSnapshot.GaugeDataPointSnapshot.builder()
              .labels(Labels.of("host", h.name()))
              .value(h.up() ? 1 : 0)
              .build());
    }
    out.add(up.build());
    GaugeSnapshot.Builder state =
        GaugeSnapshot.builder()
            .name("custos_host_state")
            .help("1 for the host's current state (UP, DOWN or UNREACHABLE), 0 for the others");
    int[] counts = new int[HostState.values().length];
    for (HostView h : hosts) {
      counts[h.state().ordinal()]++;
      for (HostState s : HostState.values()) {
        state.dataPoint(
            GaugeSnapshot.GaugeDataPointSnapshot.builder()
                .labels(Labels.of("host", h.name(), "state", s.name()))
                .value(h.state() == s ? 1 : 0)
                .build());
      }
    }
    out.add(state.build());
    GaugeSnapshot.Builder byState =
        GaugeSnapshot.builder().name("custos_hosts").help("Hosts in each state");
    for (HostState s : HostState.values()) {
      byState.dataPoint(
          GaugeSnapshot.GaugeDataPointSnapshot.builder()
              .labels(Labels.of("state", s.name()))
              .value(counts[s.ordinal()])
              .build());
    }
    out.add(byState.build());
    families.forEach(
        (name, f) -> {
          if (f.counter) {
            CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(HELP);
            for (Point p : f.points) {
              b.dataPoint(
                  CounterSnapshot.CounterDataPointSnapshot.builder()
                      .labels(p.labels)
                      .value(p.value)
                      .build());
            }
            out.add(b.build());
          } else {
            GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(HELP);
            for (Point p : f.points) {
              b.dataPoint(
                  GaugeSnapshot.GaugeDataPointSnapshot.builder()
                      .labels(p.labels)
                      .value(p.value)
                      .build());
            }
            out.add(b.build());
          }
        });
    return out;
  }

  private static boolean validLabels(List<String> names) {
    for (String n : names) {
      if (!PrometheusNaming.isValidLabelName(n)) {
        return false;
      }
    }
    return true;
  }

  private record Point(Labels labels, double value) {}

  private static final class Family {
    final boolean counter;
    final List<Point> points = new ArrayList<>();

    Family(boolean counter) {
      this.counter = counter;
    }
  }
}
