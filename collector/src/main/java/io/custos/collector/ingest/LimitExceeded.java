package io.custos.collector.ingest;

/**
 * A report refused by {@link IngestGuard}: {@link #status} is 413 for a report too large by itself
 * and 422 for one that would take its node past what it may accumulate; {@link #limit} is the
 * configuration key ({@code limits.series_per_node}) and the message names the value.
 */
public final class LimitExceeded extends Exception {
  private final int status;
  private final String limit;

  LimitExceeded(int status, String limit, String message) {
    super(message, null, false, false);
    this.status = status;
    this.limit = limit;
  }

  /** 413 or 422. */
  public int status() {
    return status;
  }

  /** The configuration key of the limit, {@code limits.results_per_report}. */
  public String limit() {
    return limit;
  }
}
