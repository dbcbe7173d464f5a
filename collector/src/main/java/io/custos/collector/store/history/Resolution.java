package io.custos.collector.store.history;

/**
 * The tiers of metric history, finest first. Each coarser tier is computed from the one before it
 * in aligned windows of {@link #window()} ms, so one chunk holds 120 buckets.
 */
public enum Resolution {
  /** Every sample as received. */
  RAW(0, 0, 0),
  /** 5-minute min/avg/max/count, chunks of 10 hours. */
  FIVE_MINUTES(1, 300_000L, 36_000_000L),
  /** 1-hour min/avg/max/count, chunks of 5 days. */
  ONE_HOUR(2, 3_600_000L, 432_000_000L);

  private final int id;
  private final long step;
  private final long window;

  Resolution(int id, long step, long window) {
    this.id = id;
    this.step = step;
    this.window = window;
  }

  /** The number stored in the {@code res} column. */
  public int id() {
    return id;
  }

  /** Bucket width in ms; 0 for raw. */
  public long step() {
    return step;
  }

  /** Width of one stored chunk of this tier in ms, aligned to multiples of itself; 0 for raw. */
  public long window() {
    return window;
  }

  /** The tier this one is computed from; null for raw. */
  public Resolution finer() {
    return switch (this) {
      case RAW -> null;
      case FIVE_MINUTES -> RAW;
      case ONE_HOUR -> FIVE_MINUTES;
    };
  }

  /** The name used in the API: {@code raw}, {@code 5m}, {@code 1h}. */
  public String label() {
    return switch (this) {
      case RAW -> "raw";
      case FIVE_MINUTES -> "5m";
      case ONE_HOUR -> "1h";
    };
  }

  /** Floors {@code time} to a multiple of {@code width}. */
  static long floor(long time, long width) {
    return Math.floorDiv(time, width) * width;
  }
}
