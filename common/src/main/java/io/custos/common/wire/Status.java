package io.custos.common.wire;

/**
 * The Nagios service status of a check result. {@link #exitCode()} is the plugin exit code (0–3),
 * which is also the exit code of {@code custos-agent check}.
 */
public enum Status {
  OK(0, 0),
  WARNING(1, 2),
  CRITICAL(2, 3),
  UNKNOWN(3, 1);

  private final int exitCode;
  private final int severity;

  Status(int exitCode, int severity) {
    this.exitCode = exitCode;
    this.severity = severity;
  }

  /** The Nagios plugin exit code: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
  public int exitCode() {
    return exitCode;
  }

  /** Maps a plugin exit code to a status; anything outside 0–3 is UNKNOWN, as Nagios does. */
  public static Status fromExitCode(int code) {
    return switch (code) {
      case 0 -> OK;
      case 1 -> WARNING;
      case 2 -> CRITICAL;
      default -> UNKNOWN;
    };
  }

  /**
   * The worse of two statuses, ordered CRITICAL &gt; WARNING &gt; UNKNOWN &gt; OK like the
   * monitoring-plugins' {@code max_state_alt}.
   */
  public Status worse(Status other) {
    return other.severity > severity ? other : this;
  }

  /** True for WARNING, CRITICAL and UNKNOWN. */
  public boolean isProblem() {
    return this != OK;
  }

  /** Parses the exact upper-case name, naming the accepted values on error. */
  public static Status parse(String text) {
    for (Status s : values()) {
      if (s.name().equals(text)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "expected OK|WARNING|CRITICAL|UNKNOWN, got \"" + text + "\"");
  }
}
