package io.custos.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hooks, dumps and levels of one run of a set. */
class BackupRunnerTest {
  @TempDir Path dir;

  private final TestClock clock = new TestClock("2026-11-29T01:00:00Z"); // a Sunday

  private Path out() {
    return dir.resolve("out");
  }

  private BackupSetConfig set(
      List<String> before, List<String> after, List<BackupSetConfig.Dump> dumps)
      throws IOException {
    Path tree = Files.createDirectories(dir.resolve("src/tree"));
    Files.writeString(tree.resolve("a.txt"), "a");
    return new BackupSetConfig(
        "data",
        dir.resolve("src"),
        List.of(Path.of("tree")),
        null,
        Compression.GZIP,
        1,
        null,
        null,
        null,
        null,
        before,
        after,
        dumps,
        null);
  }

  private static List<String> names(Path archive) throws IOException {
    List<String> names = new ArrayList<>();
    try (ArchiveReader r = ArchiveReader.open(archive)) {
      TarArchiveEntry e;
      while ((e = r.next()) != null) {
        names.add(e.getName());
      }
    }
    return names;
  }

  @Test
  void hooksRunBeforeAndAfterTheArchiveInOrder() throws IOException {
    Path log = dir.resolve("hooks.log");
    String outDir = out().toString();
    BackupSetConfig s =
        set(
            List.of("echo before1 >> " + log, "echo before2 >> " + log),
            List.of(
                "ls " + outDir + " | grep -c 'full.tar.gz$' >> " + log + "; echo after >> " + log),
            null);
    BackupRunner.Outcome o = new BackupRunner("n1", out(), clock).run(s, null);
    assertThat(o.ok()).as(o.message()).isTrue();
    assertThat(o.level()).isEqualTo(Level.FULL);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out())))
        .isEqualTo("rwx------");
    // The archive and its manifest are private whatever the umask (0644 before): a backup
    // directory made 0755 by hand must not show copies of root-only files to everyone.
    try (var files = Files.list(out())) {
      List<Path> made = files.filter(f -> !f.getFileName().toString().startsWith(".")).toList();
      assertThat(made).isNotEmpty();
      for (Path f : made) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
            .as(f.toString())
            .isEqualTo("rw-------");
      }
    }
    // the after hook saw the published archive
    assertThat(Files.readAllLines(log)).containsExactly("before1", "before2", "1", "after");
  }

  @Test
  void aFailingBeforeHookFailsTheRunAndTheAfterHooksStillRun() throws IOException {
    Path log = dir.resolve("hooks.log");
    BackupSetConfig s =
        set(
            List.of("echo cannot freeze >&2; exit 4", "echo never >> " + log),
            List.of("echo after >> " + log),
            null);
    BackupRunner.Outcome o = new BackupRunner("n1", out(), clock).run(s, Level.FULL);
    assertThat(o.ok()).isFalse();
    assertThat(o.archive()).isNull();
    assertThat(o.message()).contains("before hook").contains("exit 4").contains("cannot freeze");
    assertThat(Files.readAllLines(log)).containsExactly("after");
    try (Stream<Path> files = Files.list(out())) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".tar"));
    }
  }

  @Test
  void dumpsAreArchivedAsNamedEntriesAndTheSpoolIsRemoved() throws IOException {
    BackupSetConfig s =
        set(
            null,
            null,
            List.of(new BackupSetConfig.Dump("all.sql", "printf 'CREATE TABLE t;\\n'")));
    BackupRunner.Outcome o = new BackupRunner("n1", out(), clock).run(s, null);
    assertThat(o.ok()).as(o.message()).isTrue();
    assertThat(names(o.archive())).contains("tree/a.txt", "dumps/", "dumps/all.sql");
    assertThat(Manifest.read(Manifest.fileFor(o.archive())).byPath().get("dumps/all.sql").size())
        .isEqualTo(16);
    new Verifier().verify(o.archive());
    assertThat(out().resolve(".data.dumps")).doesNotExist();

    // A diff made later holds the new dump again, since a dump is always new.
    clock.advance(Duration.ofDays(1));
    BackupRunner.Outcome diff = new BackupRunner("n1", out(), clock).run(s, null);
    assertThat(diff.level()).isEqualTo(Level.DIFF);
    assertThat(names(diff.archive())).contains("dumps/all.sql").doesNotContain("tree/a.txt");
  }

  @Test
  void aFailingDumpFailsTheBackupWithTheTailOfItsStderr() throws IOException {
    BackupSetConfig s =
        set(
            null,
            null,
            List.of(
                new BackupSetConfig.Dump(
                    "db.sql", "echo partial; echo 'pg_dumpall: connection refused' >&2; exit 1")));
    BackupRunner.Outcome o = new BackupRunner("n1", out(), clock).run(s, null);
    assertThat(o.ok()).isFalse();
    assertThat(o.message())
        .contains("dump db.sql")
        .contains("exit 1")
        .contains("pg_dumpall: connection refused");
    try (Stream<Path> files = Files.list(out())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.contains(".tar") || n.endsWith(".dumps"));
    }
  }

  @Test
  void aDiffWithoutAFullIsMadeAsAFullAndSaysSo() throws IOException {
    BackupSetConfig s = set(null, null, null);
    BackupRunner.Outcome o = new BackupRunner("n1", out(), clock).run(s, Level.DIFF);
    assertThat(o.ok()).isTrue();
    assertThat(o.level()).isEqualTo(Level.FULL);
    assertThat(o.note()).contains("no full archive yet");
  }

  @Test
  void theBackupDirectoryIsNotArchivedAndStalePartsOfTheSetAreRemoved() throws IOException {
    BackupSetConfig s0 = set(null, null, null);
    BackupSetConfig s =
        new BackupSetConfig(
            "data",
            dir,
            List.of(Path.of(".")),
            null,
            Compression.GZIP,
            1,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    Files.createDirectories(out());
    Path stale = out().resolve("n1.data.20261128T010000Z.full.tar.gz.part");
    Path otherSet = out().resolve("n1.other.20261128T010000Z.full.tar.gz.part");
    Files.writeString(stale, "killed mid-run");
    Files.writeString(otherSet, "not ours");
    BackupRunner.Outcome o = new BackupRunner("n1", out(), clock).run(s, Level.FULL);
    assertThat(o.ok()).as(o.message()).isTrue();
    assertThat(names(o.archive())).contains("src/tree/a.txt").noneMatch(n -> n.startsWith("out"));
    assertThat(stale).doesNotExist();
    assertThat(otherSet).exists();
    assertThat(s0.name()).isEqualTo("data");
  }

  /**
   * A dump much larger than the heap of the JVM that archives it: the child JVM runs with a 24 MB
   * heap and dumps 64 MB, so buffering the dump in memory would fail with OutOfMemoryError.
   */
  @Test
  void aDumpLargerThanTheHeapIsStreamed() throws Exception {
    Path tree = Files.createDirectories(dir.resolve("src/tree"));
    Files.writeString(tree.resolve("a.txt"), "a");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx24m",
                "-cp",
                System.getProperty("java.class.path"),
                DumpMain.class.getName(),
                dir.resolve("src").toString(),
                out().toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(output).isZero();
    Path archive = Path.of(output.strip().lines().reduce((a, b) -> b).orElseThrow());
    Manifest m = Manifest.read(Manifest.fileFor(archive));
    assertThat(m.byPath().get("dumps/big.bin").size()).isEqualTo(64L << 20);
    new Verifier().verify(archive);
  }

  /** The child JVM of {@link #aDumpLargerThanTheHeapIsStreamed}. */
  static final class DumpMain {
    public static void main(String[] args) {
      BackupSetConfig s =
          new BackupSetConfig(
              "big",
              Path.of(args[0]),
              List.of(Path.of("tree")),
              null,
              Compression.NONE,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              List.of(new BackupSetConfig.Dump("big.bin", "head -c 67108864 /dev/urandom")),
              null);
      BackupRunner.Outcome o =
          new BackupRunner("n1", Path.of(args[1]), new TestClock("2026-11-29T01:00:00Z"))
              .run(s, Level.FULL);
      if (!o.ok()) {
        System.out.println(o.message());
        System.exit(1);
      }
      System.out.println(o.archive());
    }
  }
}
