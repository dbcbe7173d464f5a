package io.custos.common.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The result of one check for one service on the reporting node.
 *
 * @param service the service name as shown on the collector ("Root Partition")
 * @param check the check kind that produced it ("filesystem"), or null
 * @param status Nagios status
 * @param output one line of Nagios-style text; never contains a line break
 * @param longOutput further lines of plugin output, or null
 * @param time when the check ran, UTC epoch milliseconds
 * @param metrics perfdata, possibly empty
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckResult(
    String service,
    String check,
    Status status,
    String output,
    @JsonProperty("long_output") String longOutput,
    long time,
    List<Metric> metrics) {

  public CheckResult {
    if (service == null || service.isBlank()) {
      throw new WireException("service", "expected a non-empty string");
    }
    if (service.length() > 200) {
      throw new WireException("service", "longer than 200 characters");
    }
    if (status == null) {
      throw new WireException("status", "missing");
    }
    if (output == null) {
      throw new WireException("output", "missing");
    }
    if (output.indexOf('\n') >= 0 || output.indexOf('\r') >= 0) {
      throw new WireException("output", "must be one line; put further lines in long_output");
    }
    if (time <= 0) {
      throw new WireException("time", "expected UTC epoch milliseconds, got " + time);
    }
    metrics = metrics == null ? List.of() : List.copyOf(metrics);
  }

  /** A result without long output. */
  public CheckResult(
      String service, String check, Status status, String output, long time, List<Metric> metrics) {
    this(service, check, status, output, null, time, metrics);
  }
}
