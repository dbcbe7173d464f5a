package io.custos.collector.store.history;

/**
 * A stored series.
 *
 * @param key name and labels
 * @param unit unit of its first sample, or null
 * @param firstTime its first sample, UTC epoch ms
 */
public record SeriesInfo(SeriesKey key, String unit, long firstTime) {}
