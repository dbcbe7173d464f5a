package io.custos.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.agent.backup.TestClock;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's path end to end on a real tree: backup, list, verify, change the tree, incr,
 * restore as of the first backup, diff against a copy of the tree at that time, restore the latest,
 * roll it back into place; plus prune --dry-run.
 */
class BackupCliTest {
  @TempDir Path dir;

  private final TestClock clock = new TestClock("2026-11-29T01:00:00Z");
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    AgentMain.Env env =
        new AgentMain.Env(Map.of(), dir.resolve("no-such.yml"), Path.of("/"), clock);
    return AgentMain.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private Path config() throws IOException {
    Path cfg = dir.resolve("agent.yml");
    Files.writeString(
        cfg,
        "node: n1\n"
            + "backups:\n"
            + "  directory: "
            + dir.resolve("archives")
            + "\n"
            + "  sets:\n"
            + "    - name: www\n"
            + "      root: "
            + dir.resolve("live")
            + "\n"
            + "      paths: [site]\n"
            + "      exclude: ['*.tmp']\n"
            + "      compression: zstd\n"
            + "      keep: { days: 7 }\n");
    return cfg;
  }

  private static void touchAll(Path tree, Instant t) throws IOException {
    try (Stream<Path> s = Files.walk(tree)) {
      for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.setLastModifiedTime(p, FileTime.from(t));
      }
    }
  }

  private static void copyTree(Path from, Path to) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("cp", "-a", from.toString(), to.toString()).start();
    assertThat(p.waitFor()).isZero();
  }

  @Test
  void backupListVerifyIncrRestoreAtDiffAndRollBack() throws Exception {
    Path site = Files.createDirectories(dir.resolve("live/site"));
    Files.createDirectories(site.resolve("css"));
    Files.writeString(site.resolve("index.html"), "<h1>v1</h1>\n");
    Files.writeString(site.resolve("css/site.css"), "body { color: black }\n");
    Files.writeString(site.resolve("old.html"), "old\n");
    Files.writeString(site.resolve("cache.tmp"), "excluded\n");
    Files.createSymbolicLink(site.resolve("home.html"), Path.of("index.html"));
    touchAll(site, Instant.parse("2026-11-20T00:00:00Z"));
    Path cfg = config();
    String c = cfg.toString();

    assertThat(run("backup", "run", "-c", c, "--set", "www")).as(err.toString()).isZero();
    assertThat(out.toString()).startsWith("OK: full ").contains("n1.www.20261129T010000Z.full");
    Files.delete(site.resolve("cache.tmp"));
    Path asOfFull = dir.resolve("as-of-full");
    copyTree(site, asOfFull);
    Files.writeString(site.resolve("cache.tmp"), "excluded\n");

    // change the tree: edit, add, delete, rename
    clock.set("2026-11-30T01:00:00Z");
    Files.writeString(site.resolve("index.html"), "<h1>v2</h1>\n");
    Files.writeString(site.resolve("new.html"), "new\n");
    Files.delete(site.resolve("old.html"));
    Files.move(site.resolve("css"), site.resolve("styles"));
    assertThat(run("backup", "run", "-c", c, "--set", "www", "--level", "incr"))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).startsWith("OK: incr ");

    assertThat(run("backup", "list", "-c", c)).isZero();
    List<String> lines = out.toString().lines().toList();
    assertThat(lines.get(0)).matches("ARCHIVE +LEVEL +SIZE +FILES +CREATED +BASE");
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1))
        .contains("n1.www.20261129T010000Z.full.tar.zst  full")
        .contains("2026-11-29 01:00:00Z")
        .endsWith("  -");
    assertThat(lines.get(2)).contains("incr").endsWith("n1.www.20261129T010000Z.full.tar.zst");
    assertThat(lines.get(1).indexOf("full  ")).isEqualTo(lines.get(2).indexOf("incr  "));

    assertThat(run("backup", "verify", "-c", c, "n1.www.20261130T010000Z.incr.tar.zst"))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).startsWith("OK: n1.www.20261130T010000Z.incr.tar.zst: ");

    // restore as of the full: identical to the copy taken then
    Path r1 = dir.resolve("r1");
    assertThat(
            run(
                "restore",
                "-c",
                c,
                "--set",
                "www",
                "--at",
                "2026-11-29T12:00:00Z",
                "--to",
                r1.toString()))
        .as(err.toString())
        .isZero();
    assertThat(run("diff", r1.resolve("site").toString(), asOfFull.toString()))
        .as(out.toString())
        .isZero();
    assertThat(out.toString()).isEmpty();

    // the latest chain (full + incr) equals the live tree, renames and deletions included
    Files.delete(site.resolve("cache.tmp"));
    Path r2 = dir.resolve("r2");
    assertThat(run("restore", "-c", c, "--set", "www", "--to", r2.toString()))
        .as(err.toString())
        .isZero();
    assertThat(err.toString()).contains("restoring n1.www.20261129T010000Z.full.tar.zst");
    assertThat(run("diff", r2.resolve("site").toString(), site.toString()))
        .as(out.toString())
        .isZero();

    // diff reports what changed since, with a unified diff on request
    assertThat(run("diff", "--unified", r1.resolve("site").toString(), site.toString())).isOne();
    assertThat(out.toString())
        .contains("added: new.html")
        .contains("removed: old.html")
        .contains("removed: css")
        .contains("added: styles")
        .contains("changed: index.html (content")
        .contains("--- restored/index.html")
        .contains("-<h1>v1</h1>")
        .contains("+<h1>v2</h1>");

    // a non-empty target is refused unless --force
    assertThat(run("restore", "-c", c, "--set", "www", "--to", r2.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("is not empty");

    // --path restores a subtree only
    Path r3 = dir.resolve("r3");
    assertThat(
            run(
                "restore",
                "-c",
                c,
                "--set",
                "www",
                "--to",
                r3.toString(),
                "--path",
                site.resolve("styles").toString()))
        .as(err.toString())
        .isZero();
    try (Stream<Path> s = Files.list(r3.resolve("site"))) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("styles");
    }

    // a --path that matches nothing is a failed restore, as GNU tar's "Not found in archive"
    assertThat(
            run(
                "restore",
                "-c",
                c,
                "--set",
                "www",
                "--to",
                dir.resolve("r4").toString(),
                "--path",
                site.resolve("no-such-dir").toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("no entry of the chain matches --path");

    // roll the restored as-of-full tree into place
    Files.writeString(site.resolve("index.html"), "<h1>broken</h1>\n");
    clock.set("2026-11-30T09:15:00Z");
    assertThat(
            run("rollback", "--restored", r1.resolve("site").toString(), "--live", site.toString()))
        .as(err.toString())
        .isZero();
    assertThat(Files.readString(site.resolve("index.html"))).isEqualTo("<h1>v1</h1>\n");
    Path aside = dir.resolve("live/site.before-20261130T091500Z");
    assertThat(Files.readString(aside.resolve("index.html"))).isEqualTo("<h1>broken</h1>\n");
    assertThat(out.toString()).contains("to undo: mv " + site + " " + site + ".rolled-back");

    // prune: long after, everything is past keep.days, but the newest chain is always kept
    clock.advance(Duration.ofDays(30));
    assertThat(run("backup", "prune", "-c", c, "--dry-run")).isZero();
    assertThat(out.toString().strip()).isEqualTo("nothing to delete");
  }

  @Test
  void unknownSetAndBadLevelAreUsageErrors() throws Exception {
    Files.createDirectories(dir.resolve("live/site"));
    String c = config().toString();
    assertThat(run("backup", "run", "-c", c, "--set", "nope")).isEqualTo(3);
    assertThat(err.toString()).contains("no backup set \"nope\"").contains("(sets: www)");
    assertThat(run("backup", "run", "-c", c, "--set", "www", "--level", "weekly")).isEqualTo(3);
    assertThat(err.toString()).contains("level: expected full|diff|incr");
    assertThat(run("backup", "--help")).isZero();
    assertThat(out.toString()).contains("run", "list", "verify", "prune");
    assertThat(run("restore", "--help")).isZero();
    assertThat(run("rollback", "--help")).isZero();
  }

  @Test
  void pruneDryRunListsWhatRetentionWouldDeleteAndKeepsDependencies() throws Exception {
    Path site = Files.createDirectories(dir.resolve("live/site"));
    Files.writeString(site.resolve("a"), "a");
    String c = config().toString();
    assertThat(run("backup", "run", "-c", c, "--set", "www", "--level", "full")).isZero();
    clock.advance(Duration.ofDays(1));
    assertThat(run("backup", "run", "-c", c, "--set", "www", "--level", "diff")).isZero();
    clock.advance(Duration.ofDays(1));
    assertThat(run("backup", "run", "-c", c, "--set", "www", "--level", "full")).isZero();
    clock.advance(Duration.ofDays(1));
    assertThat(run("backup", "run", "-c", c, "--set", "www", "--level", "incr")).isZero();
    // all are past keep.days now; the newest (the incr) is always kept, and with it its full
    clock.advance(Duration.ofDays(8));
    assertThat(run("backup", "prune", "-c", c, "--dry-run")).isZero();
    assertThat(out.toString().lines())
        .containsExactly(
            "would delete n1.www.20261129T010000Z.full.tar.zst",
            "would delete n1.www.20261130T010000Z.diff.tar.zst");
    assertThat(run("backup", "prune", "-c", c)).isZero();
    assertThat(run("backup", "list", "-c", c)).isZero();
    assertThat(out.toString().lines()).hasSize(3);
  }

  /** Issue 9, kind 7: like GNU tar, restore names each entry it could not write and exits 2. */
  @Test
  void restoreNamesEachEntryItCouldNotWriteRestoresTheRestAndExitsTwo() throws Exception {
    Path archive = dir.resolve("foreign.tar");
    String tooLong = "n".repeat(300);
    try (var os = Files.newOutputStream(archive);
        var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(os)) {
      tar.setLongFileMode(
          org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.LONGFILE_POSIX);
      for (String name : List.of("a", tooLong, "z")) {
        var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(name);
        e.setSize(2);
        tar.putArchiveEntry(e);
        tar.write("x\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        tar.closeArchiveEntry();
      }
    }
    Path to = dir.resolve("to");

    assertThat(run("restore", "--archive", archive.toString(), "--to", to.toString())).isEqualTo(2);

    assertThat(err.toString()).contains("error: entry '" + tooLong + "': File name too long");
    assertThat(out.toString())
        .startsWith("FAILED: 2 entries")
        .contains("; 1 could not be restored");
    assertThat(to.resolve("a")).exists();
    assertThat(to.resolve("z")).exists();
  }
}
