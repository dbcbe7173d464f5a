package io.custos.agent.cli;

import io.custos.agent.backup.Rollback;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code custos-agent rollback --restored DIR --live DIR}. */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description = {
      "Put a restored tree in place of the live one: renames LIVE to LIVE.before-<UTC time>,"
          + " then RESTORED to LIVE (like mv live live.damn && mv restored live).",
      "Both must be on one file system; prints how to undo."
    },
    footerHeading = "%nExit codes:%n",
    footer = {"  0  rolled back", "  2  refused or failed (nothing changed)", "  3  usage%n"})
final class RollbackCommand implements Callable<Integer> {
  private final AgentMain.Env env;

  @Option(names = "--restored", required = true, paramLabel = "DIR", description = "Restored tree.")
  Path restored;

  @Option(names = "--live", required = true, paramLabel = "DIR", description = "Live tree.")
  Path live;

  @Spec CommandSpec spec;

  RollbackCommand(AgentMain.Env env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    try {
      Rollback.Result r = new Rollback(env.clock()).rollback(restored, live);
      spec.commandLine()
          .getOut()
          .println(
              "OK: "
                  + r.live()
                  + " is the restored tree; the former"
                  + " live tree is "
                  + r.aside());
      spec.commandLine().getOut().println("to undo: " + r.undo());
      return 0;
    } catch (IOException e) {
      spec.commandLine().getErr().println("rollback refused: " + e.getMessage());
      return AgentMain.FAILURE;
    }
  }
}
