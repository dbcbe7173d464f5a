package io.custos.collector.store.history;

import io.custos.collector.config.CollectorConfig.HistorySection;
import java.time.Duration;

/**
 * How long each tier of metric history is kept, and which tier a query reads. The rules on the
 * values live in {@link HistorySection}; a tier is dropped only once the next one has been computed
 * from it.
 *
 * @param raw every sample, default 48h
 * @param fiveMinutes 5-minute buckets, default 30d
 * @param oneHour 1-hour buckets, default 400d
 */
public record HistoryRetention(Duration raw, Duration fiveMinutes, Duration oneHour) {
  public static final HistoryRetention DEFAULT = of(HistorySection.DEFAULT);

  /**
   * Fills defaults for null tiers and checks the order of the tiers, by the rules of {@link
   * HistorySection}.
   *
   * @throws IllegalArgumentException naming the tier and its value
   */
  public HistoryRetention {
    HistorySection checked = new HistorySection(raw, fiveMinutes, oneHour);
    raw = checked.raw();
    fiveMinutes = checked.fiveMinutes();
    oneHour = checked.oneHour();
  }

  /** The retention the {@code history:} section configures. */
  public static HistoryRetention of(HistorySection section) {
    return new HistoryRetention(section.raw(), section.fiveMinutes(), section.oneHour());
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
