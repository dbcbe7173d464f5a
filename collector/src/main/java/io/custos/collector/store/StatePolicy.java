package io.custos.collector.store;

/**
 * The state-machine settings shared by the stores (on ingest) and the status board (at query time),
 * so both agree on when a host is absent.
 *
 * @param maxAttempts non-OK results in a row after which the attempt counter stops, at least 1
 * @param absentAfter intervals without a report after which a host counts as having been down, at
 *     least 1
 */
public record StatePolicy(int maxAttempts, int absentAfter) {
  public StatePolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (absentAfter < 1) {
      throw new IllegalArgumentException("absentAfter must be at least 1, got " + absentAfter);
    }
  }

  /** How long a host reporting every {@code intervalS} seconds may be silent, in ms. */
  public long absenceMs(int intervalS) {
    return absentAfter * intervalS * 1000L;
  }

  /**
   * True when a host reporting every {@code intervalS} seconds is absent after {@code silentMs}.
   */
  public boolean isAbsent(long silentMs, int intervalS) {
    return silentMs > absenceMs(intervalS);
  }
}
