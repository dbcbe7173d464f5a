package io.custos.agent.cli;

import io.custos.agent.check.CheckRunner;
import io.custos.common.config.ConfigException;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Status;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code custos-agent check}: runs every check once, prints the problems and exits with the worst
 * status's Nagios code, so cron and monitoring plugins can use it. Sends nothing.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Run every check once and print the problems, one line each as '<service>: <output>'.",
      "Prints nothing when all is OK. Sends nothing to the collector."
    },
    footerHeading = "%nExit codes (the worst status):%n",
    footer = {
      "  0  OK",
      "  1  WARNING",
      "  2  CRITICAL",
      "  3  UNKNOWN, bad configuration or usage"
    })
final class CheckCommand implements Callable<Integer> {
  private final AgentMain.Env env;

  @Mixin CommonOptions options = new CommonOptions();

  @Spec CommandSpec spec;

  CheckCommand(AgentMain.Env env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    AgentConfigFiles.Loaded loaded;
    try {
      loaded = AgentConfigFiles.load(options.config, env.defaultConfig());
    } catch (ConfigException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return Status.UNKNOWN.exitCode();
    }
    List<CheckResult> results;
    try (CheckRunner runner =
        CheckRunner.of(
            loaded.config().checks(),
            options.root == null ? env.root() : options.root,
            Clock.systemUTC())) {
      results = runner.runAll();
    }
    Status worst = Status.OK;
    for (CheckResult r : results) {
      worst = worst.worse(r.status());
      if (r.status().isProblem()) {
        spec.commandLine().getOut().println(r.service() + ": " + r.output());
      }
    }
    return worst.exitCode();
  }
}
