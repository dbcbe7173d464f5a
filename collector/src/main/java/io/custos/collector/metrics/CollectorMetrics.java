package io.custos.collector.metrics;

import io.custos.collector.store.Store;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * The collector's own health as Prometheus metrics, in a registry of its own (never the client's
 * global default, so several collectors in one JVM, as in tests, do not mix):
 *
 * <pre>
 * custos_ingest_reports_total{result="stored|duplicate"}   reports ingested
 * custos_ingest_samples_total                              metric samples stored
 * custos_ingest_duration_seconds                           histogram of store time per report
 * custos_store_size_bytes                                  database size on disk
 * custos_http_queue_depth / custos_http_workers_busy       requests waiting for / held by a worker
 * custos_collector_info{version="0.1.0"}                   always 1; the jar's version
 * custos_collector_start_time_seconds                      when this collector started, Unix time
 * </pre>
 *
 * Thread-safe.
 */
public final class CollectorMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter reports;
  private final Counter samples;
  private final Histogram ingestSeconds;

  public CollectorMetrics() {
    String version = version();
    Gauge.builder()
        .name("custos_collector_info")
        .help("The collector's version, from the build")
        .labelNames("version")
        .register(registry)
        .labelValues(version)
        .set(1);
    Gauge.builder()
        .name("custos_collector_start_time_seconds")
        .help("When this collector started, seconds since the Unix epoch")
        .register(registry)
        .set(System.currentTimeMillis() / 1000.0);
    reports =
        Counter.builder()
            .name("custos_ingest_reports_total")
            .help("Agent reports ingested, by result")
            .labelNames("result")
            .register(registry);
    samples =
        Counter.builder()
            .name("custos_ingest_samples_total")
            .help("Metric samples stored from agent reports")
            .register(registry);
    ingestSeconds =
        Histogram.builder()
            .name("custos_ingest_duration_seconds")
            .help("Time to store one report durably, from decoded report to commit")
            .classicOnly()
            .classicUpperBounds(
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
            .register(registry);
  }

  /** The build's version (cli/version.properties, filtered by Maven), or "unknown". */
  static String version() {
    java.util.Properties p = new java.util.Properties();
    try (java.io.InputStream in =
        CollectorMetrics.class.getResourceAsStream("/io/custos/collector/cli/version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (java.io.IOException e) {
      return "unknown";
    }
    return p.getProperty("version", "unknown");
  }

  /** Records one ingested report. */
  public void ingested(boolean stored, int sampleCount, long nanos) {
    reports.labelValues(stored ? "stored" : "duplicate").inc();
    if (stored) {
      samples.inc(sampleCount);
    }
    ingestSeconds.observe(nanos / 1e9);
  }

  /** Exposes the store's size on disk. */
  public void watchStore(Store store) {
    GaugeWithCallback.builder()
        .name("custos_store_size_bytes")
        .help("Bytes the store occupies on disk")
        .callback(cb -> cb.call(store.sizeBytes()))
        .register(registry);
  }

  /** Exposes the HTTP worker pool's queue depth and busy workers. */
  public void watchWorkers(ThreadPoolExecutor workers) {
    GaugeWithCallback.builder()
        .name("custos_http_queue_depth")
        .help("HTTP requests waiting for a worker")
        .callback(cb -> cb.call(workers.getQueue().size()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("custos_http_workers_busy")
        .help("HTTP workers serving a request")
        .callback(cb -> cb.call(workers.getActiveCount()))
        .register(registry);
  }

  /** The current values of the collector's own metrics. */
  public MetricSnapshots scrape() {
    return registry.scrape();
  }
}
