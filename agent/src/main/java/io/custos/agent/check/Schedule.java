package io.custos.agent.check;

import java.time.Duration;

/**
 * The keys every check accepts besides its own: the service name it reports under, how often it
 * runs, how long a run may take, and how long or how often a problem must be seen before it is
 * reported. {@link CheckConfig} reads them once for every kind.
 *
 * <pre>{@code
 * - { type: cpu, interval: 1m, timeout: 5s, critical: 100%, for: 15m }
 * - { type: http, url: "http://127.0.0.1/", times: 2, within: 3 }
 * }</pre>
 *
 * @param name the {@code name} key: the service name to report instead of the check's own, for
 *     checks that yield one service; null keeps the check's own. A kind whose record binds {@code
 *     name} itself ({@code snmp}: the device's name) keeps it, and this is null.
 * @param interval time between runs; null runs every agent cycle. Between runs the last result is
 *     sent again unchanged (same time stamp), so the collector sees the service every cycle.
 * @param timeout how long one run may take before it is UNKNOWN; default 10s
 * @param holdFor the {@code for} key: a status must hold continuously this long before it is
 *     reported; null reports at once. See {@link Hold}.
 * @param times with {@code within}: a status is reported once it was seen in {@code times} of the
 *     last {@code within} runs, like Monit's "2 times within 3 cycles"; null is 1 of 1
 * @param within see {@code times}
 */
public record Schedule(
    String name,
    Duration interval,
    Duration timeout,
    Duration holdFor,
    Integer times,
    Integer within) {

  /**
   * How long one run may take before it is reported UNKNOWN, unless a kind or entry sets its own.
   */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** Runs every cycle, reports at once, default timeout. */
  public static final Schedule DEFAULT = new Schedule(null, null, null, null, null);

  /** Without a {@code name}. */
  public Schedule(
      Duration interval, Duration timeout, Duration holdFor, Integer times, Integer within) {
    this(null, interval, timeout, holdFor, times, within);
  }

  public Schedule {
    if (interval != null && (interval.isZero() || interval.isNegative())) {
      throw new IllegalArgumentException("interval must be positive, got " + interval);
    }
    timeout = timeoutOrDefault(timeout);
    if (holdFor != null && holdFor.isNegative()) {
      throw new IllegalArgumentException("for must not be negative, got " + holdFor);
    }
    if ((times == null) != (within == null)) {
      throw new IllegalArgumentException(
          "times and within go together (e.g. times: 2, within: 3), got times: "
              + times
              + ", within: "
              + within);
    }
    if (times != null && (times < 1 || within < times || within > 100)) {
      throw new IllegalArgumentException(
          "times must be at least 1 and at most within (at most 100), got times: "
              + times
              + ", within: "
              + within);
    }
  }

  /**
   * The limit a check sets on its own work (a program it runs, a connection it opens): 95% of the
   * check's {@code timeout}, at least 1 ms, so the check reports its own "timed out after" before
   * the runner gives up on it.
   */
  public static Duration ownTimeout(Duration timeout) {
    return Duration.ofMillis(Math.max(1, timeout.toMillis() * 95 / 100));
  }

  /** True when a run needs a {@link Hold} in front of its results. */
  boolean holds() {
    return holdFor != null && !holdFor.isZero() || times != null && within > 1;
  }

  /** Rejects a timeout that is not positive; returns the default for null. */
  static Duration timeoutOrDefault(Duration timeout) {
    if (timeout == null) {
      return DEFAULT_TIMEOUT;
    }
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    return timeout;
  }
}
