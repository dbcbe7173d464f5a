package io.custos.agent.check;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Runs the program behind a hardware check ({@code ipmitool}, {@code ipmi-sensors}, {@code
 * smartctl}, {@code virsh}) through the {@link CommandRunner} seam, within one deadline shared by
 * the check's commands, and turns the ways it can fail into one sentence for an UNKNOWN result.
 *
 * <p>Failure behaviour: a program that is not installed is {@code "ipmitool not found (package
 * ipmitool)"}; one that outlives the deadline is killed with its process tree and is {@code
 * "ipmitool timed out after 9.5s (killed)"}; each is thrown as {@link Failure}.
 */
public final class HardwareTool {
  private final CommandRunner runner;
  private final String packageName;
  private final long deadlineNanos;
  private final Duration limit;
  private final ToolPaths paths;

  public HardwareTool(CommandRunner runner, String packageName, Duration limit) {
    this(runner, packageName, limit, ToolPaths.PATH);
  }

  /**
   * @param runner the seam that starts processes
   * @param packageName the Debian package that holds the program, for the "not found" message
   * @param limit how long all the commands of one run may take together
   * @param paths where the programs are when not on {@code PATH}
   */
  public HardwareTool(CommandRunner runner, String packageName, Duration limit, ToolPaths paths) {
    this.runner = runner;
    this.paths = paths == null ? ToolPaths.PATH : paths;
    this.packageName = packageName;
    this.limit = limit;
    this.deadlineNanos = System.nanoTime() + limit.toNanos();
  }

  /** Why a program gave no usable output; the message is the UNKNOWN result's text. */
  public static final class Failure extends Exception {
    public Failure(String message) {
      super(message);
    }
  }

  /**
   * Runs {@code argv} with what is left of the deadline; {@code argv[0]} is the program's name
   * ({@code ipmi-sel}), started from its configured path when it has one.
   *
   * @throws Failure when the program is missing, cannot start or times out
   */
  public CommandRunner.Output run(List<String> argv) throws Failure, InterruptedException {
    String program = argv.get(0);
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) {
      throw new Failure(program + " timed out after " + CheckRunner.format(limit) + " (killed)");
    }
    CommandRunner.Output o;
    try {
      List<String> command = new java.util.ArrayList<>(argv);
      command.set(0, paths.resolve(program));
      o = runner.run(command, Duration.ofNanos(left));
    } catch (IOException e) {
      String m = e.getMessage() == null ? e.toString() : e.getMessage();
      if (m.contains("error=2,")) {
        String at = paths.resolve(program);
        throw new Failure(
            (at.equals(program) ? program : program + " (" + at + ")")
                + " not found (package "
                + packageName
                + ")");
      }
      int i = m.indexOf("error=");
      throw new Failure("cannot run " + program + ": " + (i >= 0 ? m.substring(i) : m));
    }
    if (o.timedOut()) {
      throw new Failure(program + " timed out after " + CheckRunner.format(limit) + " (killed)");
    }
    return o;
  }

  /** The first line of standard error, or of standard output when that is empty, for messages. */
  public static String firstLine(CommandRunner.Output o) {
    String s = o.stderr().isBlank() ? o.stdout() : o.stderr();
    s = s.strip();
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl).strip();
  }
}
