package io.custos.collector.store.history;

import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Report;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The write side of {@link JdbcHistory}: puts each report's samples into one {@code metric_head}
 * row in the report's own transaction, creating {@code series} rows seen for the first time.
 * Thread-safe as long as each call has its own connection.
 */
final class HistoryWriter {
  private volatile SeriesIdCache cache;

  /** See {@link JdbcHistory#cacheSeriesIds}. */
  void cacheSeriesIds(SeriesIdCache cache) {
    this.cache = cache;
  }

  /**
   * Writes the samples of {@code report} as one head row, creating series seen for the first time.
   * Runs on the caller's connection inside its transaction.
   *
   * @param received when the collector received the report
   */
  void append(Connection c, Report report, long received) throws SQLException {
    int total = 0;
    for (CheckResult r : report.results()) {
      total += r.metrics().size();
    }
    if (total == 0) {
      return;
    }
    String host = report.node();
    SeriesIdCache cache = this.cache;
    Map<String, Long> ids = null; // the host's series from the database, read when needed
    HeadCodec.Writer head = new HeadCodec.Writer(received, total);
    for (CheckResult r : report.results()) {
      long time = Math.floorDiv(r.time(), 1000) * 1000;
      for (Metric m : r.metrics()) {
        SeriesIdCache.Key cached = null;
        Long id = null;
        if (cache != null) {
          cached = new SeriesIdCache.Key(r.service(), m.name(), m.labels());
          id = cache.get(host, cached);
        }
        if (id == null) {
          if (ids == null) {
            ids = seriesIds(c, host);
          }
          // A wire Metric's labels are sorted already, so no SeriesKey is needed on this path.
          String k =
              idKey(m.name(), SeriesKey.storedText(SeriesKey.labelText(m.labels()), r.service()));
          id = ids.get(k);
          if (id == null) {
            id =
                createSeries(
                    c, host, new SeriesKey(m.name(), m.labels(), r.service()), m.unit(), time);
            ids.put(k, id);
          }
          if (cache != null) {
            cache.put(host, cached, id);
          }
        }
        head.add(id, time, m.value());
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO metric_head (host, seq, time, samples) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
      ps.setString(1, host);
      ps.setLong(2, report.seq());
      ps.setLong(3, received);
      ps.setBytes(4, head.toByteArray());
      ps.executeUpdate();
    }
  }

  private static String idKey(String name, String labels) {
    return name + '\u0000' + labels;
  }

  private static Map<String, Long> seriesIds(Connection c, String host) throws SQLException {
    Map<String, Long> out = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement("SELECT id, name, labels FROM series WHERE host = ?")) {
      ps.setString(1, host);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(idKey(rs.getString(2), rs.getString(3)), rs.getLong(1));
        }
      }
    }
    return out;
  }

  private static long createSeries(Connection c, String host, SeriesKey key, String unit, long t)
      throws SQLException {
    if (!key.service().isEmpty()) {
      // A series stored before series had a service becomes the first reporting service's, so
      // its history goes on in one series after an upgrade.
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE series SET labels = ? WHERE host = ? AND name = ? AND labels = ?")) {
        ps.setString(1, key.storedText());
        ps.setString(2, host);
        ps.setString(3, key.name());
        ps.setString(4, key.labelText());
        ps.executeUpdate();
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO series (host, name, labels, unit, first_time, rolled_5m, rolled_1h)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      ps.setString(1, host);
      ps.setString(2, key.name());
      ps.setString(3, key.storedText());
      ps.setString(4, unit);
      ps.setLong(5, t);
      ps.setLong(6, Resolution.floor(t, Resolution.FIVE_MINUTES.window()));
      ps.setLong(7, Resolution.floor(t, Resolution.ONE_HOUR.window()));
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement("SELECT id FROM series WHERE host = ? AND name = ? AND labels = ?")) {
      ps.setString(1, host);
      ps.setString(2, key.name());
      ps.setString(3, key.storedText());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("series " + key + " of " + host + " vanished after insert");
        }
        return rs.getLong(1);
      }
    }
  }
}
