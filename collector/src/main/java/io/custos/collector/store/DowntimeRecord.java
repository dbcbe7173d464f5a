package io.custos.collector.store;

/**
 * A scheduled downtime as stored; the alert engine gives it meaning.
 *
 * @param id store id
 * @param host host, or null with a group
 * @param service service, or null for all
 * @param group host group, or null with a host
 * @param start epoch ms
 * @param end epoch ms
 * @param weekly recurring window text, or null
 * @param author who
 * @param comment why
 */
public record DowntimeRecord(
    long id,
    String host,
    String service,
    String group,
    long start,
    long end,
    String weekly,
    String author,
    String comment) {}
