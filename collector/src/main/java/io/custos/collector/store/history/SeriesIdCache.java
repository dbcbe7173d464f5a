package io.custos.collector.store.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code series} ids of the series reports carry, kept between reports so that {@link
 * JdbcHistory#append} finds a known series without reading all of its host's series rows and
 * without building their stored label text, as it does otherwise for every report.
 *
 * <p>Only for a store with one writer connection that sees every change to {@code series} or can
 * tell when another connection made one: SQLite, where {@link #validate} compares {@code PRAGMA
 * data_version} (which moves when any other connection — the {@code token} or {@code host remove}
 * command in another process — commits) and forgets everything when it moved. The store also calls
 * {@link #clear} when a transaction or savepoint that may have created series is rolled back and
 * when it removes a host. The database stays the only source of truth: a series not cached is
 * looked up there.
 *
 * <p>At most {@code maxSeries} series are kept; past that the least recently reporting hosts are
 * forgotten. Synchronized; in practice used under the store's write lock.
 */
public final class SeriesIdCache {
  /** A series as a report names it; its labels are the wire metric's own (sorted) map. */
  record Key(String service, String name, Map<String, String> labels) {}

  private final int maxSeries;
  private final LinkedHashMap<String, Map<Key, Long>> hosts = new LinkedHashMap<>(64, 0.75f, true);
  private int size;
  private long dataVersion = Long.MIN_VALUE;

  /**
   * @param maxSeries how many series ids to keep at most, over all hosts
   */
  public SeriesIdCache(int maxSeries) {
    if (maxSeries < 1) {
      throw new IllegalArgumentException("maxSeries must be positive, got " + maxSeries);
    }
    this.maxSeries = maxSeries;
  }

  /**
   * Forgets everything if another connection committed to the SQLite database on {@code writer}
   * since the last call. Call inside the write transaction, so no other commit can come between
   * this check and the transaction's use of the cache.
   */
  public synchronized void validate(Connection writer) throws SQLException {
    long v;
    try (PreparedStatement ps = writer.prepareStatement("PRAGMA data_version");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      v = rs.getLong(1);
    }
    if (v != dataVersion) {
      clear0();
      dataVersion = v;
    }
  }

  /** Forgets every cached id. */
  public synchronized void clear() {
    clear0();
  }

  private void clear0() {
    hosts.clear();
    size = 0;
  }

  /** The id of {@code key} of {@code host}, or null if not cached. */
  synchronized Long get(String host, Key key) {
    Map<Key, Long> ids = hosts.get(host);
    return ids == null ? null : ids.get(key);
  }

  /** Remembers {@code id} for {@code key} of {@code host}. */
  synchronized void put(String host, Key key, long id) {
    if (hosts.computeIfAbsent(host, h -> new HashMap<>()).put(key, id) == null) {
      size++;
    }
    Iterator<Map.Entry<String, Map<Key, Long>>> eldest = hosts.entrySet().iterator();
    while (size > maxSeries && eldest.hasNext()) {
      Map.Entry<String, Map<Key, Long>> e = eldest.next();
      if (e.getKey().equals(host) && hosts.size() > 1) {
        continue;
      }
      size -= e.getValue().size();
      eldest.remove();
    }
  }

  /** How many series ids are cached. */
  synchronized int size() {
    return size;
  }
}
