package io.custos.collector.cli;

import io.custos.collector.store.StoreException;
import io.custos.common.config.ConfigException;
import io.custos.common.config.ReloadOnHangup;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code run}: starts the collector in the foreground until SIGTERM or SIGINT, then shuts down
 * cleanly (requests in flight are answered, the database is closed). SIGHUP reloads the
 * configuration ({@link CollectorDaemon#reload()}): an invalid file is refused with the reason
 * logged and the running configuration kept.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run the collector in the foreground until SIGTERM.",
      "SIGHUP reloads the configuration; an invalid one is refused and the old one kept."
    },
    footer = {"", CollectorMain.EXIT_CODES})
final class RunCommand implements Callable<Integer> {
  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    CollectorDaemon daemon;
    try {
      daemon = CollectorDaemon.start(config, Clock.systemDefaultZone(), err);
    } catch (ConfigException
        | StoreException
        | IllegalStateException
        | IllegalArgumentException e) {
      err.println("custos-collector: " + e.getMessage());
      return CollectorMain.FAILURE;
    }
    err.println("custos-collector: configuration " + config.describe());
    err.println("custos-collector: store " + daemon.collector().store().describe());
    err.println("custos-collector: listening on " + daemon.address());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  err.println("custos-collector: shutting down");
                  daemon.close();
                },
                "custos-shutdown"));
    ReloadOnHangup hangup = ReloadOnHangup.install(daemon::reload);
    daemon.reloadThrough(hangup::request);
    if (!hangup.signalHandled()) {
      err.println(
          "custos-collector: "
              + ReloadOnHangup.unavailableMessage(
                  "custos-collector reload (POST /api/v1/reload with an admin token)"));
    }
    try {
      daemon.awaitStop();
    } finally {
      hangup.close();
    }
    return daemon.failed() ? CollectorMain.FAILURE : CollectorMain.OK;
  }
}
