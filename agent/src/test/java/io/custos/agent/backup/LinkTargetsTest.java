package io.custos.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 9, kind 4: link targets are data. A symlink comes back with its target byte for byte,
 * whatever it points at, through our writer and restore and through GNU tar either way.
 *
 * <p>Inputs: {@code c4-abs} (restic and borg restores of {@code /etc}: {@code localtime} and the
 * {@code alternatives} links are absolute, library links dangle on another machine) and {@code
 * c8-symslash} (borg #8944: {@code to-dir -> dir/} came back as {@code dir}) from
 * /work/shared/real-world-inputs/backups/make-cases.py.
 */
class LinkTargetsTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-27T01:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  /** {@code ln -s -- target link}: Java would normalise the target. */
  private static void ln(String target, Path link) throws IOException {
    Files.createDirectories(link.getParent());
    Trees.run(List.of("ln", "-s", "--", target, link.toString()));
  }

  private BackupResult backup(Path source) throws IOException {
    Path out = Files.createDirectories(dir.resolve("archives"));
    return new ArchiveWriter(CLOCK)
        .write(
            BackupSpec.full(
                "web01",
                "etc",
                source,
                List.of(Path.of("tree")),
                List.of(),
                Compression.GZIP,
                out));
  }

  /** The c4-abs tree, widened to the other shapes a real {@code /etc} and {@code /usr/lib} have. */
  private Path etcLike() throws IOException {
    Path src = Files.createDirectories(dir.resolve("src"));
    Path t = src.resolve("tree");
    ln("/usr/share/zoneinfo/Etc/UTC", t.resolve("localtime"));
    ln("/nonexistent/x", t.resolve("dangling"));
    ln("/usr/bin/vim.basic", t.resolve("alternatives/editor"));
    ln("/lib/x86_64-linux-gnu/libBrokenLocale.so.1", t.resolve("lib/libBrokenLocale.so"));
    ln("libz.so.1.2.13", t.resolve("lib/libz.so"));
    ln("../../../../../../etc/passwd", t.resolve("lib/up-and-out"));
    ln("/", t.resolve("slash"));
    Files.writeString(t.resolve("lib/libz.so.1.2.13"), "elf\n");
    // make-cases.py dates every entry to the nanosecond; symlinks must keep that too.
    long ns = 1_600_000_000_123_456_789L;
    for (String link : List.of("localtime", "dangling", "alternatives/editor")) {
      Trees.run(
          List.of(
              "touch",
              "-h",
              "-d",
              String.format("@%d.%09d", ns / 1_000_000_000, ns % 1_000_000_000),
              t.resolve(link).toString()));
      ns += 1_000_000_001;
    }
    return src;
  }

  @Test
  void c4AbsResticBorgEtcRestoreKeepsAbsoluteAndDanglingSymlinks() throws IOException {
    Path src = etcLike();
    Map<String, String> expected = Trees.snapshot(src.resolve("tree"));
    Path to = dir.resolve("restored");

    RestoreResult r = new Restorer(RestoreOptions.defaults()).restore(backup(src).archive(), to);

    assertThat(r.failures()).isEmpty();
    assertThat(Trees.snapshot(to.resolve("tree"))).isEqualTo(expected);
    assertThat(Files.readSymbolicLink(to.resolve("tree/localtime")))
        .hasToString("/usr/share/zoneinfo/Etc/UTC");
    for (String link : List.of("localtime", "dangling", "alternatives/editor")) {
      assertThat(mtime(to.resolve("tree").resolve(link)))
          .as(link)
          .isEqualTo(mtime(src.resolve("tree").resolve(link)));
    }
  }

  private static java.time.Instant mtime(Path link) throws IOException {
    return Files.getLastModifiedTime(link, java.nio.file.LinkOption.NOFOLLOW_LINKS).toInstant();
  }

  @Test
  void c4AbsGnuTarArchiveOfEtcRestoresWithItsAbsoluteSymlinks() throws IOException {
    Trees.assumeGnuTar();
    Path src = etcLike();
    Path archive = dir.resolve("gnu.tar");
    Trees.run(
        List.of("tar", "--format=posix", "-cf", archive.toString(), "-C", src.toString(), "tree"));
    Path to = dir.resolve("restored");

    RestoreResult r = new Restorer(RestoreOptions.defaults()).restore(archive, to);

    assertThat(r.failures()).isEmpty();
    assertThat(Trees.snapshot(to.resolve("tree"))).isEqualTo(Trees.snapshot(src.resolve("tree")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "dir/", // borg #8944
        "dir//",
        "./dir/",
        "dir/.",
        "a//b///c",
        "/abs/dir/",
        "../x/../dir/",
        "sp ace/ and\ttab"
      })
  void c8SymslashBorg8944TargetsAreKeptByteForByte(String target) throws IOException {
    Path src = Files.createDirectories(dir.resolve("src"));
    Files.createDirectories(src.resolve("tree/dir"));
    ln(target, src.resolve("tree/to-dir"));
    assertThat(Trees.run(List.of("readlink", src.resolve("tree/to-dir").toString())))
        .isEqualTo(target + "\n");
    BackupResult b = backup(src);
    Path to = dir.resolve("restored");

    RestoreResult r = new Restorer(RestoreOptions.defaults()).restore(b.archive(), to);

    assertThat(r.failures()).isEmpty();
    assertThat(Trees.run(List.of("readlink", to.resolve("tree/to-dir").toString())))
        .isEqualTo(target + "\n");
    Trees.assumeGnuTar();
    Path gnu = Files.createDirectories(dir.resolve("gnu"));
    Trees.run(List.of("tar", "-xzf", b.archive().toString(), "-C", gnu.toString()));
    assertThat(Trees.run(List.of("readlink", gnu.resolve("tree/to-dir").toString())))
        .isEqualTo(target + "\n");
  }

  @Test
  void aRestoredSymlinkIsNeverFollowedWhenItsEntryIsRestoredAgain() throws IOException {
    Path src = etcLike();
    Path archive = backup(src).archive();
    Path to = dir.resolve("restored");
    new Restorer(RestoreOptions.defaults()).restore(archive, to);

    // Restoring again over the links (as a chain does) replaces them; it never writes to /.
    RestoreResult again =
        new Restorer(RestoreOptions.defaults().withAllowNonEmpty(true)).restore(archive, to);

    assertThat(again.failures()).isEmpty();
    assertThat(Files.readSymbolicLink(to.resolve("tree/slash"))).hasToString("/");
  }
}
