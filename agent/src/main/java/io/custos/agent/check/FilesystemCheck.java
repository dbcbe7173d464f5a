package io.custos.agent.check;

import io.custos.common.units.Percent;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Space and inodes of every real mounted file system, like {@code df -P} and Nagios check_disk.
 * Mounts come from {@code <root>/proc/mounts}; see {@link Mounts#select} for which are kept and
 * {@link FilesystemConfig} for the YAML:
 *
 * <pre>{@code
 * - { type: filesystem, warning: 80%, critical: 90%, exclude_types: [tmpfs, devtmpfs, overlay, squashfs] }
 * }</pre>
 *
 * <p>One result per mount, service {@code Filesystem <mount point>} ({@code Filesystem /}, {@code
 * Filesystem /var}). Its status is the worse of used space and used inodes against the thresholds;
 * output is check_disk's: {@code DISK OK - free space: / 4992 MB (70% inode=84%)}, giving free MiB
 * and free percentages (a file system without an inode table, such as btrfs, shows {@code
 * inode=100%} and has no inode metric). Metrics, labelled {@code mount} and {@code fstype}: {@code
 * fs_used_percent}, {@code fs_free_bytes} (available to users), {@code fs_size_bytes}, {@code
 * fs_inodes_used_percent}, {@code fs_read_only} (0/1). A mount whose size is 0 is skipped, as
 * {@code df} does. {@code mounts:} gives one mount point its own thresholds.
 *
 * <p>Read-only remounts: a mount that is read-only although {@code <root>/etc/fstab} mounts it
 * read-write, or that this agent saw read-write in an earlier run, is CRITICAL whatever its space
 * ({@code DISK CRITICAL - / is read-only (rw in /etc/fstab); free space: / 4992 MB (70%
 * inode=84%)}): ext4's {@code errors=remount-ro} after an I/O error looks exactly like that. A
 * mount that is read-only by design (in fstab with {@code ro}, or never seen read-write) is not.
 *
 * <p>Failure behaviour: a mount that cannot be stat'ed is UNKNOWN with the reason; the others are
 * still reported. An unreadable {@code /proc/mounts} throws.
 */
final class FilesystemCheck implements Check {
  private static final long MIB = 1024 * 1024;

  private final FilesystemConfig config;
  private final StatFs statFs;
  private final java.util.Set<String> seenReadWrite = new java.util.HashSet<>();

  FilesystemCheck(FilesystemConfig config) {
    this(config, StatFs.system());
  }

  FilesystemCheck(FilesystemConfig config, StatFs statFs) {
    this.config = config;
    this.statFs = statFs;
  }

  @Override
  public String kind() {
    return "filesystem";
  }

  @Override
  public String name() {
    return "Filesystems";
  }

  @Override
  public List<CheckResult> run(CheckContext context) throws IOException {
    List<String> lines = SysText.lines(context.resolve("proc/mounts"));
    List<CheckResult> results = new ArrayList<>();
    Map<String, Boolean> fstabReadOnly = parseFstab(readFstab(context));
    for (Mounts.Mount m : Mounts.select(Mounts.parse(lines), config::excludes)) {
      String service = "Filesystem " + m.mountPoint();
      FsUsage usage;
      try {
        usage = statFs.stat(under(context.root(), m.mountPoint()));
      } catch (IOException | RuntimeException e) {
        results.add(
            new CheckResult(
                service,
                kind(),
                Status.UNKNOWN,
                "DISK UNKNOWN - " + m.mountPoint() + ": " + e.getMessage(),
                context.now(),
                List.of()));
        continue;
      }
      String readOnly = null;
      if (m.readOnly()) {
        if (Boolean.FALSE.equals(fstabReadOnly.get(m.mountPoint()))) {
          readOnly = "rw in /etc/fstab";
        } else if (seenReadWrite.contains(m.mountPoint())) {
          readOnly = "was read-write";
        }
      } else {
        seenReadWrite.add(m.mountPoint());
      }
      if (usage.totalBytes() > 0) {
        results.add(result(service, m, usage, config, readOnly, context.now()));
      }
    }
    return results;
  }

  private static Path under(Path root, String mountPoint) {
    return root.resolve(mountPoint.substring(1));
  }

  private static List<String> readFstab(CheckContext context) throws IOException {
    try {
      return SysText.lines(context.resolve("etc/fstab"));
    } catch (java.nio.file.NoSuchFileException e) {
      return List.of();
    }
  }

  /** Mount point to "has the ro option" for each entry of {@code /etc/fstab}; pure. */
  static Map<String, Boolean> parseFstab(List<String> lines) {
    Map<String, Boolean> out = new java.util.HashMap<>();
    for (String line : lines) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      String[] f = t.split("\\s+");
      if (f.length >= 4) {
        out.put(Mounts.unescape(f[1]), java.util.Arrays.asList(f[3].split(",")).contains("ro"));
      }
    }
    return out;
  }

  /** The result for one mount with its usage; pure. */
  static CheckResult result(
      String service, Mounts.Mount m, FsUsage u, FilesystemConfig config, long now) {
    return result(service, m, u, config, null, now);
  }

  /**
   * The result for one mount with its usage; {@code readOnly} says why a read-only mount is a
   * problem, or is null; pure.
   */
  static CheckResult result(
      String service,
      Mounts.Mount m,
      FsUsage u,
      FilesystemConfig config,
      String readOnly,
      long now) {
    double used = u.usedPercent();
    double inodesUsed = u.inodesUsedPercent();
    Percent warning = config.warningFor(m.mountPoint());
    Percent critical = config.criticalFor(m.mountPoint());
    Status status = Levels.ofUsedPercent(used, warning, critical);
    if (u.hasInodes()) {
      status = status.worse(Levels.ofUsedPercent(inodesUsed, warning, critical));
    }
    if (readOnly != null) {
      status = Status.CRITICAL;
    }
    String output =
        "DISK "
            + status
            + " - "
            + (readOnly == null ? "" : m.mountPoint() + " is read-only (" + readOnly + "); ")
            + "free space: "
            + m.mountPoint()
            + " "
            + (u.availableBytes() / MIB)
            + " MB ("
            + Levels.pct(100 - used)
            + " inode="
            + Levels.pct(100 - inodesUsed)
            + ")";
    Map<String, String> labels = Map.of("mount", m.mountPoint(), "fstype", m.type());
    double warn = warning.value();
    double crit = critical.value();
    List<Metric> metrics = new ArrayList<>();
    metrics.add(new Metric("fs_used_percent", labels, round2(used), "%", warn, crit, 0.0, 100.0));
    metrics.add(Metric.of("fs_free_bytes", labels, u.availableBytes(), "B"));
    metrics.add(Metric.of("fs_size_bytes", labels, u.totalBytes(), "B"));
    if (u.hasInodes()) {
      metrics.add(
          new Metric(
              "fs_inodes_used_percent", labels, round2(inodesUsed), "%", warn, crit, 0.0, 100.0));
    }
    metrics.add(Metric.of("fs_read_only", labels, m.readOnly() ? 1 : 0, null));
    return new CheckResult(service, "filesystem", status, output, now, metrics);
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
