package io.custos.collector.status;

import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.util.List;

/**
 * One row of the Nagios "Service Status" table, evaluated at one instant.
 *
 * @param host node name
 * @param service service name; {@value StatusBoard#HOST_ALIVE} for the host itself
 * @param check check kind, or null
 * @param status current status
 * @param output one-line output
 * @param longOutput further output, or null
 * @param lastCheck when the last result was produced, epoch ms
 * @param lastChange when the status last changed, epoch ms
 * @param durationS seconds since {@code lastChange}, never negative
 * @param attempt current attempt
 * @param maxAttempts attempts before the state is hard
 * @param stale true while the host is DOWN: the state is the last one reported, not current
 * @param metrics metrics of the last result
 * @param flags the alert engine's view (ack, downtime, flapping, soft/hard), or null when unknown
 */
public record ServiceView(
    String host,
    String service,
    String check,
    Status status,
    String output,
    String longOutput,
    long lastCheck,
    long lastChange,
    long durationS,
    int attempt,
    int maxAttempts,
    boolean stale,
    List<Metric> metrics,
    ServiceFlags flags) {
  public ServiceView {
    metrics = List.copyOf(metrics);
  }

  /** A row without alert engine flags. */
  public ServiceView(
      String host,
      String service,
      String check,
      Status status,
      String output,
      String longOutput,
      long lastCheck,
      long lastChange,
      long durationS,
      int attempt,
      int maxAttempts,
      boolean stale,
      List<Metric> metrics) {
    this(
        host,
        service,
        check,
        status,
        output,
        longOutput,
        lastCheck,
        lastChange,
        durationS,
        attempt,
        maxAttempts,
        stale,
        metrics,
        null);
  }

  /** This row with the alert engine's flags; attempt and max attempts are then the engine's. */
  public ServiceView withFlags(ServiceFlags f) {
    if (f == null) {
      return this;
    }
    return new ServiceView(
        host,
        service,
        check,
        status,
        output,
        longOutput,
        lastCheck,
        lastChange,
        durationS,
        f.attempt(),
        f.maxAttempts(),
        stale,
        metrics,
        f);
  }

  /**
   * True for a problem nobody has taken care of, Nagios' "unhandled": not OK, its host not DOWN
   * (then the row is {@link #stale}), not acknowledged and not in downtime. The one place this is
   * decided: the summary counts it, {@code ?status=unhandled} filters by it, and the JSON rows
   * carry it as {@code unhandled} for the dashboard.
   */
  public boolean unhandled() {
    if (!status.isProblem() || stale) {
      return false;
    }
    return flags == null || !(flags.acknowledged() || flags.inDowntime());
  }

  /** True for the host's own row, {@value StatusBoard#HOST_ALIVE}. */
  public boolean hostAlive() {
    return StatusBoard.HOST_ALIVE.equals(service);
  }
}
