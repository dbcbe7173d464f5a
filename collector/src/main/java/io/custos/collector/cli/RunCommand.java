package io.custos.collector.cli;

import io.custos.collector.Collector;
import io.custos.collector.config.CollectorConfig;
import io.custos.collector.store.StoreException;
import io.custos.common.config.ConfigException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code run}: starts the collector in the foreground until SIGTERM or SIGINT, then shuts down
 * cleanly (requests in flight are answered, the database is closed).
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run the collector in the foreground until SIGTERM.",
    footer = {"", CollectorMain.EXIT_CODES})
final class RunCommand implements Callable<Integer> {
  @Mixin ConfigOption config;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    CollectorConfig cfg;
    Collector collector;
    try {
      cfg = config.load();
      collector = Collector.start(cfg, Clock.systemDefaultZone());
    } catch (ConfigException
        | StoreException
        | IllegalStateException
        | IllegalArgumentException e) {
      err.println("custos-collector: " + e.getMessage());
      return CollectorMain.FAILURE;
    }
    String host = cfg.listenHost().contains(":") ? "[" + cfg.listenHost() + "]" : cfg.listenHost();
    err.println("custos-collector: configuration " + config.describe());
    err.println("custos-collector: store " + collector.store().describe());
    String scheme = cfg.tls() == null ? "http" : "https";
    err.println("custos-collector: listening on " + scheme + "://" + host + ":" + collector.port());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  err.println("custos-collector: shutting down");
                  collector.close();
                  stopped.countDown();
                },
                "custos-shutdown"));
    stopped.await();
    return CollectorMain.OK;
  }
}
