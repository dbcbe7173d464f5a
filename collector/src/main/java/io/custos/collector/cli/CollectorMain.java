package io.custos.collector.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code custos-collector}: the command line. Only wiring; the work is in {@link
 * io.custos.collector.Collector} and the store. Exit codes follow the Nagios convention: 0 ok, 2
 * failure, 3 usage error.
 */
@Command(
    name = "custos-collector",
    mixinStandardHelpOptions = true,
    versionProvider = CollectorMain.Version.class,
    description = "Receives Custos agents' reports, keeps their state and answers operators.",
    subcommands = {
      RunCommand.class,
      CheckConfigCommand.class,
      TokenCommand.class,
      HostCommand.class,
      TestEmailCommand.class,
      ReloadCommand.class
    },
    footer = {"", CollectorMain.EXIT_CODES})
public final class CollectorMain implements Runnable {
  static final String EXIT_CODES =
      "Exit codes: 0 ok, 2 failure (bad configuration, store or address unusable), 3 usage error.";
  static final int OK = 0;
  static final int FAILURE = 2;
  static final int USAGE = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(System.out, System.err, args));
  }

  /** Runs the command line with the given streams; returns the exit code. */
  public static int execute(PrintStream out, PrintStream err, String... args) {
    CommandLine cmd = new CommandLine(new CollectorMain());
    cmd.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cmd.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cmd.setParameterExceptionHandler(
        (ex, a) -> {
          CommandLine c = ex.getCommandLine();
          c.getErr().println("custos-collector: " + ex.getMessage());
          c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
          return USAGE;
        });
    cmd.setExecutionExceptionHandler(
        (ex, c, parsed) -> {
          c.getErr().println("custos-collector: " + ex);
          return FAILURE;
        });
    return cmd.execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing command: run, check-config, token, host or test-email");
  }

  /** The version from the build, {@code custos-collector 0.1.0}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = CollectorMain.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {"custos-collector " + p.getProperty("version", "unknown")};
    }
  }
}
