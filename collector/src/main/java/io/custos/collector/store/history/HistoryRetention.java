package io.custos.collector.store.history;

import java.time.Duration;

/**
 * How long each tier of metric history is kept. Each coarser tier must be kept at least as long as
 * the finer one, or a query would find a gap; a tier is dropped only once the next one has been
 * computed from it.
 *
 * @param raw every sample, default 48h
 * @param fiveMinutes 5-minute buckets, default 30d
 * @param oneHour 1-hour buckets, default 400d
 */
public record HistoryRetention(Duration raw, Duration fiveMinutes, Duration oneHour) {
  public static final HistoryRetention DEFAULT =
      new HistoryRetention(Duration.ofHours(48), Duration.ofDays(30), Duration.ofDays(400));

  public HistoryRetention {
    raw = raw == null ? DEFAULT.raw : raw;
    fiveMinutes = fiveMinutes == null ? DEFAULT.fiveMinutes : fiveMinutes;
    oneHour = oneHour == null ? DEFAULT.oneHour : oneHour;
    if (raw.compareTo(Duration.ofHours(1)) < 0) {
      throw new IllegalArgumentException("raw: must be at least 1h, got " + raw);
    }
    if (fiveMinutes.compareTo(raw) < 0) {
      throw new IllegalArgumentException(
          "5m: must be at least as long as raw (" + raw + "), got " + fiveMinutes);
    }
    if (oneHour.compareTo(fiveMinutes) < 0) {
      throw new IllegalArgumentException(
          "1h: must be at least as long as 5m (" + fiveMinutes + "), got " + oneHour);
    }
  }

  /** Retention of {@code res} in ms. */
  public long millis(Resolution res) {
    return switch (res) {
      case RAW -> raw.toMillis();
      case FIVE_MINUTES -> fiveMinutes.toMillis();
      case ONE_HOUR -> oneHour.toMillis();
    };
  }

  /**
   * The tier a query should read: the finest one that still covers {@code from} and is not finer
   * than asked for by {@code step} (0 = finest available). A 7-day range at 5-minute step reads the
   * 5-minute tier; a 1-year range reads hours.
   */
  public Resolution choose(long from, long step, long now) {
    Resolution best = Resolution.ONE_HOUR;
    for (Resolution r : new Resolution[] {Resolution.FIVE_MINUTES, Resolution.RAW}) {
      boolean covers = from >= now - millis(r);
      boolean fineEnough =
          step
              < (r == Resolution.RAW ? Resolution.FIVE_MINUTES.step() : Resolution.ONE_HOUR.step());
      if (covers && fineEnough) {
        best = r;
      }
    }
    return best;
  }
}
