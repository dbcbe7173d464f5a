package io.custos.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.custos.agent.backup.TestClock;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22, kind "restore trusts bytes it has not checked": one flipped bit inside a file's data.
 * GNU tar 1.34 refuses such a zstd archive ("Restored data doesn't match checksum", exit 2);
 * restore names the damaged entry, never leaves it in place, restores the rest and exits 2 — for
 * our archives (checked against the manifest's sha256), for archives GNU tar wrote (checked by the
 * codec: zstd frame checksum, gzip CRC-32) and for {@code --path} restores.
 */
class DamagedArchiveRestoreTest {
  @TempDir Path dir;

  private final TestClock clock = new TestClock("2026-11-29T01:00:00Z");
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  /** 256 KiB that no codec compresses, so they appear as they are in the archive. */
  private final byte[] random = random(256 * 1024);

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    AgentMain.Env env =
        new AgentMain.Env(Map.of(), dir.resolve("no-such.yml"), Path.of("/"), clock);
    return AgentMain.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(22).nextBytes(b);
    return b;
  }

  private Path tree() throws IOException {
    Path site = Files.createDirectories(dir.resolve("live/site/data"));
    Files.writeString(site.resolve("a.txt"), "a\n");
    Files.write(site.resolve("blob.bin"), random);
    Files.writeString(site.resolve("z.txt"), "z\n");
    return dir.resolve("live");
  }

  private Path config() throws IOException {
    Path cfg = dir.resolve("agent.yml");
    Files.writeString(
        cfg,
        "node: n1\nbackups:\n  directory: "
            + dir.resolve("archives")
            + "\n  sets:\n    - name: www\n      root: "
            + dir.resolve("live")
            + "\n      paths: [site]\n      compression: zstd\n");
    return cfg;
  }

  /** Flips one bit of {@code archive} in the middle of the stored copy of {@link #random}. */
  private void flipBitInData(Path archive) throws IOException {
    byte[] a = Files.readAllBytes(archive);
    int needle = 100_000;
    int at = indexOf(a, java.util.Arrays.copyOfRange(random, needle, needle + 64));
    assertThat(at).as("the file's data is stored as it is in " + archive).isPositive();
    a[at + 10] ^= 0x10;
    Files.write(archive, a);
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static List<String> leftovers(Path to) throws IOException {
    try (Stream<Path> s = Files.walk(to)) {
      return s.map(Path::toString).filter(p -> p.endsWith(".part")).toList();
    }
  }

  private static Process exec(Path cwd, String... cmd) throws IOException {
    return new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
  }

  private static boolean have(String tool) {
    try {
      return new ProcessBuilder(tool, "--version").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  @Test
  void ourZstdArchiveWithAFlippedBitNamesTheEntryRestoresTheRestAndExitsTwo() throws Exception {
    tree();
    String c = config().toString();
    assertThat(run("backup", "run", "-c", c, "--set", "www")).as(err.toString()).isZero();
    Path archive = dir.resolve("archives/n1.www.20261129T010000Z.full.tar.zst");
    flipBitInData(archive);
    Path to = dir.resolve("to");

    assertThat(run("restore", "-c", c, "--set", "www", "--to", to.toString())).isEqualTo(2);

    assertThat(err.toString())
        .contains("error: entry 'site/data/blob.bin': data damaged: its content has sha256 ")
        .contains(", the manifest says ")
        .contains("zstd stream corrupt or truncated");
    assertThat(out.toString()).startsWith("FAILED: ");
    assertThat(to.resolve("site/data/blob.bin")).doesNotExist();
    assertThat(to.resolve("site/data/a.txt")).hasContent("a");
    assertThat(to.resolve("site/data/z.txt")).hasContent("z");
    assertThat(leftovers(to)).isEmpty();

    // the same with --path, and the damaged file is never left in place there either
    Path only = dir.resolve("only");
    assertThat(
            run(
                "restore",
                "-c",
                c,
                "--set",
                "www",
                "--path",
                "site/data/blob.bin",
                "--to",
                only.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("error: entry 'site/data/blob.bin': data damaged");
    assertThat(only.resolve("site/data/blob.bin")).doesNotExist();
    assertThat(leftovers(only)).isEmpty();
  }

  /** An archive GNU tar 1.34 writes with {@code --zstd} (one frame, with its checksum). */
  @Test
  void gnuTarZstdArchiveWithAFlippedBitIsRefusedAsGnuTarRefusesIt() throws Exception {
    assumeTrue(have("tar") && have("zstd"), "GNU tar and zstd are needed (packages tar, zstd)");
    checkForeign("--zstd", "gnu-tar-1.34.tar.zst", "zstd");
  }

  /** An archive GNU tar 1.34 writes with {@code -z} (one gzip member, CRC-32 at its end). */
  @Test
  void gnuTarGzipArchiveWithAFlippedBitIsRefusedAsGnuTarRefusesIt() throws Exception {
    assumeTrue(have("tar") && have("gzip"), "GNU tar and gzip are needed (packages tar, gzip)");
    checkForeign("-z", "gnu-tar-1.34.tar.gz", "gzip");
  }

  private void checkForeign(String codecFlag, String fileName, String codec) throws Exception {
    Path live = tree();
    Path archive = dir.resolve(fileName);
    Process p = exec(live, "tar", codecFlag, "-cf", archive.toString(), "site");
    assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes())).isZero();
    flipBitInData(archive);

    Path byTar = Files.createDirectories(dir.resolve("by-tar"));
    Process x = exec(byTar, "tar", codecFlag, "-xf", archive.toString());
    String tarSays = new String(x.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(x.waitFor()).as(tarSays).isEqualTo(2);

    Path to = dir.resolve("to");
    assertThat(run("restore", "--archive", archive.toString(), "--to", to.toString())).isEqualTo(2);

    assertThat(err.toString())
        .contains("error: " + fileName + ": " + codec + " stream corrupt or truncated")
        .contains("cannot be trusted and were removed")
        .contains(
            "error: entry 'site/data/blob.bin': not verified (the archive's "
                + codec
                + " check failed); removed");
    List<String> restored = new ArrayList<>();
    try (Stream<Path> s = Files.walk(to)) {
      s.filter(Files::isRegularFile).forEach(f -> restored.add(to.relativize(f).toString()));
    }
    assertThat(restored).as("no file of a damaged stream is left as if good").isEmpty();
    assertThat(to.resolve("site/data")).isDirectory();
  }
}
