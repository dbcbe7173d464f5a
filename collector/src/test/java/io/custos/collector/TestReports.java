package io.custos.collector;

import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Report;
import io.custos.common.wire.Status;
import java.util.List;
import java.util.Map;

/** Builds reports for tests. */
public final class TestReports {
  private TestReports() {}

  public static Report report(String node, long seq, long time, CheckResult... results) {
    return new Report(
        Report.VERSION,
        node,
        "custos-agent/0.1.0",
        seq,
        time,
        30,
        List.of("web"),
        List.of(results),
        List.of());
  }

  public static CheckResult result(String service, Status status, String output, long time) {
    return new CheckResult(
        service,
        "filesystem",
        status,
        output,
        time,
        List.of(Metric.of("fs_used_percent", Map.of("mount", "/"), 30.5, "%")));
  }
}
