package io.custos.collector.cli;

import io.custos.collector.store.HostRemoval;
import io.custos.collector.store.Store;
import io.custos.collector.store.StoreException;
import io.custos.collector.store.Stores;
import io.custos.common.config.ConfigException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code host}: manages the hosts the collector knows. */
@Command(
    name = "host",
    mixinStandardHelpOptions = true,
    description = "Manage hosts.",
    subcommands = HostCommand.Remove.class,
    footer = {"", CollectorMain.EXIT_CODES})
final class HostCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: remove");
  }

  /**
   * {@code host remove NAME [--history]}: what {@code DELETE /api/v1/hosts/{host}} does, from the
   * command line; works while the collector runs.
   */
  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = {
        "Remove a decommissioned host: its services, alert states, acknowledgements, downtimes,"
            + " pending notifications and node tokens (so a forgotten agent cannot bring it back).",
        "With --history also its metric history, events and report log."
            + " The backup catalog and archives are kept."
      },
      footer = {"", "Exit codes: 0 removed, 2 no such host or failure, 3 usage error."})
  static final class Remove implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "The host (node) name.")
    String name;

    @Option(names = "--history", description = "Also delete its metrics, events and report log.")
    boolean history;

    @Mixin ConfigOption config;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      var err = spec.commandLine().getErr();
      try (Store store = Stores.open(config.load(), Clock.systemUTC())) {
        Optional<HostRemoval> removed = store.removeHost(name, history);
        if (removed.isEmpty()) {
          err.println(
              "custos-collector: no host \""
                  + name
                  + "\" in "
                  + store.describe()
                  + "; GET /api/v1/hosts lists them");
          return CollectorMain.FAILURE;
        }
        HostRemoval r = removed.get();
        spec.commandLine()
            .getOut()
            .println(
                "removed host "
                    + r.host()
                    + ": "
                    + r.services()
                    + " service(s), "
                    + r.tokens()
                    + " node token(s) revoked"
                    + (history
                        ? ", " + r.series() + " series, " + r.events() + " event(s) deleted"
                        : "; its history is kept (--history deletes it)"));
        return CollectorMain.OK;
      } catch (ConfigException | StoreException e) {
        err.println("custos-collector: " + e.getMessage());
        return CollectorMain.FAILURE;
      }
    }
  }
}
