package io.custos.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, kind 6: a tree that changes while it is read never yields a broken archive. When the
 * first name of a hard-link group vanishes between the walk and its read, GNU tar stores the next
 * name as a regular file; so do we, and {@link Verifier} refuses an archive whose hard link points
 * at a name that is not an earlier entry.
 */
class HardLinkGroupTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-27T01:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  /**
   * Runs {@code action} once, when the archive's first bytes reach the disk: after the walk, while
   * {@code a-big} (written before the group, and larger than the writer's buffers) is copied.
   */
  private static OutputStream onFirstWrite(OutputStream out, Runnable action) {
    return new FilterOutputStream(out) {
      boolean done;

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (!done) {
          done = true;
          action.run();
        }
        out.write(b, off, len);
      }
    };
  }

  private static void delete(Path p) {
    try {
      Files.delete(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private BackupResult backupDeleting(Path src, List<Path> vanish) throws IOException {
    Path out = Files.createDirectories(dir.resolve("archives"));
    return new ArchiveWriter(CLOCK, os -> onFirstWrite(os, () -> vanish.forEach(p -> delete(p))))
        .write(
            BackupSpec.full(
                "n", "s", src, List.of(Path.of("tree")), List.of(), Compression.NONE, out));
  }

  private Path tree() throws IOException {
    Path t = Files.createDirectories(dir.resolve("src/tree"));
    Files.write(t.resolve("a-big"), Trees.bytes(4 << 20, 1));
    Files.writeString(t.resolve("b-first"), "shared\n");
    Files.createLink(t.resolve("c-second"), t.resolve("b-first"));
    Files.createLink(t.resolve("d-third"), t.resolve("b-first"));
    Files.createLink(t.resolve("e-fourth"), t.resolve("b-first"));
    return t.getParent();
  }

  @Test
  void firstNameVanishedMidBackupSurvivorIsStoredAsARegularFileLikeGnuTar() throws IOException {
    Path src = tree();

    BackupResult r = backupDeleting(src, List.of(src.resolve("tree/b-first")));

    assertThat(r.warnings()).contains("tree/b-first: file removed before we read it");
    Map<String, Manifest.Entry> m = r.manifest().byPath();
    assertThat(m).doesNotContainKey("tree/b-first");
    assertThat(m.get("tree/c-second").type()).isEqualTo("file");
    assertThat(m.get("tree/d-third").link()).isEqualTo("tree/c-second");
    assertThat(m.get("tree/e-fourth").link()).isEqualTo("tree/c-second");
    new Verifier().verify(r.archive());

    Path ours = dir.resolve("ours");
    RestoreResult restored = new Restorer(RestoreOptions.defaults()).restore(r.archive(), ours);
    assertThat(restored.failures()).isEmpty();
    assertThat(Files.readString(ours.resolve("tree/e-fourth"))).isEqualTo("shared\n");
    assertThat(Files.getAttribute(ours.resolve("tree/c-second"), "unix:nlink")).isEqualTo(3);

    Trees.assumeGnuTar();
    Path gnu = Files.createDirectories(dir.resolve("gnu"));
    Trees.run(List.of("tar", "-xf", r.archive().toString(), "-C", gnu.toString()));
    assertThat(Trees.snapshot(gnu.resolve("tree"))).isEqualTo(Trees.snapshot(ours.resolve("tree")));
  }

  @Test
  void firstTwoNamesVanishedTheThirdIsStoredAndTheFourthLinksToIt() throws IOException {
    Path src = tree();

    BackupResult r =
        backupDeleting(src, List.of(src.resolve("tree/b-first"), src.resolve("tree/c-second")));

    Map<String, Manifest.Entry> m = r.manifest().byPath();
    assertThat(m.get("tree/d-third").type()).isEqualTo("file");
    assertThat(m.get("tree/e-fourth").link()).isEqualTo("tree/d-third");
    new Verifier().verify(r.archive());
  }

  @Test
  void verifyRefusesAHardLinkWhoseTargetIsNotAnEarlierEntry() throws IOException {
    Path archive = dir.resolve("broken.tar");
    try (OutputStream os = Files.newOutputStream(archive);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(os)) {
      TarArchiveEntry link = new TarArchiveEntry("tree/c-second", TarConstants.LF_LINK, true);
      link.setLinkName("tree/b-first");
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
      TarArchiveEntry file = new TarArchiveEntry("tree/b-first");
      byte[] data = "shared\n".getBytes(StandardCharsets.UTF_8);
      file.setSize(data.length);
      tar.putArchiveEntry(file);
      tar.write(data);
      tar.closeArchiveEntry();
    }
    Manifest none =
        new Manifest(1, "broken.tar", "n", "s", "full", 0, null, "none", null, 0, List.of());

    assertThatThrownBy(() -> new Verifier().verify(archive, none))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining(
            "entry 'tree/c-second' (header at archive offset 0) is a hard link to 'tree/b-first',"
                + " which is not an earlier file of the archive");
  }
}
