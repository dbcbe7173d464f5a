package io.custos.collector.store.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The read side of {@link JdbcHistory}: lists a host's series and answers range queries from the
 * tier {@link HistoryRetention#choose} picks, adding the head rows not yet compacted and the
 * buckets not yet rolled up (computed on the fly from the finer tier).
 */
final class HistoryReader {
  private final SqlRunner sql;
  private final Clock clock;
  private final HistoryRetention retention;

  HistoryReader(SqlRunner sql, Clock clock, HistoryRetention retention) {
    this.sql = sql;
    this.clock = clock;
    this.retention = retention;
  }

  /** See {@link MetricHistory#series}. */
  List<SeriesInfo> series(String host) {
    return sql.read(
        "list the series of " + host,
        c -> {
          List<SeriesInfo> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT name, labels, unit, first_time FROM series WHERE host = ?"
                      + " ORDER BY name, labels")) {
            ps.setString(1, host);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(
                    new SeriesInfo(
                        SeriesKey.ofStored(rs.getString(1), rs.getString(2)),
                        rs.getString(3),
                        rs.getLong(4)));
              }
            }
          }
          return out;
        });
  }

  /** See {@link MetricHistory#query}. */
  SeriesData query(String host, SeriesKey key, long from, long to, long step) {
    long now = clock.millis();
    Resolution res = retention.choose(from, step, now);
    return sql.read(
        "query " + key + " of " + host,
        c -> {
          SeriesRow row = row(c, host, key);
          if (row == null) {
            return new SeriesData(res, Math.max(step, res.step()), List.of());
          }
          if (res == Resolution.RAW && step <= 0) {
            Samples s = raw(c, host, row, from, to);
            List<Bucket> points = new ArrayList<>(s.size());
            for (int i = 0; i < s.size(); i++) {
              points.add(Bucket.of(s.time(i), s.value(i)));
            }
            return new SeriesData(res, 0, points);
          }
          long width = Math.max(step, res.step());
          long start = Resolution.floor(from, width);
          List<Bucket> b =
              res == Resolution.RAW
                  ? Rollups.ofSamples(raw(c, host, row, start, to), width)
                  : Rollups.ofBuckets(buckets(c, host, row, res, start, to), width);
          return new SeriesData(res, width, b);
        });
  }

  /**
   * The series of {@code key}; for a key without a service, the first (oldest) series of that name
   * and labels whichever service reported it.
   */
  private static SeriesRow row(Connection c, String host, SeriesKey key) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, rolled_5m, rolled_1h FROM series WHERE host = ? AND name = ? AND labels"
                + " = ?")) {
      ps.setString(1, host);
      ps.setString(2, key.name());
      ps.setString(3, key.storedText());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return new SeriesRow(rs.getLong(1), rs.getLong(2), rs.getLong(3));
        }
      }
    }
    if (!key.service().isEmpty()) {
      return null;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, rolled_5m, rolled_1h, labels FROM series WHERE host = ? AND name = ?"
                + " ORDER BY id")) {
      ps.setString(1, host);
      ps.setString(2, key.name());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (SeriesKey.ofStored(key.name(), rs.getString(4)).labels().equals(key.labels())) {
            return new SeriesRow(rs.getLong(1), rs.getLong(2), rs.getLong(3));
          }
        }
      }
    }
    return null;
  }

  /** Raw samples of a series in {@code [from, to]}: its raw chunks plus its host's head rows. */
  private static Samples raw(Connection c, String host, SeriesRow row, long from, long to)
      throws SQLException {
    Samples all = new Samples(256);
    ChunkReads.raw(c, row.id(), from, to, all);
    try (PreparedStatement ps =
        c.prepareStatement("SELECT time, samples FROM metric_head WHERE host = ?")) {
      ps.setString(1, host);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          HeadCodec.decode(
              rs.getBytes(2),
              rs.getLong(1),
              (id, t, v) -> {
                if (id == row.id()) {
                  all.add(t, v);
                }
              });
        }
      }
    }
    return ChunkReads.within(all, from, to);
  }

  /**
   * Buckets of tier {@code res} in {@code [from, to]}: the stored ones up to the tier's cursor,
   * then, for the recent part not yet rolled up, computed on the fly from the finer tier.
   */
  private static List<Bucket> buckets(
      Connection c, String host, SeriesRow row, Resolution res, long from, long to)
      throws SQLException {
    long rolled = res == Resolution.FIVE_MINUTES ? row.rolled5m() : row.rolled1h();
    List<Bucket> out = new ArrayList<>();
    if (from < rolled) {
      out.addAll(ChunkReads.buckets(c, row.id(), res, from, Math.min(to, rolled - 1)));
    }
    if (to >= rolled) {
      long start = Math.max(from, rolled);
      Resolution finer = res.finer();
      out.addAll(
          finer == Resolution.RAW
              ? Rollups.ofSamples(raw(c, host, row, start, to), res.step())
              : Rollups.ofBuckets(buckets(c, host, row, finer, start, to), res.step()));
    }
    return out;
  }
}
