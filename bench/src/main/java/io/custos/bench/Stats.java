package io.custos.bench;

import java.util.Arrays;

/** Percentiles of recorded durations. */
final class Stats {
  private long[] values = new long[1024];
  private int n;

  synchronized void add(long v) {
    if (n == values.length) {
      values = Arrays.copyOf(values, n * 2);
    }
    values[n++] = v;
  }

  synchronized int count() {
    return n;
  }

  /** The p-th percentile (0..100) in the unit added. */
  synchronized long percentile(double p) {
    if (n == 0) {
      return 0;
    }
    long[] s = Arrays.copyOf(values, n);
    Arrays.sort(s);
    int i = (int) Math.ceil(p / 100.0 * n) - 1;
    return s[Math.max(0, Math.min(n - 1, i))];
  }

  static String ms(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.2f ms", nanos / 1e6);
  }
}
