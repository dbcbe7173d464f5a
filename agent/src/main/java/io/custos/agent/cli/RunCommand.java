package io.custos.agent.cli;

import io.custos.common.config.ConfigException;
import io.custos.common.config.ReloadOnHangup;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code custos-agent run}: the daemon. Logs to stderr; stops cleanly on SIGTERM or SIGINT; on
 * SIGHUP reads its configuration again and runs it if valid, else logs why and keeps the old one
 * ({@link AgentDaemon#reload()}).
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run the checks every interval and report to the collector (the service).",
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  stopped by a signal",
      "  2  bad configuration or cannot start",
      "  3  usage",
      "%nSIGHUP reloads the configuration; an invalid one is refused and the old one kept.%n"
    })
final class RunCommand implements Callable<Integer> {
  private final AgentMain.Env env;

  @Mixin CommonOptions options = new CommonOptions();

  @Spec CommandSpec spec;

  RunCommand(AgentMain.Env env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    AgentDaemon daemon;
    try {
      daemon =
          AgentDaemon.start(
              options.config,
              env,
              options.root == null ? env.root() : options.root,
              Clock.systemDefaultZone());
    } catch (ConfigException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return AgentMain.FAILURE;
    } catch (IOException e) {
      spec.commandLine().getErr().println("cannot open the spool: " + e.getMessage());
      return AgentMain.FAILURE;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "custos-agent-shutdown"));
    ReloadOnHangup hangup = ReloadOnHangup.install(daemon::reload);
    if (!hangup.signalHandled()) {
      spec.commandLine()
          .getErr()
          .println(
              "custos-agent: "
                  + ReloadOnHangup.unavailableMessage(
                      "systemctl restart custos-agent (the agent has no API to reload through)"));
    }
    try {
      daemon.awaitStop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      hangup.close();
    }
    return daemon.failed() ? AgentMain.FAILURE : 0;
  }
}
