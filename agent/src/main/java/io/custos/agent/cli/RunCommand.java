package io.custos.agent.cli;

import io.custos.agent.Agent;
import io.custos.agent.AgentVersion;
import io.custos.agent.backup.BackupLauncher;
import io.custos.agent.config.AgentConfigLoader;
import io.custos.agent.ship.HttpReportSender;
import io.custos.common.config.ConfigException;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code custos-agent run}: the daemon. Logs to stderr; stops cleanly on SIGTERM or SIGINT. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run the checks every interval and report to the collector (the service).",
    footerHeading = "%nExit codes:%n",
    footer = {"  0  stopped by a signal", "  2  bad configuration or cannot start", "  3  usage%n"})
final class RunCommand implements Callable<Integer> {
  private final AgentMain.Env env;

  @Mixin CommonOptions options = new CommonOptions();

  @Spec CommandSpec spec;

  RunCommand(AgentMain.Env env) {
    this.env = env;
  }

  @Override
  public Integer call() {
    Agent agent;
    try {
      AgentConfigFiles.Loaded loaded = AgentConfigFiles.load(options.config, env.defaultConfig());
      String token = AgentConfigLoader.token(loaded.config(), env.variables(), loaded.source());
      var sender =
          HttpReportSender.of(loaded.config().collector(), token, AgentVersion.userAgent());
      Clock clock = Clock.systemDefaultZone();
      // The child gets the file this daemon read (never a different default found later).
      BackupLauncher backups =
          BackupLauncher.forDaemon(
              loaded.file() == null ? null : loaded.file().toAbsolutePath(),
              loaded.config().node(),
              loaded.config().backups().directory(),
              clock);
      agent =
          new Agent(
              loaded.config(),
              clock,
              options.root == null ? env.root() : options.root,
              sender,
              backups);
    } catch (ConfigException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return AgentMain.FAILURE;
    } catch (IOException e) {
      spec.commandLine().getErr().println("cannot open the spool: " + e);
      return AgentMain.FAILURE;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              agent.close();
              stopped.countDown();
            },
            "custos-agent-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    agent.start();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
