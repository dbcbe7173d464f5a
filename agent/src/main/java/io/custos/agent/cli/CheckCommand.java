package io.custos.agent.cli;

import io.custos.agent.check.CheckRunner;
import io.custos.agent.check.NagiosPerfdata;
import io.custos.common.config.ConfigException;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code custos-agent check}: runs every check once, prints the problems (with {@code --all} every
 * result and its metrics as Nagios perfdata, like {@code monit status}) and exits with the worst
 * status's Nagios code, so cron and monitoring plugins can use it. Rate checks (CPU, disk I/O,
 * network) take a first sample and then wait {@code --sample-gap} before the run, so that a
 * one-shot run has rates. Sends nothing.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Run every check once and print the problems, one line each as '<service>: <output>'.",
      "Prints nothing when all is OK, unless --all. Sends nothing to the collector."
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

  @Option(
      names = "--all",
      description =
          "Print every result, OK included, each followed by its metrics as Nagios perfdata"
              + " (| 'label'=value[UOM];warn;crit;min;max).")
  boolean all;

  @Option(
      names = "--sample-gap",
      defaultValue = "1s",
      converter = DurationConverter.class,
      description =
          "How long rate checks (cpu, diskio, network) wait between their two samples;"
              + " 0 reports 'first sample' (default: ${DEFAULT-VALUE}).")
  Duration sampleGap;

  /** Binds {@code 1s}, {@code 500ms}, {@code 0}. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.strip();
      if (v.equals("0")) {
        return Duration.ZERO;
      }
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      return io.custos.common.units.Durations.parse(v);
    }
  }

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
            Clock.systemUTC(),
            env.commands())) {
      if (!sampleGap.isZero() && runner.sampleRates() > 0) {
        try {
          Thread.sleep(sampleGap.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      results = runner.runAll();
    }
    Status worst = Status.OK;
    for (CheckResult r : results) {
      worst = worst.worse(r.status());
      if (all) {
        String perf = NagiosPerfdata.format(r.metrics());
        spec.commandLine()
            .getOut()
            .println(r.service() + ": " + r.output() + (perf.isEmpty() ? "" : " | " + perf));
      } else if (r.status().isProblem()) {
        spec.commandLine().getOut().println(r.service() + ": " + r.output());
      }
    }
    return worst.exitCode();
  }
}
