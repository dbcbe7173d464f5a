package io.custos.collector.store.history;

import io.custos.collector.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The maintenance side of {@link JdbcHistory}: moves a host's head rows into one raw chunk per
 * series once there are {@value #HEAD_ROWS} of them or the oldest is {@link #HEAD_AGE_MS} old;
 * computes 5-minute buckets of a series' 10-hour window once that window ended {@link
 * #ROLLUP_GRACE_MS} ago, and 1-hour buckets of a 5-day window once its 5-minute buckets exist; and
 * deletes chunks past retention, but never raw or 5-minute chunks that the next tier has not yet
 * been computed from.
 *
 * <p>Several collectors may share one PostgreSQL: compaction claims head rows by deleting them and
 * rolls back if another collector deleted them first; a rollup advances its cursor only from the
 * value it read. No state lives in memory.
 */
final class HistoryCompactor {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryCompactor.class);
  static final int HEAD_ROWS = 120;
  static final long HEAD_AGE_MS = 2 * 3_600_000L;
  static final long ROLLUP_GRACE_MS = HEAD_AGE_MS + 3_600_000L;
  static final int ROLLUP_BATCH = 500;

  private final SqlRunner sql;
  private final Clock clock;
  private final HistoryRetention retention;

  HistoryCompactor(SqlRunner sql, Clock clock, HistoryRetention retention) {
    this.sql = sql;
    this.clock = clock;
    this.retention = retention;
  }

  /** See {@link MetricHistory#maintain}. */
  MetricHistory.Maintenance maintain() {
    long now = clock.millis();
    int compacted = 0;
    for (String host : sql.read("find head rows to compact", c -> hostsToCompact(c, now))) {
      try {
        if (sql.write("compact head rows of " + host, c -> compact(c, host))) {
          compacted++;
        }
      } catch (StoreException e) {
        // Another collector compacted them first, or a transient failure: the rows are still
        // there (rolled back) or gone into that collector's chunks; the next round sees which.
        LOG.debug("compaction of {} skipped: {}", host, e.getMessage());
      }
    }
    int rollups = 0;
    rollups += rollUp(Resolution.FIVE_MINUTES, now);
    rollups += rollUp(Resolution.ONE_HOUR, now);
    int expired = sql.write("delete history past retention", c -> expire(c, now));
    return new MetricHistory.Maintenance(compacted, rollups, expired);
  }

  private static List<String> hostsToCompact(Connection c, long now) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT host FROM metric_head GROUP BY host HAVING COUNT(*) >= ? OR MIN(time) < ?")) {
      ps.setInt(1, HEAD_ROWS);
      ps.setLong(2, now - HEAD_AGE_MS);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  /** Moves all head rows of {@code host} into one raw chunk per series. */
  private static boolean compact(Connection c, String host) throws SQLException {
    Map<Long, Samples> bySeries = new HashMap<>();
    List<Long> seqs = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement("SELECT seq, time, samples FROM metric_head WHERE host = ?")) {
      ps.setString(1, host);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          seqs.add(rs.getLong(1));
          HeadCodec.decode(
              rs.getBytes(3),
              rs.getLong(2),
              (id, t, v) -> bySeries.computeIfAbsent(id, k -> new Samples(HEAD_ROWS)).add(t, v));
        }
      }
    }
    if (seqs.isEmpty()) {
      return false;
    }
    int deleted = 0;
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM metric_head WHERE host = ? AND seq = ?")) {
      for (long seq : seqs) {
        ps.setString(1, host);
        ps.setLong(2, seq);
        ps.addBatch();
      }
      for (int n : ps.executeBatch()) {
        deleted += Math.max(n, 0);
      }
    }
    if (deleted != seqs.size()) {
      // Another collector on the same database compacted them first.
      throw new SQLException(
          "head rows of "
              + host
              + " compacted concurrently ("
              + deleted
              + " of "
              + seqs.size()
              + ")");
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO chunks (series_id, res, start_time, end_time, count, data)"
                + " VALUES (?, 0, ?, ?, ?, ?)")) {
      for (Map.Entry<Long, Samples> e : bySeries.entrySet()) {
        Samples s = e.getValue().sorted();
        ps.setLong(1, e.getKey());
        ps.setLong(2, s.time(0));
        ps.setLong(3, s.time(s.size() - 1));
        ps.setInt(4, s.size());
        ps.setBytes(5, ChunkCodec.encodeRaw(s));
        ps.addBatch();
      }
      ps.executeBatch();
    }
    rollUpLate(c, host, bySeries);
    return true;
  }

  /**
   * Rolls up the samples among {@code bySeries} (sorted) that arrived after their window was rolled
   * up — a spool replayed days late — so that the coarser tiers, which outlive the raw one, keep
   * them: one extra chunk of their buckets per tier, merged with the window's earlier buckets when
   * read ({@link Rollups#ofBuckets} adds buckets with the same start). Samples at or after a tier's
   * cursor are left to the normal rollup.
   *
   * <p>Runs in the compaction's transaction, after locking the host's series rows on PostgreSQL; a
   * rollup ({@link #rollOne}) takes the same row lock before it reads the raw chunks, so every
   * sample is rolled up exactly once: by the rollup when it commits first, else here.
   */
  private static void rollUpLate(Connection c, String host, Map<Long, Samples> bySeries)
      throws SQLException {
    boolean rowLocks = !"SQLite".equalsIgnoreCase(c.getMetaData().getDatabaseProductName());
    Map<Long, long[]> cursors = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, rolled_5m, rolled_1h FROM series WHERE host = ?"
                + (rowLocks ? " FOR UPDATE" : ""))) {
      ps.setString(1, host);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          cursors.put(rs.getLong(1), new long[] {rs.getLong(2), rs.getLong(3)});
        }
      }
    }
    int late = 0;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO chunks (series_id, res, start_time, end_time, count, data)"
                + " VALUES (?, ?, ?, ?, ?, ?)")) {
      for (Map.Entry<Long, Samples> e : bySeries.entrySet()) {
        long[] cursor = cursors.get(e.getKey());
        Samples s = e.getValue().sorted();
        if (cursor == null || s.size() == 0 || s.time(0) >= cursor[0]) {
          continue;
        }
        Resolution[] tiers = {Resolution.FIVE_MINUTES, Resolution.ONE_HOUR};
        for (int tier = 0; tier < tiers.length; tier++) {
          Samples before = new Samples(s.size());
          for (int i = 0; i < s.size() && s.time(i) < cursor[tier]; i++) {
            before.add(s.time(i), s.value(i));
          }
          if (before.size() == 0) {
            continue;
          }
          late += tier == 0 ? before.size() : 0;
          List<Bucket> b = Rollups.ofSamples(before, tiers[tier].step());
          ps.setLong(1, e.getKey());
          ps.setInt(2, tiers[tier].id());
          ps.setLong(3, b.get(0).start());
          ps.setLong(4, b.get(b.size() - 1).start() + tiers[tier].step() - 1);
          ps.setInt(5, b.size());
          ps.setBytes(6, ChunkCodec.encodeBuckets(b));
          ps.addBatch();
        }
      }
      ps.executeBatch();
    }
    if (late > 0) {
      LOG.info(
          "history: {} late sample(s) of {} rolled up into windows already rolled", late, host);
    }
  }

  /** Rolls up every complete window of {@code res}; returns the number of chunks written. */
  private int rollUp(Resolution res, long now) {
    String cursor = res == Resolution.FIVE_MINUTES ? "rolled_5m" : "rolled_1h";
    String limit = res == Resolution.FIVE_MINUTES ? "?" : "rolled_5m";
    long safe = now - ROLLUP_GRACE_MS;
    int written = 0;
    while (true) {
      List<Due> due =
          sql.read(
              "find series to roll up to " + res.label(),
              c -> {
                List<Due> out = new ArrayList<>();
                try (PreparedStatement ps =
                    c.prepareStatement(
                        "SELECT id, host, rolled_5m, rolled_1h FROM series WHERE "
                            + cursor
                            + " + ? <= "
                            + limit
                            + " ORDER BY id LIMIT "
                            + ROLLUP_BATCH)) {
                  ps.setLong(1, res.window());
                  if (res == Resolution.FIVE_MINUTES) {
                    ps.setLong(2, safe);
                  }
                  try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                      out.add(
                          new Due(
                              new SeriesRow(rs.getLong(1), rs.getLong(3), rs.getLong(4)),
                              rs.getString(2)));
                    }
                  }
                }
                return out;
              });
      if (due.isEmpty()) {
        return written;
      }
      // One transaction (one fsync) per batch of series, not per series.
      written +=
          sql.write(
              "roll up " + due.size() + " series to " + res.label(),
              c -> {
                int n = 0;
                for (Due d : due) {
                  n += rollOne(c, d.host(), d.row(), res, safe);
                }
                return n;
              });
    }
  }

  /** A series whose next window is due for rollup. */
  private record Due(SeriesRow row, String host) {}

  /** Rolls up one window of one series and advances its cursor; 1 if a chunk was written. */
  private static int rollOne(Connection c, String host, SeriesRow row, Resolution res, long safe)
      throws SQLException {
    long from = res == Resolution.FIVE_MINUTES ? row.rolled5m() : row.rolled1h();
    long to = from + res.window();
    String cursor = res == Resolution.FIVE_MINUTES ? "rolled_5m" : "rolled_1h";
    // Advance the cursor first: on PostgreSQL this takes the series row's lock before the chunks
    // are read, so a compaction writing late samples of this window (rollUpLate) either committed
    // before (its chunk is read below) or waits and then sees the new cursor.
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE series SET " + cursor + " = ? WHERE id = ? AND " + cursor + " = ?")) {
      ps.setLong(1, to);
      ps.setLong(2, row.id());
      ps.setLong(3, from);
      if (ps.executeUpdate() != 1) {
        return 0; // another collector rolled this window up; nothing else was written
      }
    }
    List<Bucket> b =
        res == Resolution.FIVE_MINUTES
            ? Rollups.ofSamples(rawChunksOnly(c, row.id(), from, to - 1), res.step())
            : Rollups.ofBuckets(
                ChunkReads.buckets(c, row.id(), Resolution.FIVE_MINUTES, from, to - 1), res.step());
    if (b.isEmpty()) {
      return 0;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO chunks (series_id, res, start_time, end_time, count, data)"
                + " VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setLong(1, row.id());
      ps.setInt(2, res.id());
      ps.setLong(3, b.get(0).start());
      ps.setLong(4, b.get(b.size() - 1).start() + res.step() - 1);
      ps.setInt(5, b.size());
      ps.setBytes(6, ChunkCodec.encodeBuckets(b));
      ps.executeUpdate();
    }
    return 1;
  }

  private static Samples rawChunksOnly(Connection c, long seriesId, long from, long to)
      throws SQLException {
    Samples all = new Samples(4096);
    ChunkReads.raw(c, seriesId, from, to, all);
    return ChunkReads.within(all, from, to);
  }

  private int expire(Connection c, long now) throws SQLException {
    int n = 0;
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM chunks WHERE res = ? AND end_time < ? AND end_time < (SELECT s.rolled_5m"
                + " FROM series s WHERE s.id = chunks.series_id)")) {
      ps.setInt(1, Resolution.RAW.id());
      ps.setLong(2, now - retention.millis(Resolution.RAW));
      n += ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "DELETE FROM chunks WHERE res = ? AND end_time < ? AND end_time < (SELECT s.rolled_1h"
                + " FROM series s WHERE s.id = chunks.series_id)")) {
      ps.setInt(1, Resolution.FIVE_MINUTES.id());
      ps.setLong(2, now - retention.millis(Resolution.FIVE_MINUTES));
      n += ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM chunks WHERE res = ? AND end_time < ?")) {
      ps.setInt(1, Resolution.ONE_HOUR.id());
      ps.setLong(2, now - retention.millis(Resolution.ONE_HOUR));
      n += ps.executeUpdate();
    }
    return n;
  }
}
