package io.custos.collector.cli;

import io.custos.common.config.ConfigException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code check-config}: validates the whole configuration like {@code nginx -t}, then exits. */
@Command(
    name = "check-config",
    mixinStandardHelpOptions = true,
    description = "Validate the configuration; print OK: FILE or the first error.",
    footer = {"", CollectorMain.EXIT_CODES})
final class CheckConfigCommand implements Callable<Integer> {
  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try {
      config.load();
      spec.commandLine().getOut().println("OK: " + config.describe());
      return CollectorMain.OK;
    } catch (ConfigException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return CollectorMain.FAILURE;
    }
  }
}
