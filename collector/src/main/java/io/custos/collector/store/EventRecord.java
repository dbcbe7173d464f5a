package io.custos.collector.store;

import io.custos.common.wire.Status;

/**
 * An entry of the event history of one (host, service): a status change or an alert note.
 *
 * @param host node name
 * @param service service name
 * @param time when the result that changed it was produced
 * @param oldStatus status before, or null when the service was first seen
 * @param newStatus status after
 * @param output output of the result that changed it, or the alert engine's note
 * @param kind {@code state} for a status change, {@code alert} for the alert engine's notes
 */
public record EventRecord(
    String host,
    String service,
    long time,
    Status oldStatus,
    Status newStatus,
    String output,
    String kind) {

  /** A status change. */
  public EventRecord(
      String host, String service, long time, Status oldStatus, Status newStatus, String output) {
    this(host, service, time, oldStatus, newStatus, output, "state");
  }
}
