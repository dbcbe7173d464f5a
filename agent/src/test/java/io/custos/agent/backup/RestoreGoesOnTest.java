package io.custos.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, kind 7: one entry that cannot be written does not stop a restore. GNU tar reports it
 * ("Cannot open: ..."), restores the rest, sets directory modes and times at the end and exits 2;
 * so do we, with every failed entry named in {@link RestoreResult#failures()}.
 */
class RestoreGoesOnTest {

  private static final Instant DIR_TIME = Instant.parse("2020-01-02T03:04:05Z");

  @TempDir Path dir;

  /** An archive: directory {@code d/} (mode 0750, dated {@link #DIR_TIME}), then the files. */
  private Path archive(List<String> names, int bigFileBytes) throws IOException {
    Path file = dir.resolve("restore-goes-on.tar");
    try (OutputStream os = Files.newOutputStream(file);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(os)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      TarArchiveEntry d = new TarArchiveEntry("d/", TarConstants.LF_DIR, true);
      d.setMode(0750);
      d.setModTime(FileTime.from(DIR_TIME));
      tar.putArchiveEntry(d);
      tar.closeArchiveEntry();
      for (String n : names) {
        byte[] data =
            n.endsWith("big")
                ? new byte[bigFileBytes]
                : (n + "\n").getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry("d/" + n, TarConstants.LF_NORMAL, true);
        e.setSize(data.length);
        e.setMode(0644);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
      }
    }
    return file;
  }

  private void assertRestWasRestored(Path to) throws IOException {
    assertThat(Files.readString(to.resolve("d/a"))).isEqualTo("a\n");
    assertThat(Files.readString(to.resolve("d/z"))).isEqualTo("z\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(to.resolve("d"))))
        .isEqualTo("rwxr-x---");
    assertThat(Files.getLastModifiedTime(to.resolve("d")).toInstant()).isEqualTo(DIR_TIME);
  }

  @Test
  void aNameTooLongForTheFileSystemIsReportedAndTheRestRestored() throws IOException {
    String tooLong = "n".repeat(300); // NAME_MAX is 255 on ext4, xfs, btrfs, tmpfs
    Path to = dir.resolve("to");

    RestoreResult r =
        new Restorer(RestoreOptions.defaults()).restore(archive(List.of("a", tooLong, "z"), 0), to);

    assertThat(r.failures())
        .singleElement()
        .asString()
        .startsWith("entry 'd/" + tooLong + "': File name too long");
    assertThat(r.complete()).isFalse();
    assertThat(r.entries()).isEqualTo(3);
    assertRestWasRestored(to);
  }

  /** As root on a file system with {@code chattr}: an immutable file already in the target. */
  @Test
  void anImmutableFileIsReportedAndTheRestRestored() throws IOException {
    assumeTrue(Processes.isRoot(), "needs root for chattr +i");
    Path to = Files.createDirectories(dir.resolve("to/d"));
    Path locked = Files.writeString(to.resolve("m"), "old\n");
    try {
      Processes.run(List.of("chattr", "+i", locked.toString()));
    } catch (IOException e) {
      assumeTrue(false, "chattr +i does not work here (e2fsprogs missing?): " + e.getMessage());
    }
    try {
      RestoreResult r =
          new Restorer(RestoreOptions.defaults().withAllowNonEmpty(true))
              .restore(archive(List.of("a", "m", "z"), 0), dir.resolve("to"));

      assertThat(r.failures())
          .singleElement()
          .asString()
          .startsWith("entry 'd/m': Operation not permitted");
      assertThat(Files.readString(locked)).isEqualTo("old\n");
      assertRestWasRestored(dir.resolve("to"));
    } finally {
      Processes.run(List.of("chattr", "-i", locked.toString()));
    }
  }

  /** As root where tmpfs can be mounted: the disk fills up on one big entry. */
  @Test
  void aFullDiskOnOneEntryIsReportedItsPartialFileRemovedAndTheRestRestored() throws IOException {
    assumeTrue(Processes.isRoot(), "needs root to mount a small tmpfs");
    Path to = Files.createDirectories(dir.resolve("to"));
    try {
      Processes.run(List.of("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", to.toString()));
    } catch (IOException e) {
      assumeTrue(false, "cannot mount a tmpfs here: " + e.getMessage());
    }
    try {
      RestoreResult r =
          new Restorer(RestoreOptions.defaults())
              .restore(archive(List.of("a", "big", "z"), 4 << 20), to);

      assertThat(r.failures())
          .singleElement()
          .asString()
          .startsWith("entry 'd/big': No space left on device");
      assertThat(to.resolve("d/big")).doesNotExist();
      assertRestWasRestored(to);
    } finally {
      Processes.run(List.of("umount", to.toString()));
    }
  }

  @Test
  void aHardLinkToAnEntryThatFailedIsReportedToo() throws IOException {
    Path file = dir.resolve("links.tar");
    String tooLong = "n".repeat(300);
    try (OutputStream os = Files.newOutputStream(file);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(os)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      TarArchiveEntry f = new TarArchiveEntry(tooLong, TarConstants.LF_NORMAL, true);
      f.setSize(2);
      tar.putArchiveEntry(f);
      tar.write("x\n".getBytes(StandardCharsets.UTF_8));
      tar.closeArchiveEntry();
      TarArchiveEntry l = new TarArchiveEntry("link", TarConstants.LF_LINK, true);
      l.setLinkName(tooLong);
      tar.putArchiveEntry(l);
      tar.closeArchiveEntry();
    }
    Path to = dir.resolve("to");

    RestoreResult r = new Restorer(RestoreOptions.defaults()).restore(file, to);

    assertThat(r.failures()).hasSize(2);
    assertThat(r.failures().get(1)).startsWith("entry 'link': ");
    assertThat(Files.exists(to.resolve("link"), LinkOption.NOFOLLOW_LINKS)).isFalse();
  }
}
