package io.custos.collector.config;

/** Shell-style name patterns: {@code *} any run of characters, {@code ?} one character. */
public final class Globs {
  private Globs() {}

  /** True when {@code name} matches {@code pattern} as a whole. */
  public static boolean matches(String pattern, String name) {
    return matches(pattern, 0, name, 0);
  }

  private static boolean matches(String p, int pi, String n, int ni) {
    while (pi < p.length()) {
      char c = p.charAt(pi);
      if (c == '*') {
        for (int k = ni; k <= n.length(); k++) {
          if (matches(p, pi + 1, n, k)) {
            return true;
          }
        }
        return false;
      }
      if (ni >= n.length() || (c != '?' && c != n.charAt(ni))) {
        return false;
      }
      pi++;
      ni++;
    }
    return ni == n.length();
  }
}
