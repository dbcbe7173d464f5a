package io.custos.common.units;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints durations the way the configuration writes them: {@code 500ms}, {@code 30s},
 * {@code 15m}, {@code 2h}, {@code 7d}, or combinations such as {@code 1h30m}.
 */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");

  private Durations() {}

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException naming the text when it is not a duration
   */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("expected a duration such as 30s, 15m or 2h, got nothing");
    }
    String t = text.strip();
    Matcher m = PART.matcher(t);
    Duration total = Duration.ZERO;
    int pos = 0;
    while (pos < t.length()) {
      if (!m.find(pos) || m.start() != pos) {
        throw new IllegalArgumentException(
            "expected a duration such as 500ms, 30s, 15m, 2h or 1h30m, got \"" + text + "\"");
      }
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
              });
      pos = m.end();
    }
    return total;
  }

  /**
   * A short human form, the one every operator-facing text uses (mails, the HTTP tables, the
   * agent's check output and held-threshold notes): {@code 45s}, {@code 2m 50s}, {@code 15m},
   * {@code 2h 5m}, {@code 2h}, {@code 4d 3h}. Two units at most, the larger first; a zero second
   * unit is left out ({@code 15m}, not {@code 15m 0s}). Sub-second parts are dropped and negative
   * durations read as {@code 0s}.
   */
  public static String format(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return two(s / 60, "m", s % 60, "s");
    }
    if (s < 86400) {
      return two(s / 3600, "h", s % 3600 / 60, "m");
    }
    return two(s / 86400, "d", s % 86400 / 3600, "h");
  }

  private static String two(long big, String bigUnit, long small, String smallUnit) {
    return small == 0 ? big + bigUnit : big + bigUnit + " " + small + smallUnit;
  }
}
