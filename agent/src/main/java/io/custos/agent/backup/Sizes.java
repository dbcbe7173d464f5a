package io.custos.agent.backup;

import java.util.Locale;

/** Human-readable byte counts, 1024-based like {@code ls -h}: {@code 512 B}, {@code 1.5 MiB}. */
public final class Sizes {
  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

  private Sizes() {}

  /** {@code bytes} in the largest unit that keeps the number at least 1. */
  public static String human(long bytes) {
    double v = bytes;
    int u = 0;
    while (v >= 1024 && u < UNITS.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, UNITS[u]);
  }
}
