package io.custos.agent.check.host;

import io.custos.agent.check.CheckContext;
import io.custos.agent.check.Hold;
import io.custos.agent.check.Levels;
import io.custos.agent.check.LostSample;
import io.custos.agent.check.RateCheck;
import io.custos.agent.check.os.SysText;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * CPU saturation: the busy share of all CPUs between two runs, from the first line of {@code
 * <root>/proc/stat}. See {@link CpuConfig} for the YAML:
 *
 * <pre>{@code
 * - { type: cpu, critical: 100%, for: 15m }
 * }</pre>
 *
 * <p>Busy is everything but idle and iowait (user, nice, system, irq, softirq, steal). Service
 * {@code CPU}: {@code CPU CRITICAL - 100.0% busy (user 88.0%, system 12.0%, iowait 0.0%, steal
 * 0.0%)}, compared at or above the limits after rounding to 0.1%; with the default {@code for: 15m}
 * only a saturation that lasts is reported (see {@link Hold}). Metrics {@code cpu_busy_percent},
 * {@code cpu_iowait_percent}, {@code cpu_steal_percent}.
 *
 * <p>Stateful: the first run has no rate yet and is OK "first sample" ({@code custos-agent check}
 * takes two samples instead, see {@link RateCheck}); counters that went backwards as a whole (a
 * restored VM) are a lost sample, see {@link LostSample}; one counter stepping back while the
 * others go on (iowait, which proc(5) says can decrease) still gives a sample, that step counted as
 * 0. Failure behaviour: an unreadable or malformed {@code /proc/stat} throws, and so becomes
 * UNKNOWN.
 */
public final class CpuCheck implements RateCheck {
  private final CpuConfig config;
  private final LostSample lost = new LostSample();
  private long[] previous;

  public CpuCheck(CpuConfig config) {
    this.config = config;
  }

  @Override
  public String kind() {
    return "cpu";
  }

  @Override
  public String name() {
    return "CPU";
  }

  @Override
  public List<CheckResult> run(CheckContext context) throws IOException {
    long[] now = parseCpuLine(SysText.lines(context.resolve("proc/stat")));
    long[] before = previous;
    previous = now;
    if (before != null && backwards(before, now)) {
      return List.of(
          lost.repeat(
              name(), kind(), "a /proc/stat counter went backwards, sample lost", context.now()));
    }
    CheckResult r = result(before, now, config, context.now());
    return List.of(before == null ? r : lost.remember(r));
  }

  @Override
  public void sample(CheckContext context) throws IOException {
    previous = parseCpuLine(SysText.lines(context.resolve("proc/stat")));
  }

  /**
   * True when a counter went backwards in a way that makes the sample meaningless (a restored VM, a
   * CPU taken offline, a reset): any of user, nice, system, irq, softirq, steal, or the sum of all.
   * idle and iowait alone stepping back is not: the kernel's iowait and idle accounting can
   * decrease (proc(5): "iowait ... can decrease in certain conditions"; tickless idle), so their
   * step counts as 0 (see {@link #result}).
   */
  static boolean backwards(long[] before, long[] now) {
    long b = 0;
    long n = 0;
    for (int i = 0; i < Math.min(before.length, now.length); i++) {
      b += before[i];
      n += now[i];
      if (i != 3 && i != 4 && now[i] < before[i]) {
        return true;
      }
    }
    return n < b;
  }

  /**
   * The aggregate {@code cpu} line's counters: user, nice, system, idle, iowait, irq, softirq,
   * steal (missing trailing fields are 0).
   *
   * @throws IllegalArgumentException when there is no {@code cpu} line
   */
  static long[] parseCpuLine(List<String> stat) {
    for (String line : stat) {
      if (line.startsWith("cpu ")) {
        String[] f = line.substring(4).strip().split("\\s+");
        long[] v = new long[8];
        for (int i = 0; i < v.length && i < f.length; i++) {
          v[i] = Long.parseLong(f[i]);
        }
        return v;
      }
    }
    throw new IllegalArgumentException("no \"cpu\" line in /proc/stat");
  }

  /** The result between two samples; {@code before} null for the first run; pure. */
  static CheckResult result(long[] before, long[] now, CpuConfig config, long time) {
    long total = 0;
    long[] d = new long[8];
    boolean backwards = before != null && backwards(before, now);
    for (int i = 0; i < 8; i++) {
      if (before != null) {
        // idle or iowait stepping back counts as no time in that state
        d[i] = Math.max(0, now[i] - before[i]);
        total += d[i];
      }
    }
    if (before == null || backwards || total <= 0) {
      return new CheckResult(
          "CPU",
          "cpu",
          Status.OK,
          "CPU OK - first sample, the rate comes with the next run",
          time,
          List.of());
    }
    double busy = Levels.round1(100.0 * (total - d[3] - d[4]) / total);
    double user = Levels.round1(100.0 * (d[0] + d[1]) / total);
    double system = Levels.round1(100.0 * (d[2] + d[5] + d[6]) / total);
    double iowait = Levels.round1(100.0 * d[4] / total);
    double steal = Levels.round1(100.0 * d[7] / total);
    Status status = Levels.ofUsedPercent(busy, config.warning(), config.critical());
    String out =
        "CPU "
            + status
            + " - "
            + Levels.pct1(busy)
            + " busy (user "
            + Levels.pct1(user)
            + ", system "
            + Levels.pct1(system)
            + ", iowait "
            + Levels.pct1(iowait)
            + ", steal "
            + Levels.pct1(steal)
            + ")";
    return new CheckResult(
        "CPU",
        "cpu",
        status,
        out,
        time,
        List.of(
            new Metric(
                "cpu_busy_percent",
                Map.of(),
                busy,
                "%",
                config.warning().value(),
                config.critical().value(),
                0.0,
                100.0),
            new Metric("cpu_iowait_percent", Map.of(), iowait, "%", null, null, 0.0, 100.0),
            new Metric("cpu_steal_percent", Map.of(), steal, "%", null, null, 0.0, 100.0)));
  }
}
