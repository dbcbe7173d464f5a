package io.custos.agent.check.host;

import io.custos.agent.check.CheckKind;

/**
 * Configuration of the {@code process} check: a process by name, regular expression or pidfile.
 *
 * <pre>{@code
 * - { type: process, name: "Service Status - sshd", match: sshd }
 * - { type: process, match: "java .*app\\.jar", min: 1, max: 1 }
 * - { type: process, name: nginx, pidfile: /run/nginx.pid }
 * }</pre>
 *
 * @param match a regular expression: a process matches when it equals its name ({@code comm}) or is
 *     found in its command line; one of {@code match} and {@code pidfile} is required
 * @param pidfile a file holding the pid of the process (read under the check root)
 * @param min fewer matching processes than this is CRITICAL; default 1
 * @param max more than this is WARNING; default no limit
 */
public record ProcessConfig(String match, String pidfile, Integer min, Integer max)
    implements CheckKind {

  public ProcessConfig {
    if ((match == null) == (pidfile == null)) {
      throw new IllegalArgumentException(
          "expected one of match and pidfile, got " + (match == null ? "neither" : "both"));
    }
    if (match != null) {
      try {
        java.util.regex.Pattern.compile(match);
      } catch (java.util.regex.PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "match: not a regular expression \"" + match + "\": " + e.getDescription());
      }
    }
    min = min == null ? 1 : min;
    if (min < 0 || max != null && max < min) {
      throw new IllegalArgumentException(
          "min must be at least 0 and max at least min, got min: " + min + ", max: " + max);
    }
  }

  /** Every key at its default. */
  public static ProcessConfig defaults() {
    return new ProcessConfig(null, null, null, null);
  }

  @Override
  public String type() {
    return "process";
  }
}
