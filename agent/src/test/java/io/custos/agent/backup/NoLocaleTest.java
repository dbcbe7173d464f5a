package io.custos.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * c3-utf8 (vscode-java #4473, {@code sun.jnu.encoding}) and c2-latin1 with no locale at all, as
 * cron, a bare systemd unit or a container runs the agent: a child JVM without {@code LANG} and
 * {@code LC_*} (so {@code sun.jnu.encoding} is ASCII) backs up, verifies and restores, and every
 * name comes back byte for byte.
 */
class NoLocaleTest {

  @TempDir Path work;

  @Test
  void namesSurviveAProcessWithNoLocale() throws IOException, InterruptedException {
    Path root = work.resolve("root");
    BackupCasesTest.write(
        root, "tree/c2-latin1/" + BackupCasesTest.latin1("caf\u00e9.txt"), new byte[] {1});
    BackupCasesTest.write(
        root, "tree/c2-latin1/" + BackupCasesTest.latin1("caf\u00e8.txt"), new byte[] {2});
    BackupCasesTest.write(
        root,
        "tree/c3-utf8/caf\u00e9 \u65e5\u672c.txt",
        "h\u00e9\n".getBytes(StandardCharsets.UTF_8));
    BackupCasesTest.write(root, "tree/c3-utf8/cafe\u0301.txt", new byte[] {3});
    LinuxFiles.symlink(
        "caf\u00e9 \u65e5\u672c.txt".getBytes(StandardCharsets.UTF_8),
        FileNames.of(root) + "/tree/c3-utf8/link");
    Path out = Files.createDirectory(work.resolve("out"));
    Path dest = work.resolve("dest");

    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                LocaleFreeRoundTrip.class.getName(),
                root.toString(),
                out.toString(),
                dest.toString())
            .redirectErrorStream(true);
    pb.environment()
        .keySet()
        .removeIf(k -> k.equals("LANG") || k.startsWith("LC_") || k.equals("LANGUAGE"));
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).contains("sun.jnu.encoding=ANSI_X3.4-1968");
    assertThat(output).as("TreeDiff without a locale").contains("\n0 differences");
    assertThat(ByteTrees.snapshot(dest.resolve("tree")))
        .isEqualTo(ByteTrees.snapshot(root.resolve("tree")))
        .containsKeys(
            "c2-latin1/caf\\351.txt",
            "c2-latin1/caf\\350.txt",
            "c3-utf8/caf\u00e9 \u65e5\u672c.txt",
            "c3-utf8/cafe\u0301.txt");
  }
}
