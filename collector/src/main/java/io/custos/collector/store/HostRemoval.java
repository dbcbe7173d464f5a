package io.custos.collector.store;

/**
 * What {@link Store#removeHost} deleted.
 *
 * @param host the host's name
 * @param services service rows deleted (alert states included)
 * @param tokens node tokens of the host revoked
 * @param series metric series deleted (0 unless history was removed too)
 * @param events events deleted (0 unless history was removed too)
 * @param reports entries of the report log deleted (0 unless history was removed too)
 */
public record HostRemoval(
    String host, int services, int tokens, int series, int events, int reports) {}
