package io.custos.agent.check;

import io.custos.common.wire.Metric;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Metrics written back as Nagios perfdata, for {@code custos-agent check --all}: {@code
 * 'fs_used_percent{mount="/"}'=30.1%;80;90;0;100}. The label is the metric name with its labels in
 * Prometheus notation, single-quoted ({@code '} doubled inside); the value is followed by the unit,
 * then warn, crit, min and max, empty where unknown and trailing empties dropped.
 */
public final class NagiosPerfdata {
  private NagiosPerfdata() {}

  /** The perfdata of {@code metrics}, items separated by one blank; empty for no metrics. */
  public static String format(List<Metric> metrics) {
    StringBuilder sb = new StringBuilder();
    for (Metric m : metrics) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append('\'').append(label(m).replace("'", "''")).append("'=");
      sb.append(number(m.value())).append(m.unit() == null ? "" : m.unit());
      String[] rest = {num(m.warn()), num(m.crit()), num(m.min()), num(m.max())};
      int last = rest.length;
      while (last > 0 && rest[last - 1].isEmpty()) {
        last--;
      }
      for (int i = 0; i < last; i++) {
        sb.append(';').append(rest[i]);
      }
    }
    return sb.toString();
  }

  private static String label(Metric m) {
    if (m.labels() == null || m.labels().isEmpty()) {
      return m.name();
    }
    StringBuilder sb = new StringBuilder(m.name()).append('{');
    boolean first = true;
    for (Map.Entry<String, String> e : new TreeMap<>(m.labels()).entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      sb.append(e.getKey()).append("=\"").append(e.getValue()).append('"');
    }
    return sb.append('}').toString();
  }

  private static String num(Double d) {
    return d == null ? "" : number(d);
  }

  /** Plain decimal, at most six places, no exponent: {@code 1571120.5}, {@code 0.082044}. */
  private static String number(double d) {
    if (!Double.isFinite(d)) {
      return "U";
    }
    return java.math.BigDecimal.valueOf(d)
        .setScale(6, java.math.RoundingMode.HALF_UP)
        .stripTrailingZeros()
        .toPlainString();
  }
}
