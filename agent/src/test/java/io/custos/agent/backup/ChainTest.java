package io.custos.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * full, then adds, deletes and renames, diff, more changes, incr: restoring the chain in order, by
 * us and by {@code tar -G -x}, gives the live tree as it was at the last backup.
 */
class ChainTest {

  @TempDir Path dir;

  private BackupResult backup(Level level, Manifest base, String at) throws IOException {
    Clock clock = Clock.fixed(Instant.parse(at), ZoneOffset.UTC);
    BackupSpec spec =
        BackupSpec.full(
                "node1",
                "data",
                dir.resolve("src"),
                List.of(Path.of("tree")),
                List.of("*.tmp"),
                Compression.ZSTD,
                dir.resolve("out"))
            .withLevel(level, base);
    BackupResult r = new ArchiveWriter(clock).write(spec);
    assertThat(r.warnings()).isEmpty();
    return r;
  }

  @Test
  void chainRestoredByUsAndByGnuTarEqualsTheLiveTree() throws IOException {
    Path t = Files.createDirectories(dir.resolve("src/tree"));
    Files.createDirectories(dir.resolve("out"));
    Files.createDirectories(t.resolve("keep/sub"));
    Files.writeString(t.resolve("keep/a.txt"), "a");
    Files.writeString(t.resolve("keep/sub/b.txt"), "b");
    Files.writeString(t.resolve("gone.txt"), "will be deleted");
    Files.writeString(t.resolve("old-name.txt"), "renamed later");
    Files.createDirectories(t.resolve("olddir/inner"));
    Files.writeString(t.resolve("olddir/inner/c.txt"), "c");
    Files.writeString(t.resolve("scratch.tmp"), "excluded");
    Files.writeString(t.resolve("change.txt"), "v1");
    Trees.setTimes(t);
    BackupResult full = backup(Level.FULL, null, "2026-11-22T01:00:00Z");
    assertThat(full.manifest().byPath()).doesNotContainKey("tree/scratch.tmp");

    Files.delete(t.resolve("gone.txt"));
    Files.move(t.resolve("old-name.txt"), t.resolve("new-name.txt"));
    Files.move(t.resolve("olddir"), t.resolve("newdir"));
    Files.writeString(t.resolve("added.txt"), "added");
    Files.writeString(t.resolve("change.txt"), "v2 longer");
    Files.createDirectories(t.resolve("fresh"));
    Files.writeString(t.resolve("fresh/f.txt"), "f");
    BackupResult diff = backup(Level.DIFF, full.manifest(), "2026-11-23T01:00:00Z");
    Map<String, Manifest.Entry> d = diff.manifest().byPath();
    assertThat(d.get("tree/keep/a.txt").inArchive()).isFalse();
    assertThat(d.get("tree/keep/a.txt").sha256()).isNotNull();
    assertThat(d.get("tree/added.txt").inArchive()).isTrue();
    assertThat(d.get("tree/new-name.txt").inArchive()).isTrue();
    assertThat(diff.manifest().base()).isEqualTo(full.archive().getFileName().toString());

    Restorer.deleteTree(t.resolve("keep/sub"));
    Files.delete(t.resolve("added.txt"));
    Files.writeString(t.resolve("keep/a.txt"), "a2");
    Files.writeString(t.resolve("newdir/inner/d.txt"), "d");
    Files.createSymbolicLink(t.resolve("lnk"), Path.of("keep/a.txt"));
    BackupResult incr = backup(Level.INCR, diff.manifest(), "2026-11-24T01:00:00Z");
    assertThat(incr.manifest().byPath().get("tree/change.txt").inArchive()).isFalse();
    assertThat(incr.manifest().byPath().get("tree/keep/a.txt").inArchive()).isTrue();

    Files.delete(t.resolve("scratch.tmp"));
    Map<String, String> live = Trees.snapshot(t);
    List<Path> chain = List.of(full.archive(), diff.archive(), incr.archive());

    Path ours = dir.resolve("ours");
    RestoreResult r = new Restorer(RestoreOptions.defaults()).restoreChain(chain, ours);
    assertThat(r.deleted()).isGreaterThanOrEqualTo(4);
    assertThat(Trees.snapshot(ours.resolve("tree"))).isEqualTo(live);

    Trees.assumeGnuTar();
    Path gnu = Files.createDirectory(dir.resolve("gnu"));
    for (Path a : chain) {
      List<String> cmd = new ArrayList<>(List.of("tar", "--zstd", "-G", "-xpf"));
      cmd.addAll(List.of(a.toString(), "-C", gnu.toString()));
      Trees.run(cmd);
    }
    assertThat(Trees.snapshot(gnu.resolve("tree"))).isEqualTo(live);
    for (Path a : chain) {
      new Verifier().verify(a);
    }
  }
}
