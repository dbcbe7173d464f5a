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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One tree with every kind of entry, through every path: our writer to GNU tar, GNU tar to our
 * restore, our writer to our restore, for every compression.
 */
class FidelityTest {

  @TempDir static Path shared;
  static Path source;
  static Trees.Features features;
  static Map<String, String> expected;

  @TempDir Path work;

  @BeforeAll
  static void buildTree() throws IOException {
    source = Files.createDirectory(shared.resolve("src"));
    features = Trees.buildFidelityTree(source);
    expected = Trees.snapshot(source.resolve("tree"));
  }

  private BackupResult backup(Compression c) throws IOException {
    Path out = Files.createDirectory(work.resolve("archives"));
    Clock clock = Clock.fixed(Instant.parse("2026-11-27T01:00:00Z"), ZoneOffset.UTC);
    BackupResult r =
        new ArchiveWriter(clock)
            .write(
                BackupSpec.full(
                    "web01", "www", source, List.of(Path.of("tree")), List.of(), c, out));
    assertThat(r.warnings()).isEmpty();
    assertThat(r.archive().getFileName().toString())
        .isEqualTo("web01.www.20261127T010000Z.full" + c.suffix());
    return r;
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void gnuTarExtractsOurArchiveIdentically(Compression c) throws IOException {
    Trees.assumeGnuTar();
    BackupResult r = backup(c);
    Path dest = Files.createDirectory(work.resolve("gnu"));
    List<String> cmd = new ArrayList<>(List.of("tar"));
    cmd.addAll(Trees.tarFlag(c));
    cmd.addAll(
        List.of(
            "--xattrs",
            "--xattrs-include=user.*",
            "-xpf",
            r.archive().toString(),
            "-C",
            dest.toString()));
    Trees.run(cmd);
    assertThat(Trees.snapshot(dest.resolve("tree"))).isEqualTo(expected);
    assertSparse(dest);

    List<String> list = new ArrayList<>(List.of("tar"));
    list.addAll(Trees.tarFlag(c));
    list.addAll(List.of("-tvf", r.archive().toString()));
    String listing = Trees.run(list);
    long inArchive = r.manifest().entries().stream().filter(Manifest.Entry::inArchive).count();
    assertThat(listing.lines().count()).as(listing).isEqualTo(inArchive);
    assertThat(listing)
        .contains("tree/small.txt", "tree/hl2 link to tree/hl1", "tree/link -> small.txt")
        .contains("tree/sparse.img", "-rwsr-xr-x", "-rwxr-sr-x", "drwxrwxrwt");
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void ourRestoreOfOurArchiveIsIdentical(Compression c) throws IOException {
    BackupResult r = backup(c);
    Path dest = work.resolve("ours");
    RestoreResult rr = new Restorer(RestoreOptions.defaults()).restore(r.archive(), dest);
    assertThat(rr.warnings()).isEmpty();
    assertThat(Trees.snapshot(dest.resolve("tree"))).isEqualTo(expected);
    assertSparse(dest);
    assertThat(new Verifier().verify(r.archive()).files()).isGreaterThan(5);
  }

  @ParameterizedTest
  @EnumSource(
      value = Compression.class,
      names = {"NONE", "GZIP", "ZSTD"})
  void ourRestoreOfGnuTarArchiveIsIdentical(Compression c) throws IOException {
    Trees.assumeGnuTar();
    Path archive = work.resolve("gnu.tar" + (c == Compression.NONE ? "" : "." + c.extension()));
    List<String> cmd = new ArrayList<>(List.of("tar"));
    cmd.addAll(Trees.tarFlag(c));
    cmd.addAll(
        List.of(
            "--format=posix",
            "--xattrs",
            "-cpSf",
            archive.toString(),
            "-C",
            source.toString(),
            "tree"));
    Trees.run(cmd);
    Path dest = work.resolve("ours");
    RestoreResult rr = new Restorer(RestoreOptions.defaults()).restore(archive, dest);
    assertThat(rr.warnings()).isEmpty();
    assertThat(Trees.snapshot(dest.resolve("tree"))).isEqualTo(expected);
    assertSparse(dest);
  }

  @Test
  void sparseFileIsStoredAsPaxSparseOneZeroLikeGnuTar() throws IOException {
    BackupResult r = backup(Compression.NONE);
    Manifest.Entry e = r.manifest().byPath().get("tree/sparse.img");
    assertThat(e.sparse()).isTrue();
    assertThat(e.size()).isEqualTo(Trees.SPARSE_SIZE);
    // the archive holds the data regions only, not 64 MiB of zeros
    assertThat(r.archiveBytes()).isLessThan(2L << 20);
    String raw =
        new String(Files.readAllBytes(r.archive()), java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThat(raw)
        .contains(
            "GNU.sparse.major=1\n", "GNU.sparse.minor=0\n", "GNU.sparse.name=tree/sparse.img\n")
        .contains("GNU.sparse.realsize=" + Trees.SPARSE_SIZE + "\n")
        .contains("tree/GNUSparseFile." + ProcessHandle.current().pid() + "/sparse.img")
        .contains("3\n1048576\n8192\n41943040\n4096\n67104768\n4096\n");
  }

  private static void assertSparse(Path dest) throws IOException {
    // 64 MiB apparent, three small data regions: far fewer than 64 MiB of blocks
    assertThat(Trees.blocks(dest.resolve("tree/sparse.img")) * 512).isLessThan(1L << 20);
  }
}
