package io.custos.collector.store.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies committed WAL pages into the database file every {@value #PERIOD_MS} ms on its own
 * connection ({@code PRAGMA wal_checkpoint(PASSIVE)}, which never blocks the writer or readers).
 * SQLite's automatic checkpoint would run inside whichever commit crossed the threshold and add its
 * fsyncs to that report's latency. A failed checkpoint is logged and retried; the WAL keeps every
 * commit durable meanwhile.
 */
final class Checkpointer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
  static final long PERIOD_MS = 1000;

  private final Connection connection;
  private final ScheduledExecutorService executor;

  private Checkpointer(Connection connection, ScheduledExecutorService executor) {
    this.connection = connection;
    this.executor = executor;
  }

  /** WAL size above which a checkpoint waits for the writer lock and truncates the WAL. */
  static final long MAX_WAL_BYTES = 64L << 20;

  /**
   * Starts checkpointing {@code name}. Passive checkpoints alone can starve under constant writes
   * (the WAL is only reset when a checkpoint finished before the next write begins), so once the
   * WAL exceeds {@value #MAX_WAL_BYTES} bytes one checkpoint takes {@code writeLock} — a pause of a
   * few milliseconds for ingest, most pages being copied already — and truncates it.
   */
  static Checkpointer start(Connection connection, String name, Lock writeLock) {
    ScheduledExecutorService ex =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "custos-sqlite-checkpoint");
              t.setDaemon(true);
              return t;
            });
    Checkpointer c = new Checkpointer(connection, ex);
    ex.scheduleWithFixedDelay(
        () -> {
          try (Statement st = connection.createStatement()) {
            st.execute("PRAGMA wal_checkpoint(PASSIVE)");
            if (walBytes(name) > MAX_WAL_BYTES) {
              writeLock.lock();
              try {
                st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
              } finally {
                writeLock.unlock();
              }
            }
          } catch (SQLException e) {
            LOG.warn("checkpoint of {} failed; retrying", name, e);
          }
        },
        PERIOD_MS,
        PERIOD_MS,
        TimeUnit.MILLISECONDS);
    return c;
  }

  private static long walBytes(String name) {
    try {
      return Files.size(Path.of(name + "-wal"));
    } catch (IOException e) {
      return 0;
    }
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Statement st = connection.createStatement()) {
      st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (SQLException e) {
      LOG.debug("final checkpoint failed; the WAL is replayed on next open", e);
    }
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.debug("closing the checkpoint connection failed", e);
    }
  }
}
