package io.custos.collector.cli;

import io.custos.collector.config.CollectorConfig;
import io.custos.collector.store.Role;
import io.custos.collector.store.Store;
import io.custos.collector.store.StoreException;
import io.custos.collector.store.Stores;
import io.custos.collector.store.Tokens;
import io.custos.common.config.ConfigException;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code token}: manages API tokens. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = "Manage API tokens.",
    subcommands = TokenCommand.Create.class,
    footer = {"", CollectorMain.EXIT_CODES})
final class TokenCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command: create");
  }

  /**
   * {@code token create}: prints a new token on stdout, alone on one line so scripts can capture
   * it, and a note on stderr. Only the token's hash is stored; it cannot be shown again. Works
   * while the collector runs (SQLite serialises the writers).
   */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create a token and print it once on stdout.",
        "A node token posts reports for its node only; an operator token reads;"
            + " an admin token also downloads backups."
      },
      footer = {
        "",
        "Example: TOKEN=$(custos-collector token create --node web01)",
        CollectorMain.EXIT_CODES
      })
  static final class Create implements Callable<Integer> {
    static final class Kind {
      @Option(names = "--node", paramLabel = "NAME", description = "Token for this node.")
      String node;

      @Option(
          names = "--role",
          paramLabel = "ROLE",
          converter = ReaderRole.class,
          description = "operator or admin.")
      Role role;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Kind kind;

    @Mixin ConfigOption config;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      var err = spec.commandLine().getErr();
      try {
        CollectorConfig cfg = config.load();
        Role role = kind.node != null ? Role.NODE : kind.role;
        try (Store store = Stores.open(cfg, Clock.systemUTC())) {
          String token = new Tokens().issue(store, role, kind.node);
          spec.commandLine().getOut().println(token);
          err.println(
              "custos-collector: created "
                  + (kind.node != null
                      ? "a node token for " + kind.node
                      : "an " + role.id() + " token")
                  + " in "
                  + store.describe()
                  + "; it is shown only this once");
        }
        return CollectorMain.OK;
      } catch (ConfigException | StoreException e) {
        err.println("custos-collector: " + e.getMessage());
        return CollectorMain.FAILURE;
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
  }

  /** Accepts only the roles that {@code --role} may create. */
  static final class ReaderRole implements CommandLine.ITypeConverter<Role> {
    @Override
    public Role convert(String value) {
      Role r;
      try {
        r = Role.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(
            "expected operator|admin, got \"" + value + "\"");
      }
      if (r == Role.NODE) {
        throw new CommandLine.TypeConversionException(
            "a node token needs its node: use --node NAME instead of --role node");
      }
      return r;
    }
  }
}
