package io.custos.agent.check.host;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Load-average limits for the 1, 5 and 15 minute averages, written as check_load writes them:
 * {@code "4,3,2"}, or one number for all three ({@code 2}).
 *
 * @param load1 limit for the 1-minute average
 * @param load5 limit for the 5-minute average
 * @param load15 limit for the 15-minute average
 */
public record LoadThreshold(double load1, double load5, double load15) {
  public LoadThreshold {
    if (!(load1 >= 0 && load5 >= 0 && load15 >= 0) || !Double.isFinite(load1 + load5 + load15)) {
      throw new IllegalArgumentException(
          "load limits must be finite and not negative, got " + load1 + "," + load5 + "," + load15);
    }
  }

  /**
   * Parses {@code "4,3,2"} or {@code "2"}.
   *
   * @throws IllegalArgumentException naming the text when it is neither
   */
  @JsonCreator
  public static LoadThreshold parse(String text) {
    String[] parts = text == null ? new String[0] : text.split(",", -1);
    try {
      if (parts.length == 1) {
        return of(Double.parseDouble(parts[0].strip()));
      }
      if (parts.length == 3) {
        return new LoadThreshold(
            Double.parseDouble(parts[0].strip()),
            Double.parseDouble(parts[1].strip()),
            Double.parseDouble(parts[2].strip()));
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(
        "expected load limits for 1, 5 and 15 minutes such as \"4,3,2\" or one number, got \""
            + text
            + "\"");
  }

  /** The same limit for all three averages. */
  @JsonCreator
  public static LoadThreshold of(double limit) {
    return new LoadThreshold(limit, limit, limit);
  }

  /** Each limit multiplied by {@code factor} (the CPU count for per-core limits). */
  LoadThreshold times(int factor) {
    return new LoadThreshold(load1 * factor, load5 * factor, load15 * factor);
  }

  /** True when each limit is below the matching one of {@code other}. */
  boolean below(LoadThreshold other) {
    return load1 < other.load1 && load5 < other.load5 && load15 < other.load15;
  }

  double at(int index) {
    return switch (index) {
      case 0 -> load1;
      case 1 -> load5;
      default -> load15;
    };
  }

  @JsonValue
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s,%s,%s", fmt(load1), fmt(load5), fmt(load15));
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
