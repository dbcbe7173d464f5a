package io.custos.agent.check.host;

import io.custos.agent.check.Check;
import io.custos.agent.check.CheckContext;
import io.custos.agent.check.Levels;
import io.custos.agent.check.os.SysText;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The 1, 5 and 15 minute load averages from {@code <root>/proc/loadavg} against limits, like
 * check_load. See {@link LoadConfig} for the YAML:
 *
 * <pre>{@code
 * - { type: load, warning: "2,1.5,1", critical: "4,3,2", per_core: true }
 * }</pre>
 *
 * <p>Service {@code Load}; output {@code LOAD OK - load average: 0.52, 0.61, 0.70}; the status is
 * the worst over the three averages, each compared (strictly greater) with its limit. The CPU count
 * is the number of {@code processor} lines in {@code <root>/proc/cpuinfo} (the host's CPUs, which
 * is what the load average counts, even in a container with a CPU quota); when there are none it
 * falls back to the JVM's count. Metrics: {@code load1}, {@code load5}, {@code load15} (with the
 * absolute limits as warn/crit) and {@code cpu_cores} (a gauge: no {@code _count} suffix, which
 * Prometheus reserves for summaries and histograms).
 *
 * <p>Failure behaviour: a missing or malformed {@code loadavg} throws, and so becomes UNKNOWN.
 */
public final class LoadCheck implements Check {
  private final LoadConfig config;
  private final IntSupplier fallbackCpus;

  public LoadCheck(LoadConfig config) {
    this(config, Runtime.getRuntime()::availableProcessors);
  }

  public LoadCheck(LoadConfig config, IntSupplier fallbackCpus) {
    this.config = config;
    this.fallbackCpus = fallbackCpus;
  }

  @Override
  public String kind() {
    return "load";
  }

  @Override
  public String name() {
    return "Load";
  }

  @Override
  public List<CheckResult> run(CheckContext context) throws IOException {
    double[] load = parseLoadAvg(SysText.text(context.resolve("proc/loadavg")));
    int cpus = countCpus(readOrEmpty(context.resolve("proc/cpuinfo")));
    if (cpus <= 0) {
      cpus = fallbackCpus.getAsInt();
    }
    return List.of(result(load, cpus, config, context.now()));
  }

  private static List<String> readOrEmpty(Path file) throws IOException {
    try {
      return SysText.lines(file);
    } catch (NoSuchFileException e) {
      return List.of();
    }
  }

  /**
   * The three averages from {@code /proc/loadavg}, e.g. {@code 0.52 0.61 0.70 1/81 3953}.
   *
   * @throws IllegalArgumentException quoting the text when it is not that
   */
  static double[] parseLoadAvg(String text) {
    String[] f = text.strip().split("\\s+");
    try {
      if (f.length >= 3) {
        return new double[] {
          Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])
        };
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException("unexpected /proc/loadavg content \"" + text.strip() + "\"");
  }

  /** The number of {@code processor : N} lines of {@code /proc/cpuinfo}. */
  static int countCpus(List<String> cpuinfo) {
    int n = 0;
    for (String line : cpuinfo) {
      if (line.startsWith("processor") && line.indexOf(':') > 0) {
        String key = line.substring(0, line.indexOf(':')).strip();
        if (key.equals("processor")) {
          n++;
        }
      }
    }
    return n;
  }

  /** The result for measured averages on {@code cpus} CPUs; pure. */
  static CheckResult result(double[] load, int cpus, LoadConfig config, long now) {
    int factor = config.perCore() ? Math.max(1, cpus) : 1;
    LoadThreshold warn = config.warning().times(factor);
    LoadThreshold crit = config.critical().times(factor);
    Status status = Status.OK;
    for (int i = 0; i < 3; i++) {
      if (load[i] > crit.at(i)) {
        status = status.worse(Status.CRITICAL);
      } else if (load[i] > warn.at(i)) {
        status = status.worse(Status.WARNING);
      }
    }
    String output =
        "LOAD "
            + status
            + " - load average: "
            + Levels.load(load[0])
            + ", "
            + Levels.load(load[1])
            + ", "
            + Levels.load(load[2]);
    String[] names = {"load1", "load5", "load15"};
    List<Metric> metrics = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      metrics.add(new Metric(names[i], Map.of(), load[i], null, warn.at(i), crit.at(i), 0.0, null));
    }
    metrics.add(Metric.of("cpu_cores", Map.of(), cpus, null));
    return new CheckResult("Load", "load", status, output, now, metrics);
  }
}
