package io.custos.agent.check.host;

import io.custos.agent.check.CheckContext;
import io.custos.agent.check.Levels;
import io.custos.agent.check.LostSample;
import io.custos.agent.check.RateCheck;
import io.custos.agent.check.os.SysText;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Disk I/O saturation: the share of wall time each disk was busy between two runs, from the {@code
 * io_ticks} field (milliseconds spent doing I/O, the 10th after the name) of {@code
 * <root>/proc/diskstats}, as {@code iostat -x} computes {@code %util}. See {@link DiskIoConfig} for
 * the YAML:
 *
 * <pre>{@code
 * - { type: diskio, critical: 100%, for: 15m }
 * }</pre>
 *
 * <p>Service {@code Disk I/O}, the worst device: {@code DISKIO CRITICAL - sda 100.0% busy; sdb
 * 25.0%, nvme0n1 0.0%}. Metrics per device ({@code device} label): {@code disk_busy_percent},
 * {@code disk_read_bytes_per_second}, {@code disk_written_bytes_per_second} (sectors of 512 bytes).
 * The first run has no rate yet and is OK "first sample"; a counter that went backwards is a lost
 * sample (see {@link LostSample}).
 *
 * <p>Failure behaviour: an unreadable {@code /proc/diskstats} throws, and so becomes UNKNOWN; a
 * configured device that is absent is UNKNOWN naming it.
 */
public final class DiskIoCheck implements RateCheck {
  private final LostSample lost = new LostSample();
  private static final Pattern NOT_A_DISK =
      Pattern.compile(
          "(loop|ram|zram|sr|fd|dm-|md|nbd).*|(sd|vd|xvd|hd)[a-z]+\\d+|(nvme\\d+n\\d+|mmcblk\\d+)p\\d+");

  private final DiskIoConfig config;
  private Map<String, long[]> previous;
  private long previousTime;

  public DiskIoCheck(DiskIoConfig config) {
    this.config = config;
  }

  @Override
  public String kind() {
    return "diskio";
  }

  @Override
  public String name() {
    return "Disk I/O";
  }

  @Override
  public List<CheckResult> run(CheckContext context) throws IOException {
    Map<String, long[]> now = parseDiskstats(SysText.lines(context.resolve("proc/diskstats")));
    Map<String, long[]> before = previous;
    long elapsed = context.now() - previousTime;
    previous = now;
    previousTime = context.now();
    if (before != null) {
      for (Map.Entry<String, long[]> e : now.entrySet()) {
        long[] a = before.get(e.getKey());
        long[] b = e.getValue();
        if (isDisk(e.getKey()) && a != null && (b[0] < a[0] || b[1] < a[1] || b[2] < a[2])) {
          return List.of(
              lost.repeat(
                  name(),
                  kind(),
                  e.getKey() + " counters in /proc/diskstats went backwards, sample lost",
                  context.now()));
        }
      }
    }
    CheckResult r = result(before, now, elapsed, config, context.now());
    return List.of(before == null ? r : lost.remember(r));
  }

  @Override
  public void sample(CheckContext context) throws IOException {
    run(context);
  }

  /** Per device: sectors read, sectors written, io_ticks (ms); lines that do not parse skipped. */
  static Map<String, long[]> parseDiskstats(List<String> lines) {
    Map<String, long[]> out = new LinkedHashMap<>();
    for (String line : lines) {
      String[] f = line.strip().split("\\s+");
      if (f.length < 14) {
        continue;
      }
      try {
        out.put(
            f[2], new long[] {Long.parseLong(f[5]), Long.parseLong(f[9]), Long.parseLong(f[12])});
      } catch (NumberFormatException e) {
        // not a device line
      }
    }
    return out;
  }

  /** True for whole disks: not partitions, loop, ram, zram, optical, dm or md devices. */
  static boolean isDisk(String name) {
    return !NOT_A_DISK.matcher(name).matches();
  }

  /** The result between two samples {@code elapsedMillis} apart; pure. */
  static CheckResult result(
      Map<String, long[]> before,
      Map<String, long[]> now,
      long elapsedMillis,
      DiskIoConfig config,
      long time) {
    List<String> devices = new ArrayList<>(config.devices());
    if (devices.isEmpty()) {
      now.keySet().stream().filter(DiskIoCheck::isDisk).forEach(devices::add);
    }
    if (before == null || elapsedMillis <= 0) {
      return new CheckResult(
          "Disk I/O",
          "diskio",
          Status.OK,
          "DISKIO OK - first sample of "
              + devices.size()
              + " disks, the rate comes with the next run",
          time,
          List.of());
    }
    Status status = Status.OK;
    List<String> problems = new ArrayList<>();
    List<String> fine = new ArrayList<>();
    List<Metric> metrics = new ArrayList<>();
    for (String dev : devices) {
      long[] a = before.get(dev);
      long[] b = now.get(dev);
      if (b == null) {
        status = status.worse(Status.UNKNOWN);
        problems.add(dev + " not in /proc/diskstats");
        continue;
      }
      if (a == null || b[2] < a[2]) {
        continue; // appeared or reset since the last run
      }
      double busy = Math.min(100, Levels.round1(100.0 * (b[2] - a[2]) / elapsedMillis));
      double seconds = elapsedMillis / 1000.0;
      Map<String, String> label = Map.of("device", dev);
      metrics.add(
          new Metric(
              "disk_busy_percent",
              label,
              busy,
              "%",
              config.warning().value(),
              config.critical().value(),
              0.0,
              100.0));
      metrics.add(
          Metric.of("disk_read_bytes_per_second", label, (b[0] - a[0]) * 512 / seconds, "B"));
      metrics.add(
          Metric.of("disk_written_bytes_per_second", label, (b[1] - a[1]) * 512 / seconds, "B"));
      Status s = Levels.ofUsedPercent(busy, config.warning(), config.critical());
      status = status.worse(s);
      (s == Status.OK ? fine : problems)
          .add(dev + " " + Levels.pct1(busy) + (s == Status.OK ? "" : " busy"));
    }
    String text =
        problems.isEmpty()
            ? (fine.isEmpty() ? "no disks" : String.join(", ", fine) + " busy")
            : String.join(", ", problems) + (fine.isEmpty() ? "" : "; " + String.join(", ", fine));
    return new CheckResult(
        "Disk I/O", "diskio", status, "DISKIO " + status + " - " + text, time, metrics);
  }
}
