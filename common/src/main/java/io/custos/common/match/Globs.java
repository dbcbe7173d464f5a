package io.custos.common.match;

import java.util.List;

/**
 * Shell-style name patterns as the configuration uses them for include and exclude lists, host
 * groups and service names: {@code *} matches any run of characters, slashes included ({@code
 * /run/*} matches {@code /run/user/1000}), {@code ?} exactly one character; everything else is
 * literal, and a pattern matches a name as a whole. No character classes and no escapes: those are
 * GNU tar's {@code --exclude} rules, which backup excludes follow instead.
 *
 * <p>Matching is linear backtracking over the last {@code *} (no regular expression, no recursion),
 * so a long name against a pattern of many stars stays fast.
 */
public final class Globs {
  private Globs() {}

  /** True when {@code name} matches {@code pattern} as a whole. */
  public static boolean matches(String pattern, String name) {
    int p = 0;
    int n = 0;
    int star = -1;
    int resume = 0;
    while (n < name.length()) {
      if (p < pattern.length()
          && (pattern.charAt(p) == '?'
              || pattern.charAt(p) != '*' && pattern.charAt(p) == name.charAt(n))) {
        p++;
        n++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        resume = n;
      } else if (star >= 0) {
        p = star + 1;
        n = ++resume;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  /** True when any of {@code patterns} matches {@code name}. */
  public static boolean any(List<String> patterns, String name) {
    for (String p : patterns) {
      if (matches(p, name)) {
        return true;
      }
    }
    return false;
  }

  /** True when {@code pattern} has no {@code *} or {@code ?} and so names one thing. */
  public static boolean literal(String pattern) {
    return pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0;
  }
}
