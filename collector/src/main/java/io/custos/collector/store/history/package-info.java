/**
 * Metric history: series identified by (host, metric name, sorted labels), stored as compressed
 * chunks ({@link io.custos.collector.store.history.ChunkCodec}: Gorilla delta-of-delta times and
 * XOR values), downsampled with age into 5-minute and 1-hour min/avg/max/count buckets, each tier
 * with its own retention ({@link io.custos.collector.store.history.HistoryRetention}). The codecs
 * and rollups are pure; {@link io.custos.collector.store.history.JdbcHistory} keeps the tiers in
 * SQL that SQLite and PostgreSQL share, and {@link
 * io.custos.collector.store.history.HistoryMaintenance} runs compaction, rollups and retention in
 * the background.
 */
package io.custos.collector.store.history;
