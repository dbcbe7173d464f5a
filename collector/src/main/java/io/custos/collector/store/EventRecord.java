package io.custos.collector.store;

import io.custos.common.wire.Status;

/**
 * A status change of one (host, service).
 *
 * @param host node name
 * @param service service name
 * @param time when the result that changed it was produced
 * @param oldStatus status before, or null when the service was first seen
 * @param newStatus status after
 * @param output output of the result that changed it
 */
public record EventRecord(
    String host, String service, long time, Status oldStatus, Status newStatus, String output) {}
