package io.custos.collector.alert;

import io.custos.common.wire.Metric;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The thresholds a check judged against, for the notices of its result: {@code Thresholds: load1
 * 9.1 (warn 4, crit 8); cpu_busy_percent 100% (crit 95%)}. Taken from the result's metrics, which
 * carry {@code warn} and {@code crit} as the Nagios plugin performance data does ({@code
 * 'label'=value[UOM];[warn];[crit];[min];[max]}, Nagios Plugin Development Guidelines); a result
 * whose metrics have none adds nothing.
 */
final class Thresholds {
  /** At most this many metrics are named; a check with more says how many it left out. */
  static final int MAX = 8;

  private Thresholds() {}

  /** The line for {@code metrics}, or null when none has a warn or crit threshold. */
  static String line(List<Metric> metrics) {
    List<String> parts = new ArrayList<>();
    int more = 0;
    for (Metric m : metrics == null ? List.<Metric>of() : metrics) {
      if (m.warn() == null && m.crit() == null) {
        continue;
      }
      if (parts.size() == MAX) {
        more++;
        continue;
      }
      String unit = m.unit() == null ? "" : m.unit();
      StringBuilder b =
          new StringBuilder(name(m)).append(' ').append(number(m.value())).append(unit);
      b.append(" (");
      if (m.warn() != null) {
        b.append("warn ").append(number(m.warn())).append(unit);
      }
      if (m.crit() != null) {
        b.append(m.warn() != null ? ", " : "")
            .append("crit ")
            .append(number(m.crit()))
            .append(unit);
      }
      parts.add(b.append(')').toString());
    }
    if (parts.isEmpty()) {
      return null;
    }
    return "Thresholds: " + String.join("; ", parts) + (more > 0 ? "; " + more + " more" : "");
  }

  /** The notices of {@code step} (one result's) with the thresholds line under their output. */
  static StateMachine.Step mark(StateMachine.Step step, List<Metric> metrics) {
    String line = line(metrics);
    if (line == null || step.notices().isEmpty()) {
      return step;
    }
    List<Notice> notices = new ArrayList<>();
    for (Notice n : step.notices()) {
      notices.add(n.type().isDowntime() ? n : n.withOutputLine(line));
    }
    return new StateMachine.Step(step.state(), notices, step.notes());
  }

  private static String name(Metric m) {
    if (m.labels().isEmpty()) {
      return m.name();
    }
    StringBuilder b = new StringBuilder(m.name()).append('{');
    String sep = "";
    for (Map.Entry<String, String> e : m.labels().entrySet()) {
      b.append(sep).append(e.getKey()).append("=\"").append(e.getValue()).append('"');
      sep = ",";
    }
    return b.append('}').toString();
  }

  /** {@code 4}, {@code 9.1}, {@code 0.25}: no trailing zeros, no exponent. */
  private static String number(double v) {
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}
