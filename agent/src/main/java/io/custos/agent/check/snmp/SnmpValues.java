package io.custos.agent.check.snmp;

import java.util.Locale;
import org.snmp4j.smi.Counter32;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.Variable;

/** Reading SNMP values (RFC 2578 types) as numbers and text; pure. */
final class SnmpValues {
  static final long COUNTER32_MODULUS = 1L << 32;

  private SnmpValues() {}

  /** True for the exception values noSuchObject, noSuchInstance and endOfMibView (RFC 3416). */
  static boolean missing(Variable v) {
    return v == null || v instanceof Null;
  }

  /** {@code noSuchInstance}, {@code noSuchObject}, {@code endOfMibView} or {@code no value}. */
  static String missingName(Variable v) {
    if (v == null) {
      return "no value";
    }
    return switch (v.getSyntax()) {
      case 128 -> "noSuchObject";
      case 129 -> "noSuchInstance";
      case 130 -> "endOfMibView";
      default -> "null";
    };
  }

  static boolean counter(Variable v) {
    return v instanceof Counter32 || v instanceof Counter64;
  }

  /**
   * The value as a number: integers, gauges, counters as they are (Counter64 above 2^63 as a
   * double), TimeTicks in seconds, an OctetString when its text is a number ({@code "23.5"}, as
   * some devices report sensors); null otherwise.
   */
  static Double number(Variable v) {
    if (missing(v)) {
      return null;
    }
    if (v instanceof TimeTicks t) {
      return t.getValue() / 100.0;
    }
    if (v instanceof Counter64 c) {
      long l = c.getValue();
      return l >= 0 ? (double) l : l + 0x1p64;
    }
    if (v instanceof OctetString s) {
      try {
        return Double.parseDouble(s.toString().strip());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    try {
      return (double) v.toLong();
    } catch (UnsupportedOperationException e) {
      return null;
    }
  }

  /**
   * The increase of a counter between two readings: Counter32 wraps at 2^32 (RFC 2578 §7.1.6), so a
   * lower reading is one wrap; a lower Counter64 reading is a discontinuity (null).
   */
  static Long delta(long before, long now, boolean counter32) {
    if (now >= before) {
      return now - before;
    }
    return counter32 ? now + COUNTER32_MODULUS - before : null;
  }

  /**
   * TimeTicks (hundredths of a second) as {@code 41d 3h 12m}: whole days, then the rest as {@link
   * io.custos.common.units.Durations#format} writes it ({@code 2m 50s}, {@code 16h}), so an uptime
   * reads like every other duration yet keeps its minutes.
   */
  static String uptime(long ticks) {
    long s = ticks / 100;
    long d = s / 86400;
    java.time.Duration rest = java.time.Duration.ofSeconds(s % 86400);
    if (d == 0) {
      return io.custos.common.units.Durations.format(rest);
    }
    return rest.isZero() ? d + "d" : d + "d " + io.custos.common.units.Durations.format(rest);
  }

  /** A rate for output: {@code 0.5/s}. */
  static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%.2f/s", perSecond);
  }
}
