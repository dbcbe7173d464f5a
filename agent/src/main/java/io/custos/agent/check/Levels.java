package io.custos.agent.check;

import io.custos.common.units.Percent;
import io.custos.common.wire.Status;
import java.time.Duration;
import java.util.Locale;

/** Threshold comparison and number formatting shared by the checks. */
public final class Levels {
  private static final double GIB = 1024.0 * 1024 * 1024;

  private Levels() {}

  /**
   * The status of a used percentage: CRITICAL at or above {@code critical}, WARNING at or above
   * {@code warning}, as check_disk counts 80% used as WARNING when warning is 80%.
   */
  public static Status ofUsedPercent(double used, Percent warning, Percent critical) {
    if (used >= critical.value()) {
      return Status.CRITICAL;
    }
    if (used >= warning.value()) {
      return Status.WARNING;
    }
    return Status.OK;
  }

  /** Rejects warning at or above critical, naming both. */
  public static void requireBelow(
      String warningKey, Percent warning, String criticalKey, Percent critical) {
    if (warning.value() >= critical.value()) {
      throw new IllegalArgumentException(
          warningKey + " (" + warning + ") must be below " + criticalKey + " (" + critical + ")");
    }
  }

  /** Rejects a response-time warning at or above its critical, when both are set. */
  public static void requireBelow(Duration warning, Duration critical) {
    if (warning != null && critical != null && warning.compareTo(critical) >= 0) {
      throw new IllegalArgumentException(
          "warning ("
              + warning.toMillis()
              + "ms) must be below critical ("
              + critical.toMillis()
              + "ms)");
    }
  }

  /** Rejects a TCP port outside 1–65535; returns it. */
  public static int requirePort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: expected 1-65535, got " + port);
    }
    return port;
  }

  /** Bytes as GiB with one decimal, {@code 15.6 GiB}. */
  public static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.1f GiB", bytes / GIB);
  }

  /** A percentage for output text, rounded to a whole number. */
  public static String pct(double percent) {
    return Math.round(percent) + "%";
  }

  /** A percentage with one decimal, {@code 27.9%}, for progress and rates. */
  public static String pct1(double percent) {
    return String.format(Locale.ROOT, "%.1f%%", percent);
  }

  /** A number without a needless fraction: {@code 5}, {@code 0.5}. */
  public static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? String.valueOf((long) value)
        : String.valueOf(value);
  }

  /** A load average as uptime prints it, {@code 0.52}. */
  public static String load(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }

  /** {@code v} rounded half up to one decimal, as outputs and metrics show percentages. */
  public static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
