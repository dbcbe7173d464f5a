package io.custos.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gzip with workers writes concatenated members: GNU tar, gzip and we read them as one. */
class ParallelGzipTest {
  @TempDir Path dir;

  @Test
  void multiMemberGzipArchiveIsExtractedByGnuTarAndVerified() throws IOException {
    Path t = Files.createDirectories(dir.resolve("src/tree"));
    Files.write(t.resolve("random.bin"), Trees.bytes(3_500_000, 7));
    Files.writeString(t.resolve("text.txt"), "line of text\n".repeat(300_000));
    Files.writeString(t.resolve("small.txt"), "small");
    Trees.setTimes(t);
    Path out = Files.createDirectories(dir.resolve("out"));
    BackupSpec spec =
        new BackupSpec(
            "n1",
            "s",
            Level.FULL,
            dir.resolve("src"),
            List.of(Path.of("tree")),
            List.of(),
            Compression.GZIP,
            6,
            2,
            out,
            null);
    BackupResult r =
        new ArchiveWriter(Clock.fixed(Instant.parse("2026-11-29T01:00:00Z"), ZoneOffset.UTC))
            .write(spec);
    new Verifier().verify(r.archive());

    Trees.assumeGnuTar();
    Trees.run(List.of("gzip", "-t", r.archive().toString()));
    Path gnu = Files.createDirectories(dir.resolve("gnu"));
    Trees.run(List.of("tar", "-xpzf", r.archive().toString(), "-C", gnu.toString()));
    assertThat(Trees.snapshot(gnu.resolve("tree"))).isEqualTo(Trees.snapshot(t));

    Path ours = dir.resolve("ours");
    new Restorer(RestoreOptions.defaults()).restore(r.archive(), ours);
    assertThat(Trees.snapshot(ours.resolve("tree"))).isEqualTo(Trees.snapshot(t));
  }
}
