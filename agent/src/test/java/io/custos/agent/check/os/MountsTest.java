package io.custos.agent.check.os;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.agent.check.Fixtures;
import io.custos.agent.check.fs.FilesystemConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class MountsTest {
  private final FilesystemConfig defaults = FilesystemConfig.defaults();

  @Test
  void debianServerKeepsRealFileSystemsOnly() throws Exception {
    List<Mounts.Mount> all = Mounts.parse(Fixtures.lines("debian-server", "proc/mounts"));
    List<Mounts.Mount> kept = Mounts.select(all, defaults::excludes);

    assertThat(kept)
        .extracting(Mounts.Mount::mountPoint)
        .containsExactly("/", "/boot", "/boot/efi", "/var", "/srv/media library", "/mnt/backup");
  }

  @Test
  void bindMountOfTheSameDeviceIsReportedOnceUnderItsShortestMountPoint() throws Exception {
    List<Mounts.Mount> kept =
        Mounts.select(
            Mounts.parse(Fixtures.lines("debian-server", "proc/mounts")), defaults::excludes);

    assertThat(kept)
        .filteredOn(m -> m.device().equals("/dev/mapper/vg0-var"))
        .extracting(Mounts.Mount::mountPoint)
        .containsExactly("/var");
  }

  @Test
  void bindMountListedBeforeItsOriginalStillYieldsTheShortestMountPoint() {
    List<Mounts.Mount> kept =
        Mounts.select(
            Mounts.parse(List.of("/dev/sdb1 /srv/www ext4 rw 0 0", "/dev/sdb1 /data ext4 rw 0 0")),
            defaults::excludes);

    assertThat(kept).extracting(Mounts.Mount::mountPoint).containsExactly("/data");
  }

  @Test
  void laterMountOnTheSameMountPointHidesTheEarlier() {
    List<Mounts.Mount> kept =
        Mounts.select(
            Mounts.parse(List.of("/dev/sda3 /data ext4 rw 0 0", "/dev/sdc1 /data xfs rw 0 0")),
            defaults::excludes);

    assertThat(kept).containsExactly(new Mounts.Mount("/dev/sdc1", "/data", "xfs"));
  }

  @Test
  void octalEscapesInMountPointsAreDecoded() throws Exception {
    List<Mounts.Mount> kept =
        Mounts.select(
            Mounts.parse(Fixtures.lines("btrfs-laptop", "proc/mounts")), defaults::excludes);

    assertThat(kept)
        .extracting(Mounts.Mount::mountPoint)
        .containsExactly("/", "/boot/efi", "/media/alice/USB STICK\ttab");
  }

  @Test
  void unescapeLeavesIncompleteEscapesAlone() {
    assertThat(Mounts.unescape("/a\\134b")).isEqualTo("/a\\b");
    assertThat(Mounts.unescape("/a\\04")).isEqualTo("/a\\04");
    assertThat(Mounts.unescape("/a\\9zz")).isEqualTo("/a\\9zz");
  }

  @Test
  void explicitExcludeTypesReplaceTheDefaultsButNeverAdmitPseudoFileSystems() throws Exception {
    FilesystemConfig onlySquashfs = new FilesystemConfig(null, null, List.of("squashfs"), null);
    List<Mounts.Mount> kept =
        Mounts.select(
            Mounts.parse(Fixtures.lines("debian-server", "proc/mounts")), onlySquashfs::excludes);

    assertThat(kept).extracting(Mounts.Mount::type).contains("tmpfs", "devtmpfs", "overlay");
    assertThat(kept)
        .extracting(Mounts.Mount::type)
        .doesNotContain("squashfs", "proc", "sysfs", "cgroup2", "nsfs", "autofs");
  }

  @Test
  void excludeTypeWithStarMatchesAPrefix() {
    FilesystemConfig noFuse = new FilesystemConfig(null, null, List.of("fuse.*"), null);

    assertThat(noFuse.excludes("fuse.sshfs")).isTrue();
    assertThat(noFuse.excludes("fuseblk")).isFalse();
  }

  @Test
  void shortLinesAreSkipped() {
    assertThat(Mounts.parse(List.of("", "garbage", "/dev/sda1 / ext4 rw 0 0"))).hasSize(1);
  }
}
