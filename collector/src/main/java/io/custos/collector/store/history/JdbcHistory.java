package io.custos.collector.store.history;

import io.custos.common.wire.Report;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

/**
 * Metric history in plain SQL that SQLite and PostgreSQL both speak, over three tables: {@code
 * series} (one row per host, service, name and labels — see {@link SeriesKey#storedText()} — with
 * how far each bucket tier has been computed), {@code metric_head} (one row per report holding its
 * samples, written in the report's own transaction) and {@code chunks} (compressed per-series runs,
 * {@link ChunkCodec}).
 *
 * <p>Sample times are kept to the second, as in Gorilla: agents report every few seconds at the
 * most, and millisecond jitter would cost a byte a sample in the timestamp column where whole
 * seconds cost a bit (the current state keeps the exact millisecond).
 *
 * <p>Life of a sample: {@link #append} writes it to the head with the rest of the report, so an
 * acknowledged report survives {@code kill -9}. {@link #maintain} later moves a host's head rows
 * into one raw chunk per series once there are {@value HistoryCompactor#HEAD_ROWS} of them or the
 * oldest is {@link HistoryCompactor#HEAD_AGE_MS} old; computes 5-minute buckets of a series'
 * 10-hour window once that window ended {@link HistoryCompactor#ROLLUP_GRACE_MS} ago (so its head
 * rows are compacted), and 1-hour buckets of a 5-day window once its 5-minute buckets exist; and
 * deletes chunks past retention, but never raw or 5-minute chunks that the next tier has not yet
 * been computed from. Disk per series is therefore bounded by the retentions. Samples that arrive
 * for a window already rolled up (a spool replayed days late) are rolled up when they are
 * compacted, into extra chunks of the tiers concerned.
 *
 * <p>Several collectors may share one PostgreSQL: compaction claims head rows by deleting them and
 * rolls back if another collector deleted them first; a rollup advances its cursor only from the
 * value it read. No state lives in memory.
 *
 * <p>This class only wires the three jobs together: {@link HistoryWriter} writes, {@link
 * HistoryReader} reads, {@link HistoryCompactor} compacts, rolls up and expires.
 */
public final class JdbcHistory implements MetricHistory {
  private final HistoryRetention retention;
  private final HistoryWriter writer = new HistoryWriter();
  private final HistoryReader reader;
  private final HistoryCompactor compactor;

  public JdbcHistory(SqlRunner sql, Clock clock, HistoryRetention retention) {
    this.retention = retention;
    this.reader = new HistoryReader(sql, clock, retention);
    this.compactor = new HistoryCompactor(sql, clock, retention);
  }

  /**
   * Keeps series ids between reports in {@code cache}; only for a store that keeps it valid (see
   * {@link SeriesIdCache}). Without one, every {@link #append} reads its host's series.
   */
  public void cacheSeriesIds(SeriesIdCache cache) {
    writer.cacheSeriesIds(cache);
  }

  public HistoryRetention retention() {
    return retention;
  }

  /**
   * Writes the samples of {@code report} as one head row, creating series seen for the first time.
   * Runs on the caller's connection inside its transaction.
   *
   * @param received when the collector received the report
   */
  public void append(Connection c, Report report, long received) throws SQLException {
    writer.append(c, report, received);
  }

  @Override
  public List<SeriesInfo> series(String host) {
    return reader.series(host);
  }

  @Override
  public SeriesData query(String host, SeriesKey key, long from, long to, long step) {
    return reader.query(host, key, from, to, step);
  }

  @Override
  public Maintenance maintain() {
    return compactor.maintain();
  }
}
