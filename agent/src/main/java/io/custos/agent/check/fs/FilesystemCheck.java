package io.custos.agent.check.fs;

import io.custos.agent.check.Check;
import io.custos.agent.check.CheckContext;
import io.custos.agent.check.CheckRunner;
import io.custos.agent.check.CommandRunner;
import io.custos.agent.check.Levels;
import io.custos.agent.check.Schedule;
import io.custos.agent.check.os.FsUsage;
import io.custos.agent.check.os.Mounts;
import io.custos.agent.check.os.OshiFileSystems;
import io.custos.agent.check.os.Platform;
import io.custos.agent.check.os.StatFs;
import io.custos.agent.check.os.SysText;
import io.custos.common.units.Percent;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import oshi.software.os.FileSystem;

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
 * <p>Mounts come from {@code /proc/self/mountinfo} (see {@link #readMounts}); {@code exclude} drops
 * mount points by path or glob. Each mount is stat'ed on its own thread, all at once, each bounded
 * by {@code stat_timeout} (5s).
 *
 * <p>Failure behaviour: a mount that cannot be stat'ed is UNKNOWN with the reason, by name; one
 * whose statfs does not return in time (a dead hard NFS server) is UNKNOWN "statfs did not return
 * within 5s" and is not stat'ed again until that call returns, so hung threads do not pile up; the
 * other mounts are still reported. An unreadable mount table throws.
 */
public final class FilesystemCheck implements Check {
  private static final long MIB = 1024 * 1024;

  private final FilesystemConfig config;
  private final Duration statTimeout;
  private final StatFs statFs;
  // statfs of network and FUSE mounts; the same as statFs unless a child process does it.
  private StatFs remoteStatFs;
  private final java.util.function.Supplier<FileSystem> oshi;
  private final java.util.Set<String> seenReadWrite = new java.util.HashSet<>();
  // statfs calls that did not return in time, by mount point: not started again until they do.
  private final Map<String, Future<FsUsage>> hung = new java.util.concurrent.ConcurrentHashMap<>();
  private final ExecutorService stats =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "custos-statfs");
            t.setDaemon(true);
            return t;
          });

  public FilesystemCheck(FilesystemConfig config) {
    this(config, Schedule.DEFAULT);
  }

  /**
   * The check for one {@code checks:} entry: its own keys and its shared ones (a mount's statfs may
   * take at most half the {@code timeout}).
   */
  public FilesystemCheck(FilesystemConfig config, Schedule schedule) {
    this(
        config,
        schedule,
        Platform.LINUX ? StatFs.system() : StatFs.portable(),
        () -> new oshi.SystemInfo().getOperatingSystem().getFileSystem());
    if (Platform.LINUX) {
      this.remoteStatFs = StatFs.inChildProcess(CommandRunner.SYSTEM, config.statTimeout());
    }
  }

  /**
   * Network and FUSE file system types, whose statfs can hang in the kernel when the server or
   * daemon is gone: read through {@link #remoteStatFs}.
   */
  static boolean remote(String type) {
    if (type == null) {
      return false;
    }
    return type.equals("fuse")
        || type.startsWith("fuse.")
        || java.util.Set.of(
                "nfs",
                "nfs4",
                "cifs",
                "smb3",
                "smbfs",
                "ncpfs",
                "ceph",
                "glusterfs",
                "9p",
                "afs",
                "lustre",
                "gpfs",
                "beegfs",
                "davfs",
                "sshfs",
                "virtiofs")
            .contains(type);
  }

  public FilesystemCheck(FilesystemConfig config, StatFs statFs) {
    this(config, Schedule.DEFAULT, statFs, null);
  }

  /**
   * As {@link #FilesystemCheck(FilesystemConfig, Schedule, StatFs, java.util.function.Supplier)}.
   */
  public FilesystemCheck(
      FilesystemConfig config, StatFs statFs, java.util.function.Supplier<FileSystem> oshi) {
    this(config, Schedule.DEFAULT, statFs, oshi);
  }

  /**
   * @param statFs statvfs for mounts read from the mount table
   * @param oshi the file system view used where there is no {@code /proc} (see {@link
   *     Platform#oshi}); null when never needed
   */
  public FilesystemCheck(
      FilesystemConfig config,
      Schedule schedule,
      StatFs statFs,
      java.util.function.Supplier<FileSystem> oshi) {
    this.config = config;
    this.statTimeout = config.statTimeout(schedule.timeout());
    this.statFs = statFs;
    this.remoteStatFs = statFs;
    this.oshi = oshi;
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
    if (Platform.oshi(context) && oshi != null) {
      OshiFileSystems snapshot = OshiFileSystems.snapshot(oshi.get());
      return run(context, snapshot.mounts(), snapshot, false);
    }
    return run(context, readMounts(context), statFs, true);
  }

  /**
   * The results for {@code mounts}; {@code underRoot} resolves mount points under the context's
   * root for {@code stat}, false passes them as they are (OSHI knows them by their own path).
   */
  public List<CheckResult> run(
      CheckContext context, List<Mounts.Mount> mounts, StatFs statFs, boolean underRoot)
      throws IOException {
    List<CheckResult> results = new ArrayList<>();
    Map<String, Boolean> fstabReadOnly = parseFstab(readFstab(context));
    List<Mounts.Mount> selected = new ArrayList<>();
    for (Mounts.Mount m : Mounts.select(mounts, config::excludes)) {
      if (!config.excludesMount(m.mountPoint())) {
        selected.add(m);
      }
    }
    // Every mount gets its own bounded statfs, all at once: one dead NFS server hides nothing.
    Map<String, Future<FsUsage>> pending = new LinkedHashMap<>();
    for (Mounts.Mount m : selected) {
      Future<FsUsage> stuck = hung.get(m.mountPoint());
      if (stuck != null && !stuck.isDone()) {
        continue;
      }
      hung.remove(m.mountPoint());
      Path at = underRoot ? under(context.root(), m.mountPoint()) : Path.of(m.mountPoint());
      StatFs how = underRoot && remote(m.type()) ? remoteStatFs : statFs;
      pending.put(m.mountPoint(), stats.submit(() -> how.stat(at)));
    }
    long deadline = System.nanoTime() + statTimeout.toNanos();
    for (Mounts.Mount m : selected) {
      String service = "Filesystem " + m.mountPoint();
      FsUsage usage;
      try {
        usage = await(m.mountPoint(), pending.get(m.mountPoint()), deadline);
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

  /** The usage from one statfs, or why there is none; a statfs past its time is left running. */
  private FsUsage await(String mountPoint, Future<FsUsage> f, long deadline) throws IOException {
    if (f == null) {
      throw new IOException(
          "statfs still hung from an earlier run (a dead network file system?), not retried");
    }
    try {
      return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      // statfs on a dead hard NFS mount ignores interrupts; keep it, do not pile up threads.
      hung.put(mountPoint, f);
      throw new IOException(
          "statfs did not return within "
              + CheckRunner.format(statTimeout)
              + " (a dead network file system?)");
    } catch (ExecutionException e) {
      Throwable c = e.getCause() == null ? e : e.getCause();
      throw new IOException(CheckRunner.describe(c), c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }

  /**
   * The mount table: on the live system {@code /proc/self/mountinfo}; under another root (a
   * container's {@code --root /host}) the host's {@code proc/1/mountinfo}, since the agent's own
   * table is the container's; {@code proc/mounts} where there is no mountinfo (captured trees).
   */
  static List<Mounts.Mount> readMounts(CheckContext context) throws IOException {
    boolean live = context.root().toAbsolutePath().normalize().equals(Path.of("/"));
    List<String> candidates =
        live
            ? List.of("proc/self/mountinfo", "proc/mounts")
            : List.of("proc/1/mountinfo", "proc/self/mountinfo", "proc/mounts");
    for (String c : candidates) {
      Path file = context.resolve(c);
      if (Files.isReadable(file)) {
        List<String> lines = SysText.lines(file);
        return c.endsWith("mountinfo") ? Mounts.parseMountinfo(lines) : Mounts.parse(lines);
      }
    }
    throw new java.nio.file.NoSuchFileException(context.resolve("proc/mounts").toString());
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
