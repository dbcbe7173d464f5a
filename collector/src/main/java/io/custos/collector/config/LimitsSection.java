package io.custos.collector.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.common.units.ByteSize;
import java.time.Duration;

/**
 * {@code limits:} — how much one node may send, so that no node can hurt the others. The defaults
 * are far above what a real agent sends (some 50 results and 500 series); a report over a limit is
 * refused as a whole (413 for sizes of one report, 422 for what a node has accumulated), with the
 * limit's name in the answer and a note in the node's event history.
 *
 * <pre>{@code
 * limits:
 *   results_per_report: 10000     # check results in one report
 *   metrics_per_result: 10000     # perfdata samples of one result
 *   metrics_per_report: 100000    # samples in one report, all results together
 *   labels_per_metric: 32         # labels of one sample
 *   label_length: 1024            # characters of one label value
 *   services_per_node: 10000      # distinct services a node may have
 *   series_per_node: 100000       # distinct series (service, metric, labels) a node may have
 *   clock_skew: 1h                # sample times further than this from the collector's clock
 *                                 # (ahead, or behind beyond max_age) are clamped
 *   max_age: 7d                   # how old a sample may be (a spool replayed late)
 *   output_size: 8KB              # UTF-8 bytes of a result's output (first line) kept
 *   long_output_size: 64KB        # UTF-8 bytes of a result's long_output kept
 * }</pre>
 *
 * <p>{@code output_size} and {@code long_output_size} do not refuse: longer text is cut there
 * (Nagios keeps the first 8 KiB of a plugin's output, {@code MAX_PLUGIN_OUTPUT_LENGTH}), the cut
 * marked in the text itself, and the result stored.
 *
 * @param resultsPerReport most results in one report
 * @param metricsPerResult most metrics in one result
 * @param metricsPerReport most metrics in one report
 * @param labelsPerMetric most labels on one metric
 * @param labelLength longest label value, in characters
 * @param servicesPerNode most distinct services one node may have
 * @param seriesPerNode most distinct series one node may have
 * @param clockSkew how far ahead of the collector's clock a result's time may be
 * @param maxAge how far behind the collector's clock a result's time may be
 * @param outputSize most UTF-8 bytes of a result's {@code output} kept; 64 B to 1 MB
 * @param longOutputSize most UTF-8 bytes of a result's {@code long_output} kept; 64 B to 1 MB
 */
public record LimitsSection(
    @JsonProperty("results_per_report") Integer resultsPerReport,
    @JsonProperty("metrics_per_result") Integer metricsPerResult,
    @JsonProperty("metrics_per_report") Integer metricsPerReport,
    @JsonProperty("labels_per_metric") Integer labelsPerMetric,
    @JsonProperty("label_length") Integer labelLength,
    @JsonProperty("services_per_node") Integer servicesPerNode,
    @JsonProperty("series_per_node") Integer seriesPerNode,
    @JsonProperty("clock_skew") Duration clockSkew,
    @JsonProperty("max_age") Duration maxAge,
    @JsonProperty("output_size") ByteSize outputSize,
    @JsonProperty("long_output_size") ByteSize longOutputSize) {
  /** Default of {@code output_size}: Nagios' {@code MAX_PLUGIN_OUTPUT_LENGTH}. */
  public static final ByteSize DEFAULT_OUTPUT_SIZE = ByteSize.of(8 * 1024);

  /** Default of {@code long_output_size}: room for a few hundred lines of plugin detail. */
  public static final ByteSize DEFAULT_LONG_OUTPUT_SIZE = ByteSize.of(64 * 1024);

  public LimitsSection {
    resultsPerReport = positive("results_per_report", resultsPerReport, 10_000);
    metricsPerResult = positive("metrics_per_result", metricsPerResult, 10_000);
    metricsPerReport = positive("metrics_per_report", metricsPerReport, 100_000);
    labelsPerMetric = positive("labels_per_metric", labelsPerMetric, 32);
    labelLength = positive("label_length", labelLength, 1024);
    servicesPerNode = positive("services_per_node", servicesPerNode, 10_000);
    seriesPerNode = positive("series_per_node", seriesPerNode, 100_000);
    clockSkew = duration("clock_skew", clockSkew, Duration.ofHours(1));
    maxAge = duration("max_age", maxAge, Duration.ofDays(7));
    outputSize = size("output_size", outputSize, DEFAULT_OUTPUT_SIZE);
    longOutputSize = size("long_output_size", longOutputSize, DEFAULT_LONG_OUTPUT_SIZE);
  }

  /**
   * As the canonical constructor, with {@code output_size} and {@code long_output_size} default.
   */
  public LimitsSection(
      Integer resultsPerReport,
      Integer metricsPerResult,
      Integer metricsPerReport,
      Integer labelsPerMetric,
      Integer labelLength,
      Integer servicesPerNode,
      Integer seriesPerNode,
      Duration clockSkew,
      Duration maxAge) {
    this(
        resultsPerReport,
        metricsPerResult,
        metricsPerReport,
        labelsPerMetric,
        labelLength,
        servicesPerNode,
        seriesPerNode,
        clockSkew,
        maxAge,
        null,
        null);
  }

  private static ByteSize size(String key, ByteSize v, ByteSize dflt) {
    if (v == null) {
      return dflt;
    }
    if (v.bytes() < 64 || v.bytes() > (1L << 20)) {
      throw new IllegalArgumentException(key + ": expected between 64B and 1MB, got " + v);
    }
    return v;
  }

  /** Every limit at its default. */
  public static LimitsSection ofDefaults() {
    return new LimitsSection(null, null, null, null, null, null, null, null, null, null, null);
  }

  private static int positive(String key, Integer v, int dflt) {
    if (v == null) {
      return dflt;
    }
    if (v < 1) {
      throw new IllegalArgumentException(key + ": must be at least 1, got " + v);
    }
    return v;
  }

  private static Duration duration(String key, Duration v, Duration dflt) {
    if (v == null) {
      return dflt;
    }
    if (v.toSeconds() < 1) {
      throw new IllegalArgumentException(key + ": must be at least 1s, got " + v);
    }
    return v;
  }
}
