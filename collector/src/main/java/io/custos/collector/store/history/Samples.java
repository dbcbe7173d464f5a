package io.custos.collector.store.history;

import java.util.Arrays;

/**
 * A growable column pair of sample times (UTC epoch ms) and values, kept in time order by {@link
 * #sorted()}. Primitive arrays rather than objects, because a 7-day raw query holds 60,000 of them.
 */
public final class Samples {
  private long[] times;
  private double[] values;
  private int size;

  public Samples(int capacity) {
    times = new long[Math.max(4, capacity)];
    values = new double[times.length];
  }

  public void add(long time, double value) {
    if (size == times.length) {
      times = Arrays.copyOf(times, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    times[size] = time;
    values[size] = value;
    size++;
  }

  public void addAll(Samples other) {
    for (int i = 0; i < other.size; i++) {
      add(other.times[i], other.values[i]);
    }
  }

  public int size() {
    return size;
  }

  public long time(int i) {
    return times[i];
  }

  public double value(int i) {
    return values[i];
  }

  /**
   * Sorts by time in place and drops samples with a time already present (the first kept), so a
   * chunk written twice after a late replay never shows a point twice. Returns this.
   */
  public Samples sorted() {
    boolean ordered = true;
    for (int i = 1; i < size && ordered; i++) {
      ordered = times[i] > times[i - 1];
    }
    if (ordered) {
      return this;
    }
    Integer[] idx = new Integer[size];
    for (int i = 0; i < size; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> Long.compare(times[a], times[b]));
    long[] t = new long[times.length];
    double[] v = new double[times.length];
    int n = 0;
    for (int i = 0; i < size; i++) {
      int j = idx[i];
      if (n > 0 && t[n - 1] == times[j]) {
        continue;
      }
      t[n] = times[j];
      v[n] = values[j];
      n++;
    }
    times = t;
    values = v;
    size = n;
    return this;
  }
}
