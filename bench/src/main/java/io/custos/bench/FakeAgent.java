package io.custos.bench;

import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Report;
import io.custos.common.wire.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One simulated node: {@code checks} check results carrying {@code metrics} metrics between them,
 * with values that behave like a real host's — a third constant (sizes, totals), a third slowly
 * drifting percentages at 0.1 resolution, a sixth counters, a sixth noisy two-decimal gauges (load,
 * latency) — and result times jittered by a few milliseconds as a real agent's are.
 */
final class FakeAgent {
  final String node;
  private final int checks;
  private final double[] state;
  private final SplittableRandom random;
  private long seq;

  FakeAgent(String node, int checks, int metrics, long seed) {
    this.node = node;
    this.checks = checks;
    this.state = new double[metrics];
    this.random = new SplittableRandom(seed);
    for (int i = 0; i < metrics; i++) {
      state[i] =
          switch (i % 6) {
            case 0, 1 -> (1 + random.nextInt(64)) * 1_073_741_824.0; // sizes in bytes
            case 2, 3 -> Math.round(random.nextDouble() * 900) / 10.0; // percent
            case 4 -> random.nextInt(1_000_000); // counter
            default -> Math.round(random.nextDouble() * 400) / 100.0; // load-like
          };
    }
  }

  /** The next report, produced at {@code time}. */
  Report next(long time) {
    for (int i = 0; i < state.length; i++) {
      switch (i % 6) {
        case 0, 1 -> {}
        case 2, 3 -> {
          if (random.nextInt(10) == 0) {
            state[i] =
                Math.max(
                    0, Math.min(100, Math.round(state[i] * 10 + random.nextInt(3) - 1) / 10.0));
          }
        }
        case 4 -> state[i] += random.nextInt(50_000);
        default ->
            state[i] =
                Math.max(0, Math.round((state[i] + random.nextGaussian() * 0.1) * 100) / 100.0);
      }
    }
    List<CheckResult> results = new ArrayList<>(checks);
    int per = (state.length + checks - 1) / checks;
    for (int c = 0; c < checks; c++) {
      List<Metric> metrics = new ArrayList<>(per);
      for (int i = c * per; i < Math.min(state.length, (c + 1) * per); i++) {
        metrics.add(
            Metric.of(
                metricName(i),
                Map.of("check", "c" + c, "item", Integer.toString(i)),
                state[i],
                null));
      }
      long t = time + random.nextInt(20);
      results.add(
          new CheckResult("Check " + c, "bench", Status.OK, "BENCH OK - check " + c, t, metrics));
    }
    return new Report(
        Report.VERSION,
        node,
        "custos-bench/0.1.0",
        seq++,
        time,
        10,
        List.of("bench"),
        results,
        List.of());
  }

  static String metricName(int i) {
    return switch (i % 6) {
      case 0, 1 -> "bench_size_bytes";
      case 2, 3 -> "bench_used_percent";
      case 4 -> "bench_transferred_bytes_total";
      default -> "bench_load";
    };
  }
}
