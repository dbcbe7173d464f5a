package io.custos.collector.store;

/**
 * A notification waiting in the outbox for one transport.
 *
 * @param id store id
 * @param transport transport name ({@code email}, {@code webhook:1})
 * @param host the host it is about, the unit of grouping
 * @param created when it was queued, epoch ms
 * @param payload the notice as JSON
 * @param attempts failed attempts so far
 */
public record OutboxRecord(
    long id, String transport, String host, long created, String payload, int attempts) {}
