package io.custos.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The backup-fidelity issue's inputs ({@code /work/shared/real-world-inputs/backups/make-cases.py},
 * each named after the public report it comes from), generated here and taken through Custos: back
 * up, verify, restore with Custos and with GNU tar, and compare byte for byte (names, link targets,
 * ids, nanosecond times, xattrs, ACLs, holes).
 */
class BackupCasesTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-27T01:00:00Z"), ZoneOffset.UTC);

  @TempDir Path work;

  static Path write(Path dir, String name, byte[] data) throws IOException {
    Path p = FileNames.resolve(dir, name);
    Files.createDirectories(p.getParent());
    Files.write(p, data);
    return p;
  }

  static String latin1(String s) {
    return FileNames.decode(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  private BackupResult backup(Path root) throws IOException {
    Path out = Files.createDirectories(work.resolve("archives"));
    BackupResult r =
        new ArchiveWriter(CLOCK)
            .write(
                BackupSpec.full(
                    "n", "s", root, List.of(Path.of("tree")), List.of(), Compression.GZIP, out));
    assertThat(r.warnings()).isEmpty();
    new Verifier().verify(r.archive());
    return r;
  }

  /** Restores with Custos and with GNU tar; both must equal the source, byte for byte. */
  private void assertRoundTrip(Path root, BackupResult r) throws IOException {
    Map<String, String> source = ByteTrees.snapshot(root.resolve("tree"));
    Path ours = work.resolve("custos");
    new Restorer(RestoreOptions.defaults()).restore(r.archive(), ours);
    assertThat(ByteTrees.snapshot(ours.resolve("tree"))).isEqualTo(source);
    assertThat(new TreeDiff(ours.resolve("tree"), root.resolve("tree")).compare())
        .as("custos-agent diff of the restored tree and the source")
        .isEmpty();
    Trees.assumeGnuTar();
    Path theirs = Files.createDirectories(work.resolve("gnu"));
    Trees.run(
        List.of(
            "tar",
            "--xattrs",
            "--xattrs-include=*",
            "--acls",
            "--numeric-owner",
            "-xpzf",
            r.archive().toString(),
            "-C",
            theirs.toString()),
        false);
    assertThat(ByteTrees.snapshot(theirs.resolve("tree"))).isEqualTo(source);
  }

  /**
   * c1-slash99 (squashfs-tools-ng #64, libarchive #901): the 99th or 100th byte of the archived
   * name, or of the synthetic sparse name, is '/'; every position around the cut backs up.
   */
  @ParameterizedTest
  @ValueSource(ints = {97, 98, 99, 100, 101, 102})
  void c1SlashAtTheUstarCut(int slashAt) throws IOException {
    Path root = work.resolve("root");
    String dir = "tree/c1-slash99/" + "a".repeat(slashAt - 1 - "tree/c1-slash99/".length());
    write(root, dir + "/tail-file.txt", "slash at 99\n".getBytes(StandardCharsets.US_ASCII));
    write(root, dir + "/x", "x\n".getBytes(StandardCharsets.US_ASCII));
    // a sparse file there: its synthetic name dir/GNUSparseFile.<pid>/base crosses the cut too
    Path sparse =
        write(root, "tree/c1-slash99/s/" + "b".repeat(slashAt - 20) + "/hole", new byte[0]);
    try (var ch =
        java.nio.channels.FileChannel.open(sparse, java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap("data".getBytes(StandardCharsets.US_ASCII)), 1 << 20);
    }
    BackupResult r = backup(root);
    assertThat(
            r.manifest()
                .byPath()
                .get("tree/c1-slash99/s/" + "b".repeat(slashAt - 20) + "/hole")
                .sparse())
        .isTrue();
    assertRoundTrip(root, r);
  }

  /**
   * c2-latin1 (plexus-archiver #136) and c3-utf8 (vscode-java #4473): names are bytes; two Latin-1
   * names that differ in one invalid byte stay two files, UTF-8 names in NFC and NFD stay as they
   * are, in entries, link targets, dumpdirs and the manifest.
   */
  @Test
  void c2AndC3NamesAreBytes() throws IOException {
    Path root = work.resolve("root");
    write(root, "tree/c2-latin1/" + latin1("caf\u00e9.txt"), "e-acute\n".getBytes());
    write(root, "tree/c2-latin1/" + latin1("caf\u00e8.txt"), "e-grave\n".getBytes());
    write(
        root,
        "tree/c3-utf8/caf\u00e9 \u65e5\u672c.txt",
        "h\u00e9\n".getBytes(StandardCharsets.UTF_8));
    write(root, "tree/c3-utf8/cafe\u0301.txt", "nfd\n".getBytes());
    Path dir = Files.createDirectories(FileNames.resolve(root, "tree/" + latin1("d\u00ee r")));
    write(dir, latin1("\u00ff"), new byte[] {1});
    LinuxFiles.symlink(
        "caf\u00e9.txt".getBytes(StandardCharsets.ISO_8859_1),
        FileNames.of(root) + "/tree/c2-latin1/link");
    BackupResult r = backup(root);
    Manifest m = Manifest.read(r.manifestFile());
    assertThat(m.entries())
        .extracting(Manifest.Entry::path)
        .contains(
            "tree/c2-latin1/caf\udce9.txt",
            "tree/c2-latin1/caf\udce8.txt",
            "tree/c3-utf8/cafe\u0301.txt",
            "tree/d\udcee r/\udcff");
    assertRoundTrip(root, r);

    // diff tells the two Latin-1 names apart: a change to one is that one, named by its bytes
    Files.write(
        FileNames.resolve(work.resolve("custos"), "tree/c2-latin1/" + latin1("caf\u00e8.txt")),
        "changed\n".getBytes());
    assertThat(new TreeDiff(work.resolve("custos/tree"), root.resolve("tree")).compare())
        .extracting(TreeDiff.Difference::toString)
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("changed: c2-latin1/caf\\350.txt (content");
  }

  /** c6-uid (moby/moby #1426) and times: ids to 2^32-2, mtimes before 1970 and after 2262. */
  @Test
  void c6IdsAndTimesOverTheirWholeRange() throws IOException {
    assumeTrue(Processes.isRoot(), "chown to uid 3000000000 needs root");
    Path root = work.resolve("root");
    Path big = write(root, "tree/c6-uid/big-uid", "x\n".getBytes());
    Files.setAttribute(big, "unix:uid", (int) 3000000000L);
    Files.setAttribute(big, "unix:gid", (int) 4294967294L);
    Path old = write(root, "tree/c6-uid/before-1970", "y\n".getBytes());
    LinuxFiles.setMtime(FileNames.of(old), Instant.ofEpochSecond(-1234567891, 500_000_000));
    Path future = write(root, "tree/c6-uid/after-2262", "z\n".getBytes());
    LinuxFiles.setMtime(FileNames.of(future), Instant.ofEpochSecond(9300000000L, 987654321));
    BackupResult r = backup(root);
    Manifest.Entry e = Manifest.read(r.manifestFile()).byPath().get("tree/c6-uid/big-uid");
    assertThat(e.uid()).isEqualTo(3000000000L);
    assertThat(e.gid()).isEqualTo(4294967294L);
    assertRoundTrip(root, r);
  }

  /**
   * c7-acl (borg #921) and xattrs: ACLs as {@code tar --acls} stores them, binary and empty user
   * values, and as root {@code trusted.*} and a file capability.
   */
  @Test
  void c7AclsAndXattrs() throws IOException {
    Path root = work.resolve("root");
    Path shared = write(root, "tree/c7-acl/shared.txt", "x\n".getBytes());
    String name = FileNames.of(shared);
    try {
      LinuxFiles.setXattr(name, "user.binary", HexFormat.of().parseHex("00ff0a3d80"));
    } catch (IOException e) {
      assumeTrue(false, "the temp file system has no user xattrs: " + e.getMessage());
    }
    LinuxFiles.setXattr(name, "user.empty", new byte[0]);
    Files.setAttribute(shared, "unix:mode", 0664);
    LinuxFiles.setXattr(
        name,
        "system.posix_acl_access",
        Acls.fromText(
            "user::rw-,user:1234:rw-,group::r--,group:4321:r--,mask::rw-,other::r--", s -> -1));
    Path dir = Files.createDirectories(root.resolve("tree/c7-acl/inherit"));
    LinuxFiles.setXattr(
        FileNames.of(dir),
        "system.posix_acl_default",
        Acls.fromText("u::rwx,u:1234:r-x,g::r-x,m::r-x,o::---", s -> -1));
    if (Processes.isRoot()) {
      Path cap = write(root, "tree/c7-acl/ping", "p\n".getBytes());
      LinuxFiles.setXattr(name, "trusted.custos", new byte[] {1, 2});
      LinuxFiles.setXattr(
          FileNames.of(cap),
          "security.capability",
          HexFormat.of().parseHex("0100000200200000000000000000000000000000"));
    }
    BackupResult r = backup(root);
    assertRoundTrip(root, r);
  }

  /** c8-symslash (borg #8944) and c4-abs: link targets are data, kept byte for byte. */
  @Test
  void c4AndC8LinkTargetsVerbatim() throws IOException {
    Path root = work.resolve("root");
    Files.createDirectories(root.resolve("tree/c8/dir"));
    LinuxFiles.symlink("dir/".getBytes(), FileNames.of(root) + "/tree/c8/to-dir");
    LinuxFiles.symlink("./dir//".getBytes(), FileNames.of(root) + "/tree/c8/dot-slashes");
    LinuxFiles.symlink(
        "/usr/share/zoneinfo/UTC".getBytes(), FileNames.of(root) + "/tree/c8/localtime");
    LinuxFiles.symlink("/nonexistent/x".getBytes(), FileNames.of(root) + "/tree/c8/dangling");
    BackupResult r = backup(root);
    assertRoundTrip(root, r);
    assertThat(LinuxFiles.readlink(FileNames.of(work.resolve("custos/tree/c8/to-dir"))))
        .isEqualTo("dir/".getBytes());
  }

  /**
   * c5-sparse3g (composefs/tar-rs #373, ratarmount #156): a 3 GiB sparse file backs up as holes,
   * verifies and restores as holes.
   */
  @Test
  @Tag("long") // writes and restores a 3 GiB sparse file: mvn -Plong verify
  void c5SparseOver2GiB() throws IOException {
    Path root = work.resolve("root");
    Path img = write(root, "tree/c5-sparse3g/disk.img", new byte[0]);
    try (var ch = java.nio.channels.FileChannel.open(img, java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(Trees.bytes(8192, 5)), 1 << 20);
      ch.write(java.nio.ByteBuffer.wrap("end".repeat(100).getBytes()), (3L << 30) - 300);
    }
    BackupResult r = backup(root);
    assertThat(r.archiveBytes()).isLessThan(1 << 20);
    Manifest.Entry e = Manifest.read(r.manifestFile()).byPath().get("tree/c5-sparse3g/disk.img");
    assertThat(e.sparse()).isTrue();
    assertThat(e.size()).isEqualTo(3L << 30);
    assertRoundTrip(root, r);
    assertThat(Trees.blocks(work.resolve("custos/tree/c5-sparse3g/disk.img")) * 512)
        .isLessThan(1 << 20);
  }

  /** Exclude patterns match the names' exact bytes: '?' is one invalid byte. */
  @Test
  void excludesMatchNamesAsBytes() throws IOException {
    Path root = work.resolve("root");
    write(root, "tree/" + latin1("caf\u00e9.avi"), new byte[] {1});
    write(root, "tree/keep.txt", new byte[] {2});
    Path out = Files.createDirectories(work.resolve("archives"));
    BackupResult r =
        new ArchiveWriter(CLOCK)
            .write(
                BackupSpec.full(
                    "n",
                    "s",
                    root,
                    List.of(Path.of("tree")),
                    List.of("caf?.avi"),
                    Compression.GZIP,
                    out));
    List<String> names = new ArrayList<>();
    r.manifest().entries().forEach(e -> names.add(e.path()));
    assertThat(names).containsExactly("tree", "tree/keep.txt");
  }
}
