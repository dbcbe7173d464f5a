package io.custos.collector.store.history;

/**
 * Aggregate of the samples of one series in {@code [start, start + width)}: what the 5-minute and
 * 1-hour tiers keep once raw samples have aged out. Buckets of the same start merge exactly, since
 * sum and count add and min and max compose.
 *
 * @param start bucket start, UTC epoch ms, a multiple of the bucket width
 * @param min smallest sample
 * @param max largest sample
 * @param sum sum of the samples
 * @param count number of samples, at least 1
 */
public record Bucket(long start, double min, double max, double sum, long count) {
  public Bucket {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, got " + count);
    }
  }

  /** A bucket of one sample. */
  public static Bucket of(long start, double value) {
    return new Bucket(start, value, value, value, 1);
  }

  public double avg() {
    return sum / count;
  }

  /** This bucket merged with another (of any start; this start is kept). */
  Bucket merge(Bucket o) {
    return new Bucket(
        start, Math.min(min, o.min), Math.max(max, o.max), sum + o.sum, count + o.count);
  }
}
