package io.custos.common.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One sample of one series, with the Nagios perfdata fields. Names follow Prometheus conventions
 * ({@code snake_case}, base units), so {@code /metrics} can expose them unchanged.
 *
 * @param name metric name, {@code [a-zA-Z_:][a-zA-Z0-9_:]*}
 * @param labels label names {@code [a-zA-Z_][a-zA-Z0-9_]*}; sorted, never null
 * @param value the sample; must be finite
 * @param unit a perfdata-style unit ({@code %}, {@code B}, {@code s}, ...) or null
 * @param warn warning threshold or null
 * @param crit critical threshold or null
 * @param min lowest possible value or null
 * @param max highest possible value or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Metric(
    String name,
    Map<String, String> labels,
    double value,
    String unit,
    Double warn,
    Double crit,
    Double min,
    Double max) {

  public Metric {
    if (name == null) {
      throw new WireException("name", "missing");
    }
    if (!isName(name, true)) {
      throw new WireException("name", "expected [a-zA-Z_:][a-zA-Z0-9_:]*, got \"" + name + "\"");
    }
    labels = labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (!isName(e.getKey(), false) || e.getKey().startsWith("__")) {
        throw new WireException(
            "labels", "label name must match [a-zA-Z_][a-zA-Z0-9_]*, got \"" + e.getKey() + "\"");
      }
      if (e.getValue() == null) {
        throw new WireException("labels." + e.getKey(), "expected a string, got null");
      }
    }
    if (!Double.isFinite(value)) {
      throw new WireException("value", "expected a finite number, got " + value);
    }
    requireFiniteOrNull("warn", warn);
    requireFiniteOrNull("crit", crit);
    requireFiniteOrNull("min", min);
    requireFiniteOrNull("max", max);
  }

  /** A metric with only name, labels, value and unit. */
  public static Metric of(String name, Map<String, String> labels, double value, String unit) {
    return new Metric(name, labels, value, unit, null, null, null, null);
  }

  /**
   * {@code [a-zA-Z_:][a-zA-Z0-9_:]*} for metric names, without {@code :} for label names. A loop,
   * not a regex: the collector checks some 20,000 names a second.
   */
  private static boolean isName(String s, boolean colon) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || c == '_'
              || (colon && c == ':')
              || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static void requireFiniteOrNull(String field, Double v) {
    if (v != null && !Double.isFinite(v)) {
      throw new WireException(field, "expected a finite number, got " + v);
    }
  }
}
