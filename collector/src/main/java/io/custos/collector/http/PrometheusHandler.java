package io.custos.collector.http;

import io.custos.collector.metrics.CollectorMetrics;
import io.custos.collector.metrics.SeriesExport;
import io.custos.collector.store.TokenOwner;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code GET /metrics}, operator or admin token: the Prometheus text exposition format (0.0.4) of
 * the collector's own health ({@link CollectorMetrics}) and the latest value of every series
 * ({@link SeriesExport}). A token is required because this is fleet data; Prometheus sends it with
 * {@code authorization: { credentials_file: /etc/prometheus/custos.token }} in the scrape config.
 *
 * <p>{@code ?name[]=custos_ingest_samples_total&name[]=…} restricts the answer to those families
 * (as client_java's own handler does); asking only for the collector's own metrics skips reading
 * the fleet's series, which for thousands of hosts is a large scrape.
 */
final class PrometheusHandler implements Handler {
  private final CollectorMetrics metrics;
  private final SeriesExport series;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  PrometheusHandler(CollectorMetrics metrics, SeriesExport series) {
    this.metrics = metrics;
    this.series = series;
  }

  @Override
  public Response handle(Request request, TokenOwner caller) {
    List<String> names = request.queryAll("name[]");
    // Counters are named without _total in the client's model; accept either spelling.
    Predicate<String> wanted =
        names.isEmpty() ? n -> true : n -> names.contains(n) || names.contains(n + "_total");
    List<MetricSnapshot> all = new ArrayList<>();
    Set<String> own = new HashSet<>();
    for (MetricSnapshot s : metrics.scrape()) {
      own.add(s.getMetadata().getPrometheusName());
      own.add(s.getMetadata().getPrometheusName() + "_total");
      if (wanted.test(s.getMetadata().getPrometheusName())
          || wanted.test(s.getMetadata().getName())) {
        all.add(s);
      }
    }
    boolean onlyOwn = !names.isEmpty() && own.containsAll(names);
    if (!onlyOwn) {
      for (MetricSnapshot s : series.collect(own)) {
        if (wanted.test(s.getMetadata().getPrometheusName())
            || wanted.test(s.getMetadata().getName())) {
          all.add(s);
        }
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    try {
      writer.write(out, new MetricSnapshots(all), EscapingScheme.UNDERSCORE_ESCAPING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Response(200, writer.getContentType(), Map.of(), out.toByteArray());
  }
}
