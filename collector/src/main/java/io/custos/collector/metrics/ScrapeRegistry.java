package io.custos.collector.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What {@code GET /metrics} serves, as one {@link PrometheusRegistry}: the collector's own health
 * ({@link CollectorMetrics}) and the latest value of every series ({@link SeriesExport}), whose
 * family names never take one of the collector's own. A scrape asking only for the collector's own
 * families ({@code ?name[]=custos_ingest_samples_total}) does not read the fleet's series, which
 * for thousands of hosts is a large scrape.
 */
public final class ScrapeRegistry {
  private ScrapeRegistry() {}

  /** A new registry over {@code own} and {@code fleet}; both are read at every scrape. */
  public static PrometheusRegistry of(CollectorMetrics own, SeriesExport fleet) {
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(new Own(own));
    registry.register(new Fleet(own, fleet));
    return registry;
  }

  /** Prometheus names of {@code snapshots}, each also with {@code _total} (counters' full name). */
  private static Set<String> names(MetricSnapshots snapshots) {
    Set<String> out = new HashSet<>();
    for (MetricSnapshot s : snapshots) {
      out.add(s.getMetadata().getPrometheusName());
      out.add(s.getMetadata().getPrometheusName() + "_total");
    }
    return out;
  }

  private record Own(CollectorMetrics metrics) implements MultiCollector {
    @Override
    public MetricSnapshots collect() {
      return metrics.scrape();
    }
  }

  private record Fleet(CollectorMetrics own, SeriesExport series) implements MultiCollector {
    @Override
    public MetricSnapshots collect() {
      return collect(n -> true, null);
    }

    @Override
    public MetricSnapshots collect(Predicate<String> included, PrometheusScrapeRequest request) {
      Set<String> reserved = names(own.scrape());
      String[] asked = request == null ? null : request.getParameterValues("name[]");
      if (asked != null && asked.length > 0 && reserved.containsAll(Arrays.asList(asked))) {
        return new MetricSnapshots(List.of());
      }
      List<MetricSnapshot> out = new ArrayList<>();
      for (MetricSnapshot s : series.collect(reserved)) {
        if (included.test(s.getMetadata().getPrometheusName())) {
          out.add(s);
        }
      }
      return new MetricSnapshots(out);
    }
  }
}
