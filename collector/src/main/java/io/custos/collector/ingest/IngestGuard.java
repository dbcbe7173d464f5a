package io.custos.collector.ingest;

import io.custos.collector.config.LimitsSection;
import io.custos.collector.store.ServiceRecord;
import io.custos.collector.store.Store;
import io.custos.collector.store.history.SeriesInfo;
import io.custos.common.units.Durations;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Report;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What stands between one node and the others: checks a decoded report against {@link
 * LimitsSection} before it is stored, and bounds the times a node's clock put in it.
 *
 * <ul>
 *   <li>One report: results, metrics per result and in all, labels per metric, label value length.
 *       Over a limit is {@link LimitExceeded} 413.
 *   <li>One node over time: distinct services and distinct series (metric name and labels). The
 *       guard remembers each node's services and series (seeded from the store the first time it
 *       sees the node, then kept in memory: 8 bytes a series); a report that would take the node
 *       past a limit is {@link LimitExceeded} 422 and nothing of it is stored.
 *   <li>Time: a result's {@code time} more than {@code clock_skew} ahead of the collector's clock,
 *       or more than {@code max_age} behind it, is clamped to that bound, so history maintenance
 *       and rollups never see 1970 or year 292 million. The result is still stored.
 *   <li>Text: a result's {@code output} and {@code long_output} longer than {@code output_size} and
 *       {@code long_output_size} UTF-8 bytes are cut there, the cut marked in the text ({@link
 *       OutputCut}). The result is still stored.
 * </ul>
 *
 * <p>Refusals and clamps are written to the node's event history (kind {@code alert}, service
 * {@value #SERVICE}), at most once per node and kind per {@value #NOTE_EVERY_MS} ms so that a node
 * with a broken clock does not fill it. Thread-safe.
 */
public final class IngestGuard {
  /** The service name under which the guard's notes appear in the event history. */
  public static final String SERVICE = "Custos Ingest";

  static final long NOTE_EVERY_MS = 3_600_000L;
  private static final Logger LOG = LoggerFactory.getLogger(IngestGuard.class);

  private final LimitsSection limits;
  private final Store store;
  private final Clock clock;
  private final Map<String, NodeBudget> nodes = new ConcurrentHashMap<>();
  private final Map<String, Long> lastNote = new ConcurrentHashMap<>();

  public IngestGuard(LimitsSection limits, Store store, Clock clock) {
    this.limits = limits;
    this.store = store;
    this.clock = clock;
  }

  /**
   * Checks {@code report} and returns it as it should be stored: the same report, or a copy with
   * out-of-window result times clamped (and a note in the event history saying so).
   *
   * @throws LimitExceeded naming the limit, its value and what the report had; noted in the event
   *     history
   */
  public Report admit(Report report) throws LimitExceeded {
    try {
      checkSize(report);
      budget(report.node()).take(report);
    } catch (LimitExceeded e) {
      note(
          report.node(),
          "refused:" + e.limit(),
          "WARNING",
          "report seq " + report.seq() + " refused: " + e.getMessage());
      throw e;
    }
    return cutOutputs(clampTimes(report));
  }

  /**
   * Cuts each result's {@code output} and {@code long_output} to {@code limits.output_size} and
   * {@code limits.long_output_size} (see {@link OutputCut}), noting the first cut of a report in
   * the node's event history: an unbounded plugin output must not reach every operator's page.
   */
  private Report cutOutputs(Report r) {
    int maxOut = (int) limits.outputSize().bytes();
    int maxLong = (int) limits.longOutputSize().bytes();
    List<CheckResult> out = null;
    String first = null;
    for (int i = 0; i < r.results().size(); i++) {
      CheckResult c = r.results().get(i);
      String o =
          OutputCut.cut(c.output(), maxOut, "limits.output_size", limits.outputSize().toString());
      String l =
          OutputCut.cut(
              c.longOutput(),
              maxLong,
              "limits.long_output_size",
              limits.longOutputSize().toString());
      if (o == c.output() && l == c.longOutput()) {
        continue;
      }
      if (out == null) {
        out = new ArrayList<>(r.results());
        first =
            "results["
                + i
                + "] (\""
                + c.service()
                + "\"): "
                + (o != c.output()
                    ? "output of "
                        + OutputCut.utf8Length(c.output(), c.output().length())
                        + " bytes cut to limits.output_size ("
                        + limits.outputSize()
                        + ")"
                    : "long_output of "
                        + OutputCut.utf8Length(c.longOutput(), c.longOutput().length())
                        + " bytes cut to limits.long_output_size ("
                        + limits.longOutputSize()
                        + ")");
      }
      out.set(i, new CheckResult(c.service(), c.check(), c.status(), o, l, c.time(), c.metrics()));
    }
    if (out == null) {
      return r;
    }
    note(r.node(), "cut:output", "WARNING", "report seq " + r.seq() + ": " + first);
    return new Report(
        r.v(), r.node(), r.agent(), r.seq(), r.sent(), r.intervalS(), r.tags(), out, r.backups());
  }

  private void checkSize(Report r) throws LimitExceeded {
    if (r.results().size() > limits.resultsPerReport()) {
      throw new LimitExceeded(
          413,
          "limits.results_per_report",
          r.results().size()
              + " results in one report, more than limits.results_per_report ("
              + limits.resultsPerReport()
              + ")");
    }
    int total = 0;
    for (int i = 0; i < r.results().size(); i++) {
      CheckResult c = r.results().get(i);
      total += c.metrics().size();
      if (c.metrics().size() > limits.metricsPerResult()) {
        throw new LimitExceeded(
            413,
            "limits.metrics_per_result",
            "results["
                + i
                + "] (\""
                + c.service()
                + "\"): "
                + c.metrics().size()
                + " metrics, more than limits.metrics_per_result ("
                + limits.metricsPerResult()
                + ")");
      }
      for (int j = 0; j < c.metrics().size(); j++) {
        Metric m = c.metrics().get(j);
        String where = "results[" + i + "].metrics[" + j + "] (" + m.name() + ")";
        if (m.labels().size() > limits.labelsPerMetric()) {
          throw new LimitExceeded(
              413,
              "limits.labels_per_metric",
              where
                  + ": "
                  + m.labels().size()
                  + " labels, more than limits.labels_per_metric ("
                  + limits.labelsPerMetric()
                  + ")");
        }
        for (Map.Entry<String, String> l : m.labels().entrySet()) {
          if (l.getValue().length() > limits.labelLength()) {
            throw new LimitExceeded(
                413,
                "limits.label_length",
                where
                    + ".labels."
                    + l.getKey()
                    + ": "
                    + l.getValue().length()
                    + " characters, more than limits.label_length ("
                    + limits.labelLength()
                    + ")");
          }
        }
      }
    }
    if (total > limits.metricsPerReport()) {
      throw new LimitExceeded(
          413,
          "limits.metrics_per_report",
          total
              + " metrics in one report, more than limits.metrics_per_report ("
              + limits.metricsPerReport()
              + ")");
    }
  }

  private Report clampTimes(Report r) {
    long now = clock.millis();
    long earliest = now - limits.maxAge().toMillis();
    long latest = now + limits.clockSkew().toMillis();
    List<CheckResult> out = null;
    long firstBad = 0;
    int clamped = 0;
    for (int i = 0; i < r.results().size(); i++) {
      CheckResult c = r.results().get(i);
      long t = Math.max(earliest, Math.min(latest, c.time()));
      if (t != c.time()) {
        if (out == null) {
          out = new ArrayList<>(r.results());
          firstBad = c.time();
        }
        clamped++;
        out.set(
            i,
            new CheckResult(
                c.service(), c.check(), c.status(), c.output(), c.longOutput(), t, c.metrics()));
      }
    }
    if (out == null) {
      return r;
    }
    boolean ahead = firstBad > latest;
    note(
        r.node(),
        ahead ? "clamped:ahead" : "clamped:behind",
        "WARNING",
        "report seq "
            + r.seq()
            + ": "
            + clamped
            + " result time(s) "
            + (ahead ? "ahead of" : "behind")
            + " the collector's clock beyond limits."
            + (ahead
                ? "clock_skew (" + Durations.format(limits.clockSkew())
                : "max_age (" + Durations.format(limits.maxAge()))
            + "), e.g. "
            + describe(firstBad)
            + ", stored as "
            + Instant.ofEpochMilli(ahead ? latest : earliest)
            + "; check the node's clock (NTP)");
    return new Report(
        r.v(), r.node(), r.agent(), r.seq(), r.sent(), r.intervalS(), r.tags(), out, r.backups());
  }

  private static String describe(long ms) {
    try {
      return Instant.ofEpochMilli(ms).toString();
    } catch (RuntimeException e) {
      return ms + " ms";
    }
  }

  private void note(String node, String kind, String status, String text) {
    long now = clock.millis();
    String key = node + "\u0000" + kind;
    Long last = lastNote.get(key);
    if (last != null && now - last < NOTE_EVERY_MS) {
      return;
    }
    lastNote.put(key, now);
    LOG.warn("node {}: {}", node, text);
    try {
      store.alerts(
          tx -> {
            tx.event(node, SERVICE, now, status, text);
            return null;
          });
    } catch (RuntimeException e) {
      LOG.warn("cannot note in the event history of {}: {}", node, e.toString());
    }
  }

  private NodeBudget budget(String node) {
    return nodes.computeIfAbsent(node, this::seed);
  }

  private NodeBudget seed(String node) {
    NodeBudget b = new NodeBudget(node);
    for (ServiceRecord s : store.services(node)) {
      b.services.add(hash(s.service()));
    }
    for (SeriesInfo s : store.history().series(node)) {
      b.series.add(seriesHash(s.key().name(), s.key().labels()));
    }
    return b;
  }

  /** Forgets a node (after it was removed), so its budget is read from the store again. */
  public void forget(String node) {
    nodes.remove(node);
  }

  /** What one node has: hashes of its services and series. */
  private final class NodeBudget {
    final String node;
    final Set<Long> services = new HashSet<>();
    final Set<Long> series = new HashSet<>();

    NodeBudget(String node) {
      this.node = node;
    }

    synchronized void take(Report r) throws LimitExceeded {
      Set<Long> newServices = new HashSet<>();
      Set<Long> newSeries = new HashSet<>();
      for (CheckResult c : r.results()) {
        long h = hash(c.service());
        if (!services.contains(h)) {
          newServices.add(h);
        }
        for (Metric m : c.metrics()) {
          long s = seriesHash(m.name(), m.labels());
          if (!series.contains(s)) {
            newSeries.add(s);
          }
        }
      }
      if (services.size() + newServices.size() > limits.servicesPerNode()) {
        throw new LimitExceeded(
            422,
            "limits.services_per_node",
            "node \""
                + node
                + "\" has "
                + services.size()
                + " services and this report adds "
                + newServices.size()
                + ", more than limits.services_per_node ("
                + limits.servicesPerNode()
                + ")");
      }
      if (series.size() + newSeries.size() > limits.seriesPerNode()) {
        throw new LimitExceeded(
            422,
            "limits.series_per_node",
            "node \""
                + node
                + "\" has "
                + series.size()
                + " series and this report adds "
                + newSeries.size()
                + ", more than limits.series_per_node ("
                + limits.seriesPerNode()
                + ")");
      }
      services.addAll(newServices);
      series.addAll(newSeries);
    }
  }

  private static long seriesHash(String name, Map<String, String> labels) {
    long h = fnv(FNV_OFFSET, name);
    for (Map.Entry<String, String> l : labels.entrySet()) {
      h = fnv(fnv(h ^ 0x1f, l.getKey()) ^ 0x1e, l.getValue());
    }
    return h;
  }

  private static long hash(String s) {
    return fnv(FNV_OFFSET, s);
  }

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;

  /** 64-bit FNV-1a over the string's chars: collisions among a node's 10^5 keys are negligible. */
  private static long fnv(long h, String s) {
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    return h;
  }
}
