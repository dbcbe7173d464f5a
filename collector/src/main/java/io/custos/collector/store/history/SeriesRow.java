package io.custos.collector.store.history;

/**
 * A {@code series} row as queries and rollups need it.
 *
 * @param id the series id
 * @param rolled5m epoch ms up to which 5-minute buckets have been computed (exclusive)
 * @param rolled1h epoch ms up to which 1-hour buckets have been computed (exclusive)
 */
record SeriesRow(long id, long rolled5m, long rolled1h) {}
