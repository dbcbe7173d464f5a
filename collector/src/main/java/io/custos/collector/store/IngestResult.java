package io.custos.collector.store;

/**
 * What {@link Store#ingest} did.
 *
 * @param stored true if the report was new and is now durable; false for a duplicate
 * @param seq the report's sequence number
 */
public record IngestResult(boolean stored, long seq) {}
