package io.custos.agent.check.fs;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.custos.agent.check.CheckKind;
import io.custos.agent.check.Levels;
import io.custos.common.match.Globs;
import io.custos.common.units.Percent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Configuration of the {@code filesystem} check.
 *
 * <pre>{@code
 * - { type: filesystem, warning: 80%, critical: 90%, exclude_types: [tmpfs, devtmpfs, overlay, squashfs],
 *     mounts: { /var/lib/postgresql: { warning: 90%, critical: 95% }, /boot: { critical: 95% } } }
 * - { type: filesystem, exclude: [/mnt/backup, "/run/*", "/snap/*"], stat_timeout: 3s }
 * }</pre>
 *
 * @param warning used space or used inodes at or above which a mount is WARNING; default 80%
 * @param critical used space or used inodes at or above which a mount is CRITICAL; default 90%
 * @param excludeTypes file system types not checked; replaces {@link #DEFAULT_EXCLUDE_TYPES}, so
 *     {@code [squashfs]} alone means tmpfs is checked. An entry ending in {@code *} matches a
 *     prefix ({@code fuse.*}). Kernel pseudo file systems (proc, sysfs, cgroup, ...) are never
 *     checked whatever this says.
 * @param mounts per mount point, thresholds that replace {@code warning} and/or {@code critical}
 *     for that mount
 * @param exclude mount points not checked, exact ({@code /mnt/backup}, as {@code check_disk -x}) or
 *     globs ({@code /run/*}, {@code /snap/*}; {@code *} also matches {@code /})
 * @param statTimeout the {@code stat_timeout} key: how long one mount's statfs may take before that
 *     mount is UNKNOWN (a dead hard NFS server never answers); default 5s, and at most half the
 *     check's timeout
 */
public record FilesystemConfig(
    Percent warning,
    Percent critical,
    @JsonProperty("exclude_types") List<String> excludeTypes,
    Map<String, Limits> mounts,
    List<String> exclude,
    @JsonProperty("stat_timeout") Duration statTimeout)
    implements CheckKind {

  /** Types skipped unless {@code exclude_types} says otherwise: in-memory and image mounts. */
  public static final List<String> DEFAULT_EXCLUDE_TYPES =
      List.of(
          "tmpfs",
          "devtmpfs",
          "ramfs",
          "overlay",
          "squashfs",
          "iso9660",
          "fuse.lxcfs",
          "fuse.gvfsd-fuse",
          "fuse.portal",
          "fuse.snapfuse");

  /**
   * Kernel pseudo file systems whose sizes mean nothing; never checked, so that a short {@code
   * exclude_types} does not flood the collector with {@code /proc} and cgroup mounts.
   */
  static final Set<String> PSEUDO_TYPES =
      Set.of(
          "proc",
          "sysfs",
          "cgroup",
          "cgroup2",
          "devpts",
          "mqueue",
          "debugfs",
          "tracefs",
          "securityfs",
          "pstore",
          "bpf",
          "autofs",
          "configfs",
          "fusectl",
          "hugetlbfs",
          "binfmt_misc",
          "nsfs",
          "efivarfs",
          "rpc_pipefs",
          "selinuxfs",
          "nfsd",
          // FreeBSD and macOS, as OSHI names them
          "devfs",
          "fdescfs",
          "procfs",
          "linprocfs",
          "linsysfs");

  public FilesystemConfig {
    warning = warning == null ? new Percent(80) : warning;
    critical = critical == null ? new Percent(90) : critical;
    Levels.requireBelow("warning", warning, "critical", critical);
    excludeTypes = excludeTypes == null ? DEFAULT_EXCLUDE_TYPES : List.copyOf(excludeTypes);
    for (String t : excludeTypes) {
      if (t == null || t.isBlank()) {
        throw new IllegalArgumentException("exclude_types: expected file system type names");
      }
    }
    mounts = mounts == null ? Map.of() : Map.copyOf(mounts);
    for (Map.Entry<String, Limits> e : mounts.entrySet()) {
      if (!e.getKey().startsWith("/")) {
        throw new IllegalArgumentException(
            "mounts: expected absolute mount points, got \"" + e.getKey() + "\"");
      }
      Levels.requireBelow(
          "mounts." + e.getKey() + ".warning", warningFor(e.getKey(), warning, mounts),
          "mounts." + e.getKey() + ".critical", criticalFor(e.getKey(), critical, mounts));
    }
    exclude = exclude == null ? List.of() : List.copyOf(exclude);
    for (String e : exclude) {
      if (e == null || !e.startsWith("/") && !e.startsWith("*")) {
        throw new IllegalArgumentException(
            "exclude: expected absolute mount points or globs such as /run/*, got \"" + e + "\"");
      }
    }
    if (statTimeout != null && (statTimeout.isZero() || statTimeout.isNegative())) {
      throw new IllegalArgumentException("stat_timeout must be positive, got " + statTimeout);
    }
    statTimeout = statTimeout == null ? Duration.ofSeconds(5) : statTimeout;
  }

  /** The keys before {@code exclude} and {@code stat_timeout}, which take their defaults. */
  public FilesystemConfig(
      Percent warning, Percent critical, List<String> excludeTypes, Map<String, Limits> mounts) {
    this(warning, critical, excludeTypes, mounts, null, null);
  }

  /** True when the mount point is excluded by {@code exclude}. */
  boolean excludesMount(String mountPoint) {
    return Globs.any(exclude, mountPoint);
  }

  /**
   * How long one mount's statfs may take in a run bounded by {@code timeout}: {@code stat_timeout},
   * at most half of {@code timeout}, so the other mounts still get reported.
   */
  public Duration statTimeout(Duration timeout) {
    Duration half = timeout.dividedBy(2);
    return statTimeout.compareTo(half) > 0 ? half : statTimeout;
  }

  /** The check's own keys; every other key at its default. */
  public FilesystemConfig(Percent warning, Percent critical, List<String> excludeTypes) {
    this(warning, critical, excludeTypes, null);
  }

  /** Every default. */
  public static FilesystemConfig defaults() {
    return new FilesystemConfig(null, null, null);
  }

  /**
   * Thresholds for one mount point; a missing one is the check's.
   *
   * @param warning replaces the check's {@code warning} for this mount
   * @param critical replaces the check's {@code critical} for this mount
   */
  public record Limits(Percent warning, Percent critical) {}

  /** The warning threshold of {@code mountPoint}. */
  Percent warningFor(String mountPoint) {
    return warningFor(mountPoint, warning, mounts);
  }

  /** The critical threshold of {@code mountPoint}. */
  Percent criticalFor(String mountPoint) {
    return criticalFor(mountPoint, critical, mounts);
  }

  private static Percent warningFor(String mp, Percent global, Map<String, Limits> mounts) {
    Limits l = mounts.get(mp);
    return l != null && l.warning() != null ? l.warning() : global;
  }

  private static Percent criticalFor(String mp, Percent global, Map<String, Limits> mounts) {
    Limits l = mounts.get(mp);
    return l != null && l.critical() != null ? l.critical() : global;
  }

  @Override
  public String type() {
    return "filesystem";
  }

  /** True when mounts of {@code fsType} are not checked. */
  public boolean excludes(String fsType) {
    if (PSEUDO_TYPES.contains(fsType)) {
      return true;
    }
    for (String e : excludeTypes) {
      if (e.endsWith("*") ? fsType.startsWith(e.substring(0, e.length() - 1)) : e.equals(fsType)) {
        return true;
      }
    }
    return false;
  }
}
