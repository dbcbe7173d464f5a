package io.custos.agent.check;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Shell-style name patterns for include and exclude lists: {@code *} matches any run of characters,
 * slashes included ({@code /run/*} excludes {@code /run/user/1000}), {@code ?} one character;
 * everything else is literal.
 */
public final class Globs {
  private Globs() {}

  /** True when {@code name} matches {@code pattern}. */
  static boolean matches(String pattern, String name) {
    StringBuilder re = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.matches(re.toString(), name);
  }

  /** True when any of {@code patterns} matches {@code name}. */
  public static boolean any(List<String> patterns, String name) {
    return patterns.stream().anyMatch(p -> matches(p, name));
  }

  /** True when {@code pattern} has no glob characters and so names one thing. */
  public static boolean literal(String pattern) {
    return pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0;
  }
}
