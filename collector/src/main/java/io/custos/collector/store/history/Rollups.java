package io.custos.collector.store.history;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Pure aggregation of samples and buckets into aligned buckets. */
public final class Rollups {
  private Rollups() {}

  /** Samples (any order) into buckets of {@code width} ms aligned to epoch, by start. */
  public static List<Bucket> ofSamples(Samples s, long width) {
    TreeMap<Long, Bucket> out = new TreeMap<>();
    for (int i = 0; i < s.size(); i++) {
      long start = Resolution.floor(s.time(i), width);
      Bucket b = Bucket.of(start, s.value(i));
      out.merge(start, b, Bucket::merge);
    }
    return new ArrayList<>(out.values());
  }

  /** Buckets (any order, any width dividing {@code width}) merged into buckets of {@code width}. */
  public static List<Bucket> ofBuckets(List<Bucket> in, long width) {
    TreeMap<Long, Bucket> out = new TreeMap<>();
    for (Bucket b : in) {
      long start = Resolution.floor(b.start(), width);
      out.merge(start, new Bucket(start, b.min(), b.max(), b.sum(), b.count()), Bucket::merge);
    }
    return new ArrayList<>(out.values());
  }
}
