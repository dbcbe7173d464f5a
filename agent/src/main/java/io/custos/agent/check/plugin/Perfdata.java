package io.custos.agent.check.plugin;

import io.custos.common.wire.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Nagios plugin output, parsed: the first line's text, the long output, and the performance data
 * turned into Prometheus-style metrics.
 *
 * <p>The format (Nagios plugin guidelines): {@code TEXT | PERFDATA} on the first line; further
 * lines are long output until a line containing {@code |}, after which everything (the rest of that
 * line and every later line) is more perfdata. A perfdata item is {@code
 * 'label'=value[UOM];[warn];[crit];[min];[max]}; labels with spaces are single-quoted, {@code ''}
 * inside is a quote.
 *
 * <p>Metric names are the label sanitised to {@code [a-z0-9_]} plus a base-unit suffix: {@code
 * time=0.004s} is {@code time_seconds} 0.004, {@code 'rta'=12ms} is {@code rta_seconds} 0.012,
 * {@code /=2643MB} is {@code root_bytes} (MB counts 1024², as check_disk does), {@code pl=0%} is
 * {@code pl_percent}, {@code c} counters get {@code _total}. The original label is kept as the
 * metric label {@code label}. Warn and crit thresholds given as ranges ({@code 10:20}, {@code @5:},
 * {@code ~:3}) keep their upper bound, or the lower one when there is no upper. Decimal commas
 * ({@code offset=-0,082044s;0,000000;1,000000;}, a plugin under a de_DE locale) read as decimal
 * points. An item that cannot be parsed or overflows a double is skipped with a note in {@link
 * Output#skipped()}, and a value of {@code U} (undetermined) silently; neither fails the check.
 */
final class Perfdata {
  /**
   * The parsed output.
   *
   * @param skipped one note per perfdata item that was left out, e.g. {@code 'x'=abc: value is not
   *     a number}
   */
  record Output(String text, String longOutput, List<Metric> metrics, List<String> skipped) {
    Output(String text, String longOutput, List<Metric> metrics) {
      this(text, longOutput, metrics, List.of());
    }
  }

  private Perfdata() {}

  /** Parses a plugin's whole standard output. */
  static Output parse(String stdout) {
    String[] lines = stdout.replace("\r", "").split("\n", -1);
    int n = lines.length;
    while (n > 0 && lines[n - 1].isBlank()) {
      n--;
    }
    if (n == 0) {
      return new Output("", null, List.of());
    }
    StringBuilder perf = new StringBuilder();
    String first = lines[0];
    String text = first;
    int bar = first.indexOf('|');
    if (bar >= 0) {
      text = first.substring(0, bar);
      perf.append(first, bar + 1, first.length()).append(' ');
    }
    List<String> longLines = new ArrayList<>();
    boolean inPerf = false;
    for (int i = 1; i < n; i++) {
      String line = lines[i];
      if (inPerf) {
        perf.append(line).append(' ');
        continue;
      }
      int b = line.indexOf('|');
      if (b >= 0) {
        if (!line.substring(0, b).isBlank()) {
          longLines.add(line.substring(0, b).stripTrailing());
        }
        perf.append(line, b + 1, line.length()).append(' ');
        inPerf = true;
      } else {
        longLines.add(line);
      }
    }
    String longOutput = longLines.isEmpty() ? null : String.join("\n", longLines);
    List<String> skipped = new ArrayList<>();
    List<Metric> metrics = metrics(perf.toString(), skipped);
    return new Output(text.strip(), longOutput, metrics, skipped);
  }

  /** The metrics of a perfdata string; items that do not parse are skipped. */
  static List<Metric> metrics(String perfdata) {
    return metrics(perfdata, new ArrayList<>());
  }

  /** The metrics of a perfdata string; a note for each item skipped is added to {@code skipped}. */
  static List<Metric> metrics(String perfdata, List<String> skipped) {
    List<Metric> out = new ArrayList<>();
    int i = 0;
    String s = perfdata;
    while (i < s.length()) {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      if (i >= s.length()) {
        break;
      }
      StringBuilder label = new StringBuilder();
      if (s.charAt(i) == '\'') {
        i++;
        while (i < s.length()) {
          char c = s.charAt(i);
          if (c == '\'') {
            if (i + 1 < s.length() && s.charAt(i + 1) == '\'') {
              label.append('\'');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          label.append(c);
          i++;
        }
      } else {
        while (i < s.length() && s.charAt(i) != '=' && !Character.isWhitespace(s.charAt(i))) {
          label.append(s.charAt(i++));
        }
      }
      if (i >= s.length() || s.charAt(i) != '=') {
        // no '=': not a perfdata item; skip the word
        while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
          i++;
        }
        continue;
      }
      int start = ++i;
      while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      String data = s.substring(start, i);
      Metric m;
      try {
        m = item(label.toString(), data);
      } catch (RuntimeException e) {
        // A metric the wire model rejects (a bad name, min above max) spoils only itself.
        m = null;
      }
      if (m != null) {
        out.add(m);
      } else if (!data.startsWith("U")) {
        skipped.add("'" + label + "'=" + data + ": " + why(label.toString(), data));
      }
    }
    return out;
  }

  private static String why(String label, String data) {
    if (label.isEmpty()) {
      return "no label";
    }
    String v = decimalPoint(data.split(";", -1)[0]);
    int u = 0;
    while (u < v.length() && "0123456789.-+eE".indexOf(v.charAt(u)) >= 0) {
      u++;
    }
    try {
      double d = Double.parseDouble(v.substring(0, u));
      return Double.isFinite(d) ? "not a valid metric" : "value overflows a double";
    } catch (NumberFormatException e) {
      return "value is not a number";
    }
  }

  /**
   * A field with a decimal comma ({@code -0,082044s}, as plugins print under a German or French
   * locale) with a decimal point instead; a field with several commas is left as it is (and fails
   * to parse, rather than guessing at thousands separators).
   */
  static String decimalPoint(String field) {
    int comma = field.indexOf(',');
    if (comma < 0 || field.indexOf(',', comma + 1) >= 0 || field.indexOf('.') >= 0) {
      return field;
    }
    return field.replace(',', '.');
  }

  /** One item's metric from its label and {@code value[UOM];warn;crit;min;max}, or null. */
  static Metric item(String label, String data) {
    String[] f = data.split(";", -1);
    for (int k = 0; k < f.length; k++) {
      f[k] = decimalPoint(f[k]);
    }
    int u = 0;
    String v = f[0];
    while (u < v.length() && "0123456789.-+eE".indexOf(v.charAt(u)) >= 0) {
      u++;
    }
    String unit = v.substring(u);
    Double value = number(v.substring(0, u));
    if (label.isEmpty() || value == null) {
      return null;
    }
    double scale;
    String baseUnit;
    String suffix;
    switch (unit) {
      case "s" -> {
        scale = 1;
        baseUnit = "s";
        suffix = "_seconds";
      }
      case "ms" -> {
        scale = 1e-3;
        baseUnit = "s";
        suffix = "_seconds";
      }
      case "us" -> {
        scale = 1e-6;
        baseUnit = "s";
        suffix = "_seconds";
      }
      case "%" -> {
        scale = 1;
        baseUnit = "%";
        suffix = "_percent";
      }
      case "B" -> {
        scale = 1;
        baseUnit = "B";
        suffix = "_bytes";
      }
      case "KB", "kB", "KiB" -> {
        scale = 1024;
        baseUnit = "B";
        suffix = "_bytes";
      }
      case "MB", "MiB" -> {
        scale = 1024.0 * 1024;
        baseUnit = "B";
        suffix = "_bytes";
      }
      case "GB", "GiB" -> {
        scale = 1024.0 * 1024 * 1024;
        baseUnit = "B";
        suffix = "_bytes";
      }
      case "TB", "TiB" -> {
        scale = 1024.0 * 1024 * 1024 * 1024;
        baseUnit = "B";
        suffix = "_bytes";
      }
      case "c" -> {
        scale = 1;
        baseUnit = "c";
        suffix = "_total";
      }
      case "" -> {
        scale = 1;
        baseUnit = null;
        suffix = "";
      }
      default -> {
        // an unknown unit: keep the value as it is, say which unit in the metric
        scale = 1;
        baseUnit = unit;
        suffix = "";
      }
    }
    return new Metric(
        metricName(label, suffix),
        Map.of("label", label),
        value * scale,
        baseUnit,
        scaled(threshold(field(f, 1)), scale),
        scaled(threshold(field(f, 2)), scale),
        scaled(number(field(f, 3)), scale),
        scaled(number(field(f, 4)), scale));
  }

  /** A Prometheus name for a perfdata label: {@code /} is root, {@code /var/log} var_log. */
  static String metricName(String label, String suffix) {
    String name =
        label
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9_]+", "_")
            .replaceAll("_+", "_")
            .replaceAll("^_|_$", "");
    if (name.isEmpty()) {
      name = label.equals("/") ? "root" : "value";
    }
    if (Character.isDigit(name.charAt(0))) {
      name = "_" + name;
    }
    return name.endsWith(suffix) ? name : name + suffix;
  }

  private static String field(String[] f, int i) {
    return i < f.length ? f[i] : "";
  }

  /** A threshold or range: the upper bound, else the lower; null when absent or unparsable. */
  static Double threshold(String t) {
    String r = t.strip();
    if (r.startsWith("@")) {
      r = r.substring(1);
    }
    int colon = r.indexOf(':');
    if (colon < 0) {
      return number(r);
    }
    Double upper = number(r.substring(colon + 1));
    return upper != null ? upper : number(r.substring(0, colon).replace("~", ""));
  }

  private static Double number(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      double d = Double.parseDouble(s.strip());
      return Double.isFinite(d) ? d : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Double scaled(Double d, double scale) {
    return d == null ? null : d * scale;
  }
}
