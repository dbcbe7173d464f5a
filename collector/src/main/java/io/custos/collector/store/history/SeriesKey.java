package io.custos.collector.store.history;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Identifies a series of one host: the service that reported it, metric name and its labels, sorted
 * by label name. Two checks of one node whose metrics share a name and labels (two Nagios plugins
 * both reporting {@code users}) are two series because their services differ. {@link #labelText()}
 * is the labels' canonical text ({@code mount="/",x="y"}, values escaped as in the Prometheus text
 * format); {@link #storedText()} adds the service as the pseudo-label {@value #SERVICE} (a name no
 * real label can have), and is what the database keeps, so equal keys are equal strings.
 *
 * @param name metric name
 * @param labels label names to values, sorted
 * @param service the reporting service; empty for a series stored before series had one
 */
public record SeriesKey(String name, Map<String, String> labels, String service) {
  /** The pseudo-label that carries the service in {@link #storedText()}. */
  public static final String SERVICE = "@service";

  public SeriesKey {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("series name must not be empty");
    }
    labels = labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
    service = service == null ? "" : service;
  }

  /** A key without a service: as a query, it finds the series of any service (see history). */
  public SeriesKey(String name, Map<String, String> labels) {
    this(name, labels, "");
  }

  /** The key whose {@link #storedText()} is {@code text}. */
  public static SeriesKey ofStored(String name, String text) {
    Map<String, String> labels = parseLabels(text);
    String service = labels.remove(SERVICE);
    return new SeriesKey(name, labels, service);
  }

  /** The labels' text followed by the service pseudo-label, as stored. */
  public String storedText() {
    return storedText(labelText(), service);
  }

  /** {@link #storedText()} from a {@link #labelText()} and a service. */
  static String storedText(String labelText, String service) {
    if (service.isEmpty()) {
      return labelText;
    }
    return labelText + (labelText.isEmpty() ? "" : ",") + SERVICE + "=\"" + escape(service) + '"';
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
