package io.custos.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.custos.agent.backup.TestClock;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22, kind "dumpdirs of foreign chains ignored": chains GNU tar itself writes ({@code tar -g
 * snap -cf l0.tar src; change src; tar -g snap -cf l1.tar src}), restored by {@code restore
 * --archive l0.tar --archive l1.tar ...}, give the tree {@code tar -G -x} gives from the same
 * archives: deletions, renamed directories and what GNU tar does not store again under them, and
 * directories that swapped names (GNU tar's {@code X} record and temporary name).
 *
 * <p>No sleeps: the tree is dated in the past before level 0, so every later change is newer than
 * the snapshot (a file changed in the same second would only be stored again, which changes
 * nothing).
 */
class GnuTarIncrementalChainTest {
  @TempDir Path dir;

  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  private int run(List<String> args) {
    out = new StringWriter();
    err = new StringWriter();
    AgentMain.Env env =
        new AgentMain.Env(
            Map.of(),
            dir.resolve("no-such.yml"),
            Path.of("/"),
            new TestClock("2026-12-01T00:00:00Z"));
    return AgentMain.execute(
        args.toArray(new String[0]), env, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private String sh(String script) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("sh", "-ec", script)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(script + "\n" + output).isZero();
    return output;
  }

  private static boolean gnuTar() {
    try {
      Process p = new ProcessBuilder("tar", "--version").start();
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
              .startsWith("tar (GNU tar)")
          && p.waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /**
   * Makes level 0 of {@code setUp}'s tree, then one level per step; restores the chain with {@code
   * tar -G -x} and with {@code restore}, and compares both trees (type, mode, size, link target,
   * content; file mtimes).
   */
  private void compareWithGnuTar(String setUp, String... steps) throws Exception {
    assumeTrue(gnuTar(), "GNU tar is needed (package tar)");
    sh(
        "mkdir src && cd src && "
            + setUp
            + " && cd .. && find src -exec touch -h -d 2020-01-01T00:00:00 {} + "
            + "&& tar -g snap -cf l0.tar src");
    List<String> archives = new ArrayList<>(List.of("l0.tar"));
    for (int i = 0; i < steps.length; i++) {
      sh("cd src && " + steps[i] + " && cd .. && tar -g snap -cf l" + (i + 1) + ".tar src");
      archives.add("l" + (i + 1) + ".tar");
    }
    StringBuilder x = new StringBuilder("mkdir by-tar");
    for (String a : archives) {
      x.append(" && tar -G -xf ").append(a).append(" -C by-tar");
    }
    sh(x.toString());

    List<String> args = new ArrayList<>(List.of("restore"));
    for (String a : archives) {
      args.add("--archive");
      args.add(dir.resolve(a).toString());
    }
    args.add("--to");
    args.add(dir.resolve("by-custos").toString());
    assertThat(run(args)).as(err.toString()).isZero();

    String list =
        "cd %s && find . -mindepth 1 -printf '%%p %%y %%m %%s %%l\\n' | sort"
            + " && find . -type f -printf '%%p %%T@\\n' | sort && find . -type f | sort | xargs cat";
    assertThat(sh(String.format(list, "by-custos"))).isEqualTo(sh(String.format(list, "by-tar")));
  }

  /** The issue's own case: {@code rm src/b/gone} between the levels. */
  @Test
  void aFileDeletedBetweenLevelsStaysDeleted() throws Exception {
    compareWithGnuTar(
        "mkdir a b && echo 1 > a/one && echo g > b/gone && echo k > b/keep", "rm b/gone");
    assertThat(dir.resolve("by-custos/src/b/gone")).doesNotExist();
    assertThat(dir.resolve("by-custos/src/b/keep")).exists();
  }

  @Test
  void renamedDirectoriesKeepWhatGnuTarDidNotStoreAgain() throws Exception {
    compareWithGnuTar(
        "mkdir -p a b d/deep x/y && echo 1 > a/one && echo g > b/gone && echo k > b/keep"
            + " && echo deep > d/deep/f && echo q > d/deep/q && echo xy > x/y/z && echo t > top"
            + " && ln -s ../top a/link",
        "rm b/gone && mv d renamed && rm renamed/deep/q && echo new > renamed/deep/new"
            + " && rm -r x && echo nowfile > x && mv b b2 && mkdir b && echo other > b/other",
        "mv renamed/deep deep2 && rm x && mkdir x && rm a/one && mkdir a/one");
    assertThat(dir.resolve("by-custos/src/deep2/f")).hasContent("deep");
    assertThat(dir.resolve("by-custos/src/b2/keep")).hasContent("k");
  }

  /** GNU tar writes {@code X src}, {@code R src/b T ""}, ... and renames through a temporary. */
  @Test
  void directoriesThatSwappedNamesGoThroughGnuTarsTemporaryName() throws Exception {
    compareWithGnuTar(
        "mkdir a b && echo A > a/fa && echo B > b/fb", "mv a tmp && mv b a && mv tmp b");
    assertThat(dir.resolve("by-custos/src/a/fb")).hasContent("B");
    assertThat(dir.resolve("by-custos/src/b/fa")).hasContent("A");
  }
}
