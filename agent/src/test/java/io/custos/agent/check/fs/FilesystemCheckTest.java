package io.custos.agent.check.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.agent.check.CheckContext;
import io.custos.agent.check.Fixtures;
import io.custos.agent.check.os.FsUsage;
import io.custos.agent.check.os.Mounts;
import io.custos.agent.check.os.StatFs;
import io.custos.common.units.Percent;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FilesystemCheckTest {
  private static final long MIB = 1024 * 1024;
  private static final long NOW = 1_795_783_507_801L;
  private static final Mounts.Mount ROOT = new Mounts.Mount("/dev/sda1", "/", "ext4");
  private final FilesystemConfig config = FilesystemConfig.defaults();

  /** Usage with {@code usedPct} of the space used, no root reserve. */
  private static FsUsage used(double usedPct, long inodes, long freeInodes) {
    long total = 10_000 * MIB;
    long free = Math.round(total * (100 - usedPct) / 100);
    return new FsUsage(total, free, free, inodes, freeInodes);
  }

  private static CheckResult result(FsUsage u, FilesystemConfig c) {
    return FilesystemCheck.result("Filesystem /", ROOT, u, c, NOW);
  }

  @Test
  void outputIsCheckDiskStyle() {
    long avail = 4992 * MIB;
    long used = Math.round(avail * 30.0 / 70.0);
    FsUsage u = new FsUsage(used + avail, avail, avail, 1_000_000, 840_000);

    CheckResult r = result(u, config);

    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.output()).isEqualTo("DISK OK - free space: / 4992 MB (70% inode=84%)");
    assertThat(r.service()).isEqualTo("Filesystem /");
    assertThat(r.check()).isEqualTo("filesystem");
    assertThat(r.time()).isEqualTo(NOW);
  }

  @Test
  void warningAtEightyPercentUsed() {
    assertThat(result(used(79.9, 100, 90), config).status()).isEqualTo(Status.OK);
    CheckResult r = result(used(80, 100, 90), config);
    assertThat(r.status()).isEqualTo(Status.WARNING);
    assertThat(r.output()).startsWith("DISK WARNING - free space: / 2000 MB (20% inode=90%)");
  }

  @Test
  void criticalAtNinetyPercentUsed() {
    CheckResult r = result(used(90, 100, 90), config);
    assertThat(r.status()).isEqualTo(Status.CRITICAL);
    assertThat(r.output()).isEqualTo("DISK CRITICAL - free space: / 1000 MB (10% inode=90%)");
  }

  @Test
  void inodesAloneCanMakeItCritical() {
    CheckResult r = result(used(10, 1_000_000, 50_000), config);
    assertThat(r.status()).isEqualTo(Status.CRITICAL);
    assertThat(r.output()).isEqualTo("DISK CRITICAL - free space: / 9000 MB (90% inode=5%)");
  }

  @Test
  void rootReserveCountsAsUsedLikeDf() {
    // 100 GiB, 10 GiB free of which 5 GiB reserved for root: df says 95% used.
    long g = 1024 * MIB;
    FsUsage u = new FsUsage(100 * g, 10 * g, 5 * g, 100, 50);
    assertThat(u.usedPercent()).isCloseTo(94.7, org.assertj.core.data.Offset.offset(0.1));
    assertThat(result(u, config).status()).isEqualTo(Status.CRITICAL);
  }

  @Test
  void fileSystemWithoutInodesShowsAllInodesFreeAndHasNoInodeMetric() {
    CheckResult r = result(used(50, 0, 0), config);

    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.output()).endsWith("(50% inode=100%)");
    assertThat(r.metrics()).extracting(Metric::name).doesNotContain("fs_inodes_used_percent");
  }

  @Test
  void metricsCarryMountFstypeAndThresholds() {
    CheckResult r = result(used(30, 1000, 250), config);

    assertThat(r.metrics())
        .extracting(Metric::name)
        .containsExactly(
            "fs_used_percent",
            "fs_free_bytes",
            "fs_size_bytes",
            "fs_inodes_used_percent",
            "fs_read_only");
    Metric pct = r.metrics().get(0);
    assertThat(pct.labels()).containsEntry("mount", "/").containsEntry("fstype", "ext4");
    assertThat(pct.value()).isEqualTo(30.0);
    assertThat(pct.unit()).isEqualTo("%");
    assertThat(pct.warn()).isEqualTo(80.0);
    assertThat(pct.crit()).isEqualTo(90.0);
    assertThat(pct.min()).isEqualTo(0.0);
    assertThat(pct.max()).isEqualTo(100.0);
    assertThat(r.metrics().get(1).value()).isEqualTo(7000.0 * MIB);
    assertThat(r.metrics().get(2).value()).isEqualTo(10_000.0 * MIB);
    assertThat(r.metrics().get(3).value()).isEqualTo(75.0);
  }

  @Test
  void configuredThresholdsApply() {
    FilesystemConfig strict =
        new FilesystemConfig(Percent.parse("50%"), Percent.parse("60%"), null, null);
    assertThat(result(used(55, 100, 90), strict).status()).isEqualTo(Status.WARNING);
  }

  @Test
  void runsOverAFixtureTreeWithOneResultPerMount() throws Exception {
    Path root = Fixtures.root("debian-server");
    Map<String, FsUsage> byMount = new HashMap<>();
    byMount.put("/", used(30, 1000, 500));
    byMount.put("/boot", used(85, 1000, 900));
    byMount.put("/boot/efi", used(10, 0, 0));
    byMount.put("/var", used(95, 1000, 900));
    byMount.put("/srv/media library", used(40, 1000, 900));
    StatFs fake =
        p -> {
          String mount = "/" + root.relativize(p).toString();
          if (mount.equals("/mnt/backup")) {
            throw new IOException("Stale file handle");
          }
          FsUsage u = byMount.get(mount);
          if (u == null) {
            throw new AssertionError("unexpected stat of " + p);
          }
          return u;
        };
    Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

    List<CheckResult> results =
        new FilesystemCheck(config, fake).run(new CheckContext(root, clock));

    assertThat(results)
        .extracting(CheckResult::service, CheckResult::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Filesystem /", Status.OK),
            org.assertj.core.groups.Tuple.tuple("Filesystem /boot", Status.WARNING),
            org.assertj.core.groups.Tuple.tuple("Filesystem /boot/efi", Status.OK),
            org.assertj.core.groups.Tuple.tuple("Filesystem /var", Status.CRITICAL),
            org.assertj.core.groups.Tuple.tuple("Filesystem /srv/media library", Status.OK),
            org.assertj.core.groups.Tuple.tuple("Filesystem /mnt/backup", Status.UNKNOWN));
    assertThat(results.get(5).output()).isEqualTo("DISK UNKNOWN - /mnt/backup: Stale file handle");
  }

  @Test
  void zeroSizedFileSystemsAreSkippedLikeDf() throws Exception {
    Path root = Fixtures.root("no-swap");
    StatFs fake = p -> p.endsWith("efi") ? new FsUsage(0, 0, 0, 0, 0) : used(20, 10, 5);
    Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

    List<CheckResult> results =
        new FilesystemCheck(config, fake).run(new CheckContext(root, clock));

    assertThat(results).extracting(CheckResult::service).containsExactly("Filesystem /");
  }

  @Test
  void rootRemountedReadOnlyIsCriticalButAnArchiveMountedRoOnPurposeIsNot() throws Exception {
    Path root = Fixtures.root("ro-remount");
    Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

    List<CheckResult> results =
        new FilesystemCheck(config, p -> used(30, 1000, 900)).run(new CheckContext(root, clock));

    assertThat(results)
        .extracting(CheckResult::service, CheckResult::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Filesystem /", Status.CRITICAL),
            org.assertj.core.groups.Tuple.tuple("Filesystem /boot", Status.OK),
            org.assertj.core.groups.Tuple.tuple("Filesystem /var", Status.OK),
            org.assertj.core.groups.Tuple.tuple("Filesystem /srv/archive", Status.OK));
    assertThat(results.get(0).output())
        .startsWith("DISK CRITICAL - / is read-only (rw in /etc/fstab); free space: / ");
    assertThat(results.get(0).metrics())
        .contains(Metric.of("fs_read_only", Map.of("mount", "/", "fstype", "ext4"), 1, null));
  }

  @Test
  void perMountThresholds() throws Exception {
    FilesystemConfig c =
        new FilesystemConfig(
            null,
            null,
            null,
            Map.of(
                "/var", new FilesystemConfig.Limits(Percent.parse("96%"), Percent.parse("99%"))));
    Mounts.Mount var = new Mounts.Mount("/dev/sdb1", "/var", "xfs");

    CheckResult r = FilesystemCheck.result("Filesystem /var", var, used(97, 1000, 900), c, NOW);

    assertThat(r.status()).isEqualTo(Status.WARNING);
    assertThat(r.metrics().get(0).warn()).isEqualTo(96.0);
    assertThat(FilesystemCheck.result("Filesystem /", ROOT, used(97, 1000, 900), c, NOW).status())
        .isEqualTo(Status.CRITICAL);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new FilesystemConfig(
                    null,
                    null,
                    null,
                    Map.of("/var", new FilesystemConfig.Limits(Percent.parse("95%"), null))))
        .hasMessageContaining("mounts./var.warning (95%) must be below mounts./var.critical (90%)");
  }
}
