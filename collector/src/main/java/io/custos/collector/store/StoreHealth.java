package io.custos.collector.store;

import io.custos.common.units.Durations;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the store can write, as learnt from real writes, and the collector's one place for
 * logging store failures so that a full disk gives a handful of lines, not one stack trace per
 * request.
 *
 * <p>Health: writes are failing from the first failed write until the next successful report
 * (ingest), or until {@value #FORGET_AFTER_MS} ms without another failure (an idle collector whose
 * store recovered on its own is not held unhealthy forever).
 *
 * <p>Logging: the first failure of each kind (the root cause's class and message with numbers
 * masked, so that "disk full" is one kind whichever report hit it) is logged at WARN with its stack
 * trace; later ones of that kind are only counted, and summed up every {@value #SUMMARY_EVERY_MS}
 * ms while failing and once at recovery. Thread-safe; time from the injected clock.
 */
public final class StoreHealth {
  static final long FORGET_AFTER_MS = 120_000;
  static final long SUMMARY_EVERY_MS = 600_000;

  private static final Logger LOG = LoggerFactory.getLogger(StoreHealth.class);

  private final Clock clock;
  private final Map<String, Long> counts = new LinkedHashMap<>();
  private long failingSince = -1;
  private long lastFailure = -1;
  private long lastSummary;
  private long failures;
  private String lastError;

  public StoreHealth(Clock clock) {
    this.clock = clock;
  }

  /**
   * What health reports.
   *
   * @param writable false while writes are failing
   * @param failingSince when the current run of failures began, epoch ms; -1 when writable
   * @param failures failures in the current run
   * @param lastError the last failure's kind (the root cause's class and message, numbers masked:
   *     no file, URL or value of a request), or null
   */
  public record Snapshot(boolean writable, long failingSince, long failures, String lastError) {}

  /**
   * Records a failed store operation of {@code where} (for the log: {@code "POST /api/v1/reports"},
   * {@code "alert tick"}); logs it if it is the first of its kind.
   */
  public void failed(String where, RuntimeException e) {
    long now = clock.millis();
    String kind = kindOf(e);
    boolean first;
    String summary = null;
    synchronized (this) {
      if (failingSince < 0 || now - lastFailure > FORGET_AFTER_MS) {
        failingSince = now;
        failures = 0;
        counts.clear();
        lastSummary = now;
      }
      failures++;
      lastFailure = now;
      lastError = kind;
      Long before = counts.merge(kind, 1L, Long::sum);
      first = before == 1;
      if (!first && now - lastSummary >= SUMMARY_EVERY_MS) {
        lastSummary = now;
        summary = describeCounts();
      }
    }
    if (first) {
      LOG.warn(
          "store failure in {}: {}; further failures of this kind are counted, not logged",
          where,
          e.getMessage(),
          e);
    } else if (summary != null) {
      LOG.warn(
          "store still failing since {} ago: {}",
          Durations.format(Duration.ofMillis(now - failingSince)),
          summary);
    }
  }

  /** Records a successful write (a stored report); logs the recovery after failures. */
  public void writeSucceeded() {
    long now = clock.millis();
    String summary;
    long since;
    synchronized (this) {
      if (failingSince < 0) {
        return;
      }
      summary = describeCounts();
      since = failingSince;
      failingSince = -1;
      lastFailure = -1;
      failures = 0;
      counts.clear();
      lastError = null;
    }
    LOG.info(
        "store writes work again after {}: {}",
        Durations.format(Duration.ofMillis(Math.max(0, now - since))),
        summary);
  }

  /** The current write health. */
  public synchronized Snapshot snapshot() {
    long now = clock.millis();
    if (failingSince < 0 || now - lastFailure > FORGET_AFTER_MS) {
      return new Snapshot(true, -1, 0, null);
    }
    return new Snapshot(false, failingSince, failures, lastError);
  }

  private String describeCounts() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      if (sb.length() > 0) {
        sb.append("; ");
      }
      sb.append(e.getValue()).append(" × ").append(e.getKey());
    }
    return sb.toString();
  }

  /** The root cause's class and message, numbers masked: one kind per way of failing. */
  static String kindOf(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? "" : root.getMessage();
    String kind =
        root.getClass().getSimpleName()
            + ": "
            + message.replaceAll("[0-9]+", "#").replaceAll("\\s+", " ").strip();
    return kind.length() > 200 ? kind.substring(0, 200) : kind;
  }
}
