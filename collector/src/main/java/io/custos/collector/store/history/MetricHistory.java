package io.custos.collector.store.history;

import java.util.List;

/**
 * The metric history of a store: what series a host has, their values over a range at the right
 * resolution, and the background work that keeps disk use bounded. Thread-safe; failures are {@link
 * io.custos.collector.store.StoreException}s.
 */
public interface MetricHistory {

  /** The series of {@code host}, by name then labels; empty for an unknown host. */
  List<SeriesInfo> series(String host);

  /**
   * Values of one series in {@code [from, to]} (UTC epoch ms), from the tier {@link
   * HistoryRetention#choose} picks. With {@code step} > 0 the points are aggregated into buckets of
   * {@code step} ms (at least the tier's own width); with 0, raw samples stay samples.
   */
  SeriesData query(String host, SeriesKey key, long from, long to, long step);

  /**
   * One round of background work at the store's clock: compacts full or old head rows into chunks,
   * computes 5-minute and 1-hour buckets of windows that are complete, and deletes what is past its
   * retention. Safe to run from several collectors on one database at once.
   */
  Maintenance maintain();

  /**
   * What one {@link #maintain} round did.
   *
   * @param compactedHosts hosts whose head rows became chunks
   * @param rollups bucket chunks written
   * @param expired chunks deleted past retention
   */
  record Maintenance(int compactedHosts, int rollups, int expired) {}
}
