package io.custos.collector.store.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads of the {@code chunks} table shared by {@link HistoryReader} and {@link HistoryCompactor}.
 */
final class ChunkReads {
  private ChunkReads() {}

  /** Adds the samples of the raw chunks of {@code seriesId} overlapping {@code [from, to]}. */
  static void raw(Connection c, long seriesId, long from, long to, Samples into)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT data FROM chunks WHERE series_id = ? AND res = 0 AND end_time >= ?"
                + " AND start_time <= ? ORDER BY start_time")) {
      ps.setLong(1, seriesId);
      ps.setLong(2, from);
      ps.setLong(3, to);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ChunkCodec.decodeRaw(rs.getBytes(1), into);
        }
      }
    }
  }

  /** The stored buckets of tier {@code res} of {@code seriesId} starting in {@code [from, to]}. */
  static List<Bucket> buckets(Connection c, long seriesId, Resolution res, long from, long to)
      throws SQLException {
    List<Bucket> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT data FROM chunks WHERE series_id = ? AND res = ? AND end_time >= ?"
                + " AND start_time <= ? ORDER BY start_time")) {
      ps.setLong(1, seriesId);
      ps.setInt(2, res.id());
      ps.setLong(3, from);
      ps.setLong(4, to);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ChunkCodec.decodeBuckets(rs.getBytes(1), out);
        }
      }
    }
    out.removeIf(b -> b.start() < from || b.start() > to);
    return out;
  }

  /** The samples of {@code all}, sorted and without repeated times, in {@code [from, to]}. */
  static Samples within(Samples all, long from, long to) {
    all.sorted();
    Samples out = new Samples(all.size());
    for (int i = 0; i < all.size(); i++) {
      if (all.time(i) >= from && all.time(i) <= to) {
        out.add(all.time(i), all.value(i));
      }
    }
    return out;
  }
}
