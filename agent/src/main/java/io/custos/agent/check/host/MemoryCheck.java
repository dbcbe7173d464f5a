package io.custos.agent.check.host;

import io.custos.agent.check.Check;
import io.custos.agent.check.CheckContext;
import io.custos.agent.check.Levels;
import io.custos.agent.check.os.OshiHost;
import io.custos.agent.check.os.Platform;
import io.custos.agent.check.os.SysText;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import oshi.hardware.GlobalMemory;

/**
 * Memory and swap use from {@code <root>/proc/meminfo}. See {@link MemoryConfig} for the YAML:
 *
 * <pre>{@code
 * - { type: memory, warning: 90%, critical: 95%, swap_warning: 50%, swap_critical: 80% }
 * }</pre>
 *
 * <p>Two services. {@code Memory}: used is MemTotal minus MemAvailable (what the kernel could give
 * a new program without swapping; before Linux 3.14, MemFree + Buffers + Cached), output {@code
 * MEMORY OK - 34% used (5.3 GiB of 15.6 GiB, 10.3 GiB available)}, metrics {@code
 * memory_used_percent}, {@code memory_available_bytes}, {@code memory_total_bytes}. {@code Swap}:
 * SwapTotal minus SwapFree, output {@code SWAP OK - 12% used (0.5 GiB of 4.0 GiB)}, or {@code SWAP
 * OK - no swap} when there is none; metrics {@code swap_used_percent}, {@code swap_free_bytes},
 * {@code swap_total_bytes}.
 *
 * <p>On FreeBSD and macOS the same figures come from OSHI ({@link OshiHost#meminfo}).
 *
 * <p>Failure behaviour: a missing {@code meminfo} or one without MemTotal throws, and so becomes
 * UNKNOWN.
 */
public final class MemoryCheck implements Check {
  private final MemoryConfig config;
  private final Supplier<GlobalMemory> oshi;

  public MemoryCheck(MemoryConfig config) {
    this(config, () -> new oshi.SystemInfo().getHardware().getMemory());
  }

  /**
   * @param oshi the memory figures used where there is no {@code /proc} (see {@link Platform#oshi})
   */
  public MemoryCheck(MemoryConfig config, Supplier<GlobalMemory> oshi) {
    this.config = config;
    this.oshi = oshi;
  }

  @Override
  public String kind() {
    return "memory";
  }

  @Override
  public String name() {
    return "Memory";
  }

  @Override
  public List<CheckResult> run(CheckContext context) throws IOException {
    Map<String, Long> info =
        Platform.oshi(context)
            ? OshiHost.meminfo(oshi.get())
            : parseMemInfo(SysText.lines(context.resolve("proc/meminfo")));
    long now = context.now();
    return List.of(memory(info, config, now), swap(info, config, now));
  }

  /**
   * The fields of {@code /proc/meminfo} in bytes ({@code kB} values times 1024; unitless counts
   * such as HugePages_Total as they are). Lines that do not parse are skipped.
   */
  static Map<String, Long> parseMemInfo(List<String> lines) {
    Map<String, Long> out = new HashMap<>();
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String[] f = line.substring(colon + 1).strip().split("\\s+");
      try {
        long v = Long.parseLong(f[0]);
        out.put(line.substring(0, colon), f.length > 1 && f[1].equals("kB") ? v * 1024 : v);
      } catch (NumberFormatException e) {
        // not a number: not a field we use
      }
    }
    return out;
  }

  /** The {@code Memory} result; pure. */
  public static CheckResult memory(Map<String, Long> info, MemoryConfig config, long now) {
    Long total = info.get("MemTotal");
    if (total == null || total <= 0) {
      throw new IllegalArgumentException("no MemTotal in /proc/meminfo");
    }
    long available =
        info.containsKey("MemAvailable")
            ? info.get("MemAvailable")
            : info.getOrDefault("MemFree", 0L)
                + info.getOrDefault("Buffers", 0L)
                + info.getOrDefault("Cached", 0L);
    available = Math.min(available, total);
    long used = total - available;
    double usedPct = used * 100.0 / total;
    Status status = Levels.ofUsedPercent(usedPct, config.warning(), config.critical());
    String output =
        "MEMORY "
            + status
            + " - "
            + Levels.pct(usedPct)
            + " used ("
            + Levels.gib(used)
            + " of "
            + Levels.gib(total)
            + ", "
            + Levels.gib(available)
            + " available)";
    List<Metric> metrics =
        List.of(
            new Metric(
                "memory_used_percent",
                Map.of(),
                round2(usedPct),
                "%",
                config.warning().value(),
                config.critical().value(),
                0.0,
                100.0),
            Metric.of("memory_available_bytes", Map.of(), available, "B"),
            Metric.of("memory_total_bytes", Map.of(), total, "B"));
    return new CheckResult("Memory", "memory", status, output, now, metrics);
  }

  /** The {@code Swap} result; OK "no swap" when there is none; pure. */
  public static CheckResult swap(Map<String, Long> info, MemoryConfig config, long now) {
    long total = info.getOrDefault("SwapTotal", 0L);
    long free = Math.min(info.getOrDefault("SwapFree", 0L), total);
    if (total <= 0) {
      return new CheckResult(
          "Swap",
          "memory",
          Status.OK,
          "SWAP OK - no swap",
          now,
          List.of(Metric.of("swap_total_bytes", Map.of(), 0, "B")));
    }
    long used = total - free;
    double usedPct = used * 100.0 / total;
    Status status = Levels.ofUsedPercent(usedPct, config.swapWarning(), config.swapCritical());
    String output =
        "SWAP "
            + status
            + " - "
            + Levels.pct(usedPct)
            + " used ("
            + Levels.gib(used)
            + " of "
            + Levels.gib(total)
            + ")";
    List<Metric> metrics =
        List.of(
            new Metric(
                "swap_used_percent",
                Map.of(),
                round2(usedPct),
                "%",
                config.swapWarning().value(),
                config.swapCritical().value(),
                0.0,
                100.0),
            Metric.of("swap_free_bytes", Map.of(), free, "B"),
            Metric.of("swap_total_bytes", Map.of(), total, "B"));
    return new CheckResult("Swap", "memory", status, output, now, metrics);
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
