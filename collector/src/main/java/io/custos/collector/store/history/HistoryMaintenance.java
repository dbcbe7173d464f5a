package io.custos.collector.store.history;

import io.custos.collector.store.StoreException;
import io.custos.collector.store.StoreHealth;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link MetricHistory#maintain} in the background every {@code period}. A failing round is
 * logged and the next one runs as planned, so a busy or briefly unreachable database cannot stop
 * downsampling for good. Time inside a round comes from the store's clock; the period is wall time.
 */
public final class HistoryMaintenance implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryMaintenance.class);

  private final MetricHistory history;
  private final ScheduledExecutorService executor;
  private final AtomicLong rounds = new AtomicLong();
  private final StoreHealth failures;

  private HistoryMaintenance(
      MetricHistory history, ScheduledExecutorService executor, StoreHealth failures) {
    this.history = history;
    this.executor = executor;
    this.failures = failures;
  }

  /** Starts the first round after {@code periodMs} and then every {@code periodMs}. */
  public static HistoryMaintenance start(MetricHistory history, long periodMs) {
    return start(history, periodMs, null);
  }

  /**
   * As {@link #start(MetricHistory, long)}, logging store failures through {@code failures} (once
   * per kind, with a count) rather than one stack trace a round; null logs each one.
   */
  public static HistoryMaintenance start(
      MetricHistory history, long periodMs, StoreHealth failures) {
    ScheduledExecutorService ex =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "custos-history");
              t.setDaemon(true);
              return t;
            });
    HistoryMaintenance m = new HistoryMaintenance(history, ex, failures);
    ex.scheduleWithFixedDelay(m::runOnce, periodMs, periodMs, TimeUnit.MILLISECONDS);
    return m;
  }

  /** One round, never throwing. */
  void runOnce() {
    try {
      long started = System.nanoTime();
      MetricHistory.Maintenance m = history.maintain();
      rounds.incrementAndGet();
      if (m.compactedHosts() + m.rollups() + m.expired() > 0) {
        LOG.info(
            "history: compacted {} hosts, wrote {} rollup chunks, expired {} chunks in {} ms",
            m.compactedHosts(),
            m.rollups(),
            m.expired(),
            (System.nanoTime() - started) / 1_000_000);
      }
    } catch (StoreException e) {
      if (failures == null) {
        LOG.warn("history maintenance failed; retrying next round", e);
      } else {
        failures.failed("history maintenance", e);
      }
    } catch (RuntimeException e) {
      LOG.warn("history maintenance failed; retrying next round", e);
    }
  }

  /** Rounds completed. */
  public long rounds() {
    return rounds.get();
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
