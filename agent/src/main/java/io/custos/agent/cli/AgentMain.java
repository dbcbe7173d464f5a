package io.custos.agent.cli;

import io.custos.agent.AgentVersion;
import io.custos.agent.check.CommandRunner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code custos-agent} command line: {@code run}, {@code check} and {@code check-config}. Exit
 * codes follow Nagios: 0 ok, 1 warning, 2 critical or failure, 3 unknown or usage error.
 */
@Command(
    name = "custos-agent",
    mixinStandardHelpOptions = true,
    versionProvider = AgentMain.Version.class,
    description = "Checks this node and reports to a Custos collector.",
    subcommands = {
      RunCommand.class,
      CheckCommand.class,
      CheckConfigCommand.class,
      BackupCommand.class,
      RestoreCommand.class,
      DiffCommand.class,
      RollbackCommand.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  OK",
      "  1  warning",
      "  2  critical, or failure (bad configuration, cannot start)",
      "  3  unknown, or usage error%n"
    })
public final class AgentMain implements Runnable {
  /** Exit code of a usage error, as for a Nagios plugin's UNKNOWN. */
  static final int USAGE = 3;

  /** Exit code of a failure. */
  static final int FAILURE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args, new Env(System.getenv(), AgentConfigFiles.DEFAULT, Path.of("/"))));
  }

  /** Runs the command line with the given environment and returns the exit code. */
  static int execute(String[] args, Env env) {
    return execute(args, env, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
  }

  static int execute(String[] args, Env env, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new AgentMain(), new Factory(env));
    cli.setOut(out);
    cli.setErr(err);
    setExitCodes(cli);
    return cli.execute(args);
  }

  // Picocli takes these codes from the command that failed, so every subcommand needs them.
  private static void setExitCodes(CommandLine cli) {
    cli.getCommandSpec().exitCodeOnInvalidInput(USAGE).exitCodeOnExecutionException(FAILURE);
    cli.getSubcommands().values().forEach(AgentMain::setExitCodes);
  }

  @Override
  public void run() {
    // No subcommand: that is a usage error, shown with the usage.
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  /**
   * What the commands take from outside the arguments, so tests can supply their own.
   *
   * @param variables environment variables ({@code CUSTOS_TOKEN})
   * @param defaultConfig the file read when {@code --config} is not given, if it exists
   * @param root default for {@code --root}
   * @param clock the time backups are named by and {@code --at} is read in (its zone)
   * @param commands what checks start programs through (tests give one whose PATH lacks a tool)
   */
  record Env(
      Map<String, String> variables,
      Path defaultConfig,
      Path root,
      Clock clock,
      CommandRunner commands) {
    Env(Map<String, String> variables, Path defaultConfig, Path root) {
      this(variables, defaultConfig, root, Clock.systemDefaultZone());
    }

    Env(Map<String, String> variables, Path defaultConfig, Path root, Clock clock) {
      this(variables, defaultConfig, root, clock, CommandRunner.SYSTEM);
    }
  }

  /** Gives every command the environment. */
  private static final class Factory implements CommandLine.IFactory {
    private final Env env;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    Factory(Env env) {
      this.env = env;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
      if (cls == RunCommand.class) {
        return cls.cast(new RunCommand(env));
      }
      if (cls == CheckCommand.class) {
        return cls.cast(new CheckCommand(env));
      }
      if (cls == CheckConfigCommand.class) {
        return cls.cast(new CheckConfigCommand(env));
      }
      for (var c : cls.getDeclaredConstructors()) {
        // Backup commands (and their subcommands) take the environment too.
        if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == Env.class) {
          c.setAccessible(true);
          return cls.cast(c.newInstance(env));
        }
      }
      return fallback.create(cls);
    }
  }

  /** The version for {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"custos-agent " + AgentVersion.get()};
    }
  }
}
