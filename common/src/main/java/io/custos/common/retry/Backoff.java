package io.custos.common.retry;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long to wait before retrying after a number of failures: {@code first}, doubling with each
 * failure, at most {@code max}, less a random part of up to {@code jitter} of it so that nodes that
 * failed together (a collector restart) do not all come back in the same second ("equal jitter" in
 * the sense of the AWS Architecture Blog's "Exponential Backoff And Jitter", with a bounded share).
 *
 * @param first the wait after the first failure, positive
 * @param max the longest wait, at least {@code first}
 * @param jitter the share of the wait that is random, from 0 (none) to below 1
 */
public record Backoff(Duration first, Duration max, double jitter) {
  public Backoff {
    if (first == null || first.isZero() || first.isNegative()) {
      throw new IllegalArgumentException("first wait must be positive, got " + first);
    }
    if (max == null || max.compareTo(first) < 0) {
      throw new IllegalArgumentException(
          "max wait must be at least the first (" + first + "), got " + max);
    }
    if (!(jitter >= 0 && jitter < 1)) {
      throw new IllegalArgumentException("jitter must be from 0 to below 1, got " + jitter);
    }
  }

  /**
   * The wait after {@code attempts} failures before jitter: {@code first * 2^(attempts-1)}, capped.
   */
  public Duration ceiling(int attempts) {
    int shift = Math.min(Math.max(attempts - 1, 0), 30);
    Duration d = first.multipliedBy(1L << shift);
    return d.compareTo(max) > 0 || d.isNegative() ? max : d;
  }

  /**
   * The wait after {@code attempts} failures: {@link #ceiling} less {@code jitter} times it times a
   * number drawn from {@code random} in [0, 1); so between {@code (1 - jitter) * ceiling} and the
   * ceiling, to the millisecond.
   */
  public Duration delay(int attempts, RandomGenerator random) {
    long ceiling = ceiling(attempts).toMillis();
    long off = (long) (ceiling * jitter * random.nextDouble());
    return Duration.ofMillis(ceiling - off);
  }
}
