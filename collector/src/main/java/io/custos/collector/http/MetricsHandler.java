package io.custos.collector.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.custos.collector.status.StatusBoard;
import io.custos.collector.store.ServiceRecord;
import io.custos.collector.store.TokenOwner;
import io.custos.collector.store.history.Bucket;
import io.custos.collector.store.history.MetricHistory;
import io.custos.collector.store.history.Resolution;
import io.custos.collector.store.history.SeriesData;
import io.custos.collector.store.history.SeriesInfo;
import io.custos.collector.store.history.SeriesKey;
import io.custos.common.wire.Metric;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Metric history, operator or admin token.
 *
 * <ul>
 *   <li>{@code GET /api/v1/metrics/{host}}: the host's series (metric, labels, the service that
 *       reports it, unit, first sample), paginated ({@link Page}).
 *   <li>{@code GET /api/v1/metrics/{host}/{metric}?LABEL=VALUE…&from=&to=&step=}: the values of
 *       every series of that metric whose labels include the given ones. {@code from}/{@code to}:
 *       epoch ms, ISO-8601, {@code now} or {@code -7d} (default the last hour). {@code step}: a
 *       duration ({@code 5m}) or ms; 0 or absent returns raw samples while the range is within raw
 *       retention. The tier is chosen by range and step: raw, then 5-minute, then 1-hour buckets
 *       with min/avg/max/count ({@code step=5m} reads the 5-minute tier, {@code step=1h} the 1-hour
 *       one). Each series carries {@code warning}/{@code critical}: the thresholds of its last
 *       reported sample, null when the check gives none. Series are paginated with {@code
 *       limit}/{@code offset}; at most {@value #MAX_POINTS} points per series (the newest are kept,
 *       {@code "truncated": true}).
 * </ul>
 *
 * <p>An unknown host or metric is 404; a bad parameter 400 naming it; {@code from} after {@code
 * to}, or a step giving more than {@value #MAX_POINTS} buckets, 400.
 */
final class MetricsHandler {
  static final String PREFIX = "/api/v1/metrics/";
  static final int MAX_POINTS = 20_000;
  private static final long DEFAULT_RANGE_MS = 3_600_000L;
  private static final Set<String> RESERVED =
      Set.of("from", "to", "step", "format", "limit", "offset");
  private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private final StatusBoard board;
  private final MetricHistory history;

  MetricsHandler(StatusBoard board) {
    this.board = board;
    this.history = board.store().history();
  }

  /** {@code GET /api/v1/metrics/{host}}: the host's series. */
  Response series(Request request, TokenOwner caller) throws HttpError {
    String host = request.param("host");
    return list(request, Page.of(request), seriesOf(host), Formats.wantsText(request));
  }

  /** {@code GET /api/v1/metrics/{host}/{metric}}: the values of one metric's series. */
  Response values(Request request, TokenOwner caller) throws HttpError {
    String host = request.param("host");
    List<SeriesInfo> series = seriesOf(host);
    return values(
        request,
        Page.of(request),
        host,
        request.param("metric"),
        series,
        Formats.wantsText(request));
  }

  private List<SeriesInfo> seriesOf(String host) throws HttpError {
    List<SeriesInfo> series = history.series(host);
    if (series.isEmpty() && board.store().hosts().stream().noneMatch(h -> h.name().equals(host))) {
      throw new HttpError(404, "no host \"" + host + "\"");
    }
    return series;
  }

  private Response list(Request request, Page page, List<SeriesInfo> all, boolean text) {
    List<SeriesInfo> rows = page.slice(all);
    Response r;
    if (text) {
      ZoneId zone = board.clock().getZone();
      TextTable t = new TextTable("Metric", "Labels", "Service", "Unit", "First Sample");
      for (SeriesInfo s : rows) {
        t.add(
            s.key().name(),
            s.key().labelText(),
            s.key().service(),
            s.unit(),
            Formats.localTime(s.firstTime(), zone));
      }
      r = Response.text(200, t.render());
    } else {
      ArrayNode out = Response.mapper().createArrayNode();
      for (SeriesInfo s : rows) {
        ObjectNode o = out.addObject();
        o.put("metric", s.key().name());
        ObjectNode labels = o.putObject("labels");
        s.key().labels().forEach(labels::put);
        o.put("series", s.key().toString());
        o.put("service", s.key().service());
        o.put("unit", s.unit());
        o.put("first_time", s.firstTime());
      }
      r = Response.json(200, out);
    }
    return page.headers(r, request, all.size());
  }

  private Response values(
      Request request, Page page, String host, String metric, List<SeriesInfo> all, boolean text)
      throws HttpError {
    Map<String, String> wanted = new TreeMap<>();
    for (String name : request.queryNames()) {
      if (RESERVED.contains(name)) {
        continue;
      }
      if (!LABEL.matcher(name).matches()) {
        throw new HttpError(
            400, name + ": not a label name ([a-zA-Z_][a-zA-Z0-9_]*) nor a known parameter");
      }
      wanted.put(name, request.query(name));
    }
    long now = board.clock().millis();
    long to = Params.time(request, "to", now, now);
    long from = Params.time(request, "from", now, to - DEFAULT_RANGE_MS);
    if (from > to) {
      throw new HttpError(400, "from: must not be after to (" + from + " > " + to + ")");
    }
    long range;
    try {
      range = Math.subtractExact(to, from);
    } catch (ArithmeticException e) {
      // Unchecked, to - from wrapped negative and skipped the point count below.
      throw new HttpError(
          400,
          "from: "
              + request.query("from")
              + " is too far before to ("
              + request.query("to")
              + "): the range does not fit in 64-bit milliseconds");
    }
    long step = Params.durationMs(request, "step", 0);
    if (step > 0 && range / step > MAX_POINTS) {
      throw new HttpError(
          400,
          "step: "
              + Params.human(step)
              + " over "
              + Params.human(range)
              + " gives more than "
              + MAX_POINTS
              + " points; use a larger step");
    }
    List<SeriesInfo> matching = new ArrayList<>();
    for (SeriesInfo s : all) {
      if (s.key().name().equals(metric)
          && s.key().labels().entrySet().containsAll(wanted.entrySet())) {
        matching.add(s);
      }
    }
    if (matching.isEmpty()) {
      throw new HttpError(
          404,
          "no series "
              + metric
              + (wanted.isEmpty() ? "" : wanted.toString())
              + " on host \""
              + host
              + "\"; GET "
              + PREFIX
              + host
              + " lists them");
    }
    List<SeriesInfo> rows = page.slice(matching);
    List<SeriesData> data = new ArrayList<>();
    for (SeriesInfo s : rows) {
      data.add(history.query(host, s.key(), from, to, step));
    }
    Response r =
        text
            ? Response.text(200, table(rows, data, board.clock().getZone()))
            : json(host, metric, from, to, rows, data, thresholds(host));
    return page.headers(r, request, matching.size());
  }

  /**
   * The warning and critical thresholds of the last result of every metric of {@code host}, by
   * series: what the check reported with the sample (Nagios perfdata {@code warn;crit}).
   */
  private Map<SeriesKey, Metric> thresholds(String host) {
    Map<SeriesKey, Metric> out = new HashMap<>();
    for (ServiceRecord s : board.store().services(host)) {
      for (Metric m : s.metrics()) {
        if (m.warn() != null || m.crit() != null) {
          out.put(new SeriesKey(m.name(), m.labels(), s.service()), m);
        }
      }
    }
    return out;
  }

  private static Response json(
      String host,
      String metric,
      long from,
      long to,
      List<SeriesInfo> rows,
      List<SeriesData> data,
      Map<SeriesKey, Metric> thresholds) {
    ObjectNode o = Response.mapper().createObjectNode();
    o.put("host", host);
    o.put("metric", metric);
    o.put("from", from);
    o.put("to", to);
    Resolution res = data.isEmpty() ? Resolution.RAW : data.get(0).resolution();
    o.put("resolution", res.label());
    o.put("step_ms", data.isEmpty() ? 0 : data.get(0).step());
    ArrayNode series = o.putArray("series");
    for (int i = 0; i < rows.size(); i++) {
      SeriesInfo s = rows.get(i);
      SeriesData d = data.get(i);
      ObjectNode so = series.addObject();
      ObjectNode labels = so.putObject("labels");
      s.key().labels().forEach(labels::put);
      so.put("service", s.key().service());
      so.put("unit", s.unit());
      Metric last = thresholds.get(s.key());
      so.put("warning", last == null ? null : last.warn());
      so.put("critical", last == null ? null : last.crit());
      boolean raw = d.step() == 0;
      ArrayNode cols = so.putArray("columns");
      if (raw) {
        cols.add("time").add("value");
      } else {
        cols.add("time").add("avg").add("min").add("max").add("count");
      }
      List<Bucket> points = d.points();
      boolean truncated = points.size() > MAX_POINTS;
      if (truncated) {
        points = points.subList(points.size() - MAX_POINTS, points.size());
      }
      so.put("truncated", truncated);
      ArrayNode pts = so.putArray("points");
      for (Bucket b : points) {
        ArrayNode p = pts.addArray();
        p.add(b.start());
        if (raw) {
          p.add(b.min());
        } else {
          p.add(b.avg()).add(b.min()).add(b.max()).add(b.count());
        }
      }
    }
    return Response.json(200, o);
  }

  private static String table(List<SeriesInfo> rows, List<SeriesData> data, ZoneId zone) {
    boolean raw = data.get(0).step() == 0;
    TextTable t =
        raw
            ? new TextTable("Time", "Labels", "Value")
            : new TextTable("Time", "Labels", "Avg", "Min", "Max", "Count");
    for (int i = 0; i < rows.size(); i++) {
      String labels = rows.get(i).key().labelText();
      List<Bucket> points = data.get(i).points();
      for (Bucket b : points.subList(Math.max(0, points.size() - MAX_POINTS), points.size())) {
        String time = Formats.localTime(b.start(), zone);
        if (raw) {
          t.add(time, labels, num(b.min()));
        } else {
          t.add(time, labels, num(b.avg()), num(b.min()), num(b.max()), Long.toString(b.count()));
        }
      }
    }
    return t.render();
  }

  private static String num(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(java.util.Locale.ROOT, "%.4g", v);
  }
}
