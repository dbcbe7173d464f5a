package io.custos.collector.store.history;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Identifies a series of one host: metric name and its labels, sorted by label name. {@link
 * #labelText()} is the canonical form stored in the database ({@code mount="/",x="y"}, values
 * escaped as in the Prometheus text format), so equal keys are equal strings.
 *
 * @param name metric name
 * @param labels label names to values, sorted
 */
public record SeriesKey(String name, Map<String, String> labels) {
  public SeriesKey {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("series name must not be empty");
    }
    labels = labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
  }

  /** The labels in canonical text form, empty for none. */
  public String labelText() {
    return labelText(labels);
  }

  /** {@link #labelText()} of labels already sorted by name (as a wire {@code Metric}'s are). */
  static String labelText(Map<String, String> labels) {
    if (labels.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(e.getKey()).append("=\"").append(escape(e.getValue())).append('"');
    }
    return sb.toString();
  }

  /** Parses {@link #labelText()} back. */
  public static Map<String, String> parseLabels(String text) {
    Map<String, String> out = new TreeMap<>();
    int i = 0;
    while (i < text.length()) {
      int eq = text.indexOf("=\"", i);
      if (eq < 0) {
        throw new IllegalArgumentException("bad label text: " + text);
      }
      String name = text.substring(i, eq);
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      for (; j < text.length() && text.charAt(j) != '"'; j++) {
        char c = text.charAt(j);
        if (c == '\\' && j + 1 < text.length()) {
          char n = text.charAt(++j);
          value.append(n == 'n' ? '\n' : n);
        } else {
          value.append(c);
        }
      }
      out.put(name, value.toString());
      i = j + 2; // past the closing quote and the comma
    }
    return out;
  }

  /** Prometheus-style {@code name{a="b"}}. */
  @Override
  public String toString() {
    return labels.isEmpty() ? name : name + "{" + labelText() + "}";
  }

  static String escape(String v) {
    if (v.indexOf('\\') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0) {
      return v;
    }
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
