package io.custos.agent.cli;

import io.custos.agent.config.AgentConfigLoader;
import io.custos.common.config.ConfigException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code custos-agent check-config}: validates the configuration completely, like {@code nginx -t},
 * including that the token file can be read.
 */
@Command(
    name = "check-config",
    mixinStandardHelpOptions = true,
    description = "Validate the configuration and print 'OK: <file>' or the first error.",
    footerHeading = "%nExit codes:%n",
    footer = {"  0  valid", "  2  invalid", "  3  usage%n"})
final class CheckConfigCommand implements Callable<Integer> {
  private final AgentMain.Env env;

  @Mixin CommonOptions options = new CommonOptions();

  @Spec CommandSpec spec;

  CheckConfigCommand(AgentMain.Env env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    try {
      AgentConfigFiles.Loaded loaded = AgentConfigFiles.load(options.config, env.defaultConfig());
      AgentConfigLoader.validate(loaded.config(), loaded.source(), env.root());
      if (loaded.config().collector().tokenFile() == null
          && env.variables().get(AgentConfigLoader.TOKEN_ENV) == null) {
        spec.commandLine()
            .getErr()
            .println(
                "note: no collector.token_file and no "
                    + AgentConfigLoader.TOKEN_ENV
                    + " in the environment; 'run' will need one");
      }
      spec.commandLine().getOut().println("OK: " + loaded.source());
      return 0;
    } catch (ConfigException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return AgentMain.FAILURE;
    }
  }
}
