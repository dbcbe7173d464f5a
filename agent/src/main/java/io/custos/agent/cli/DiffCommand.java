package io.custos.agent.cli;

import io.custos.agent.backup.TreeDiff;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code custos-agent diff RESTORED LIVE}: what changed between a restored tree and the live one.
 * The unified diffs of changed text files come from {@code diff -u} (diffutils), so they read
 * exactly like {@code diff -ru}'s.
 */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Compare a restored tree with the live one: added (only in LIVE), removed (only in"
          + " RESTORED), changed (type, content, mode, owner, mtime).",
      "With --unified, changed text files are shown as unified diffs, like diff -ru."
    },
    footerHeading = "%nExit codes (as diff(1)):%n",
    footer = {"  0  no differences", "  1  differences", "  2  failed", "  3  usage%n"})
final class DiffCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "RESTORED", description = "The restored tree.")
  Path restored;

  @Parameters(index = "1", paramLabel = "LIVE", description = "The live tree.")
  Path live;

  @Option(
      names = {"-u", "--unified"},
      description = "Show unified diffs of changed text files.")
  boolean unified;

  @Spec CommandSpec spec;

  DiffCommand(AgentMain.Env env) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    for (Path p : List.of(restored, live)) {
      if (!Files.isDirectory(p)) {
        err.println("not a directory: " + p);
        return AgentMain.FAILURE;
      }
    }
    try {
      List<TreeDiff.Difference> diffs = new TreeDiff(restored, live).compare();
      for (TreeDiff.Difference d : diffs) {
        out.println(d);
        if (unified
            && d.bothRegularFiles()
            && d.what().contains("content")
            && TreeDiff.passableAsArgument(restored, d.path())
            && TreeDiff.passableAsArgument(live, d.path())
            && TreeDiff.isText(TreeDiff.resolve(restored, d.path()))
            && TreeDiff.isText(TreeDiff.resolve(live, d.path()))) {
          out.print(unifiedDiff(d.path()));
        }
      }
      out.flush();
      return diffs.isEmpty() ? 0 : 1;
    } catch (IOException e) {
      err.println("diff failed: " + e.getMessage());
      return AgentMain.FAILURE;
    }
  }

  private String unifiedDiff(String path) throws IOException {
    Process p =
        new ProcessBuilder(
                "diff",
                "-u",
                "--label",
                "restored/" + path,
                "--label",
                "live/" + path,
                "--",
                restored.resolve(path).toString(),
                live.resolve(path).toString())
            .redirectErrorStream(true)
            .start();
    // A text diff is read into memory; it is for a terminal, and files are text-sized.
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return text;
  }
}
