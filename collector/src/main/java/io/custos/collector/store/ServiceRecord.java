package io.custos.collector.store;

import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.util.List;

/**
 * The current state of one (host, service): its last result plus the state machine's counters.
 *
 * @param host node name
 * @param service service name
 * @param check check kind, or null
 * @param status last status
 * @param output last one-line output
 * @param longOutput last further output lines, or null
 * @param lastCheck when the last result was produced (agent clock)
 * @param lastChange when the status last changed (agent clock)
 * @param attempt non-OK results in a row, capped at max attempts; 1 when OK
 * @param metrics metrics of the last result
 */
public record ServiceRecord(
    String host,
    String service,
    String check,
    Status status,
    String output,
    String longOutput,
    long lastCheck,
    long lastChange,
    int attempt,
    List<Metric> metrics) {
  public ServiceRecord {
    metrics = List.copyOf(metrics);
  }
}
