package io.custos.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Archives written once by GNU tar 1.34 ({@code src/test/resources/archives/make-golden.sh}, inputs
 * after the backup-fidelity issue's c1-c8): Custos reads every value, and restores each exactly as
 * GNU tar itself extracts it, so the suite does not depend on the tar of the machine it runs on.
 */
class GoldenArchiveTest {

  @TempDir Path work;

  private Path golden(String name) throws IOException {
    Path p = work.resolve(name);
    try (InputStream in = getClass().getResourceAsStream("/archives/" + name)) {
      Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
    }
    return p;
  }

  private Map<String, TarArchiveEntry> entries(Path archive) throws IOException {
    Map<String, TarArchiveEntry> out = new LinkedHashMap<>();
    try (ArchiveReader r = ArchiveReader.open(archive)) {
      TarArchiveEntry e;
      while ((e = r.next()) != null) {
        out.put(FileNames.display(e.getName()), e);
      }
    }
    return out;
  }

  private Path restore(Path dest, Path... chain) throws IOException {
    RestoreOptions o = RestoreOptions.defaults();
    new Restorer(o).restoreChain(List.of(chain), dest);
    return dest;
  }

  /** c2-latin1, c3-utf8, c1-slash99, long names, link targets with '/' at the end. */
  @Test
  void namesAreReadAsTheirBytes() throws IOException {
    Map<String, TarArchiveEntry> e = entries(golden("gnu-tar-1.34-posix-names.tar.gz"));
    assertThat(e).containsKeys("names/c2-latin1/caf\\351.txt", "names/c2-latin1/caf\\350.txt");
    assertThat(FileNames.encode(e.get("names/c2-latin1/caf\\351.txt").getName()))
        .isEqualTo("names/c2-latin1/caf\u00e9.txt".getBytes(StandardCharsets.ISO_8859_1));
    assertThat(e).containsKey("names/c3-utf8/caf\u00e9 \u65e5\u672c.txt");
    assertThat(e).containsKey("names/c3-utf8/cafe\u0301.txt");
    assertThat(e.get("names/to-dir-slash").getLinkName()).isEqualTo("dir/");
    assertThat(e.get("names/c2-latin1/link-latin1").getLinkName()).isEqualTo("caf\udce9.txt");
    assertThat(e.keySet())
        .contains(
            "names/c1-slash99/" + "a".repeat(81) + "/tail-file.txt",
            "names/" + "d".repeat(120) + "/" + "f".repeat(200));
  }

  @Test
  void numbersOverTheirWholeRange() throws IOException {
    Map<String, TarArchiveEntry> e = entries(golden("gnu-tar-1.34-posix-ranges.tar.gz"));
    assertThat(e.get("ranges/uid-3000000000").getLongUserId()).isEqualTo(3000000000L);
    assertThat(e.get("ranges/uid-3000000000").getLongGroupId()).isEqualTo(4294967294L);
    assertThat(e.get("ranges/before-1970").getLastModifiedTime().toInstant())
        .isEqualTo(Instant.ofEpochSecond(-1234567891, 500_000_000));
    assertThat(e.get("ranges/after-2262").getLastModifiedTime().toInstant())
        .isEqualTo(Instant.ofEpochSecond(9300000000L, 987654321));
    assertThat(e.get("ranges/year-2243").getLastModifiedTime().toInstant())
        .isEqualTo(Instant.ofEpochSecond(8600000000L));
  }

  /** The GNU format: old GNU sparse, long names and targets, base-256 ids and times. */
  @Test
  void gnuFormat() throws IOException {
    Map<String, TarArchiveEntry> e = entries(golden("gnu-tar-1.34-gnu-format.tar.gz"));
    assertThat(e.get("gnu/uid-3000000000").getLongUserId()).isEqualTo(3000000000L);
    assertThat(e.get("gnu/before-1970").getLastModifiedTime().toInstant().getEpochSecond())
        .isEqualTo(-1234567891L);
    assertThat(e.get("gnu/disk.img").getRealSize()).isEqualTo(3L << 30);
    assertThat(e.get("gnu/long-target").getLinkName()).isEqualTo("T".repeat(120));
    assertThat(e).containsKey("gnu/" + "L".repeat(110) + "/long");
  }

  /** c5-sparse3g (composefs/tar-rs #373, ratarmount #156): realsize over 2^31. */
  @Test
  @Tag("long") // writes and restores a 3 GiB sparse file: mvn -Plong verify
  void sparseFilesOver2GiB() throws IOException {
    Path archive = golden("gnu-tar-1.34-sparse-3g.tar.gz");
    TarArchiveEntry disk = entries(archive).get("sparse/disk.img");
    assertThat(disk.isSparse()).isTrue();
    assertThat(disk.getRealSize()).isEqualTo(3L << 30);
    Path out = restore(work.resolve("custos"), archive);
    Path img = out.resolve("sparse/disk.img");
    assertThat(Files.size(img)).isEqualTo(3L << 30);
    assertThat(Trees.blocks(img) * 512).isLessThan(1 << 20);
    try (var ch = java.nio.channels.FileChannel.open(img)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8192);
      ch.read(b, 1 << 20);
      assertThat(b.array()[255]).isEqualTo((byte) 255);
      java.nio.ByteBuffer end = java.nio.ByteBuffer.allocate(3);
      ch.read(end, (3L << 30) - 4096);
      assertThat(new String(end.array(), StandardCharsets.US_ASCII)).isEqualTo("end");
    }
    assertThat(Files.size(out.resolve("sparse/hole-at-end.img"))).isEqualTo(5 << 20);
  }

  /** c7-acl (borg #921): binary and empty xattrs, ACLs, capabilities, trusted.* as root. */
  @Test
  void xattrsAndAclsAsGnuTarStoresThem() throws IOException {
    Path archive = golden("gnu-tar-1.34-xattrs-acls.tar.gz");
    Map<String, TarArchiveEntry> e = entries(archive);
    assertThat(e.get("meta/acl-file").getExtraPaxHeaders().get("SCHILY.acl.access"))
        .isEqualTo("user::rw-\nuser:1234:rw-\ngroup::r--\ngroup:4321:r--\nmask::rw-\nother::r--\n");
    assumeXattrs();
    Path out = restore(work.resolve("custos"), archive);
    String xattrs = FileNames.of(out.resolve("meta/xattrs"));
    assertThat(LinuxFiles.getXattr(xattrs, "user.binary"))
        .isEqualTo(HexFormat.of().parseHex("00ff0a3d80"));
    assertThat(LinuxFiles.getXattr(xattrs, "user.empty")).isEmpty();
    assertThat(
            Acls.toText(
                LinuxFiles.getXattr(
                    FileNames.of(out.resolve("meta/acl-file")), "system.posix_acl_access")))
        .contains("user:1234:rw-");
    assertThat(
            Acls.toText(
                LinuxFiles.getXattr(
                    FileNames.of(out.resolve("meta/acl-dir")), "system.posix_acl_default")))
        .contains("group:4321:r-x");
    if (Processes.isRoot()) {
      assertThat(LinuxFiles.getXattr(xattrs, "trusted.custos")).containsExactly(1, 2);
      assertThat(
              LinuxFiles.getXattr(
                  FileNames.of(out.resolve("meta/capability")), "security.capability"))
          .isNotNull();
    }
  }

  /** Each golden archive restores with Custos exactly as GNU tar extracts it. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "gnu-tar-1.34-posix-names.tar.gz",
        "gnu-tar-1.34-posix-ranges.tar.gz",
        "gnu-tar-1.34-sparse-3g.tar.gz",
        "gnu-tar-1.34-sparse-0.0.tar.gz",
        "gnu-tar-1.34-sparse-0.1.tar.gz",
        "gnu-tar-1.34-gnu-format.tar.gz",
        "gnu-tar-1.34-xattrs-acls.tar.gz"
      })
  void custosRestoresAsGnuTarExtracts(String name) throws IOException {
    Trees.assumeGnuTar();
    assumeXattrs();
    Path archive = golden(name);
    Path ours = restore(work.resolve("custos"), archive);
    Path theirs = Files.createDirectory(work.resolve("gnu"));
    gnuTar(theirs, archive, false);
    assertThat(ByteTrees.snapshot(ours)).isEqualTo(ByteTrees.snapshot(theirs));
  }

  /** A {@code -g} chain with renames and deletions: every prefix of it, as {@code tar -G -x}. */
  @Test
  void incrementalChainWithRenamesAndDeletions() throws IOException {
    Trees.assumeGnuTar();
    List<Path> chain = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      chain.add(golden("gnu-tar-1.34-incremental-" + i + ".tar.gz"));
      Path ours = restore(work.resolve("custos-" + i), chain.toArray(Path[]::new));
      Path theirs = Files.createDirectory(work.resolve("gnu-" + i));
      for (Path a : chain) {
        gnuTar(theirs, a, true);
      }
      assertThat(ByteTrees.snapshot(ours))
          .as("chain 0..%d", i)
          .isEqualTo(ByteTrees.snapshot(theirs));
    }
    assertThat(ByteTrees.snapshot(work.resolve("custos-2")).keySet())
        .containsExactly(
            "inc", "inc/keep", "inc/keep/a-renamed", "inc/keep/new", "inc/newdir", "inc/newdir/e");
  }

  private static void gnuTar(Path dest, Path archive, boolean incremental) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of("tar", "--xattrs", "--xattrs-include=*", "--acls", "--numeric-owner"));
    if (incremental) {
      cmd.add("-G");
    }
    cmd.addAll(List.of("-xpzf", archive.toString(), "-C", dest.toString()));
    Trees.run(cmd, false); // GNU tar warns of "implausibly old time stamp" on stderr
  }

  private void assumeXattrs() throws IOException {
    Path probe = Files.createFile(work.resolve("probe"));
    try {
      LinuxFiles.setXattr(FileNames.of(probe), "user.probe", new byte[] {1});
    } catch (IOException e) {
      assumeTrue(false, "the temp file system has no user xattrs: " + e.getMessage());
    }
  }
}
