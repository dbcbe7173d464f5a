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

  /**
   * @param runner the seam that starts processes
   * @param packageName the Debian package that holds the program, for the "not found" message
   * @param limit how long all the commands of one run may take together
   */
  public HardwareTool(CommandRunner runner, String packageName, Duration limit) {
    this.runner = runner;
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
   * Runs {@code argv} with what is left of the deadline.
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
      o = runner.run(argv, Duration.ofNanos(left));
    } catch (IOException e) {
      String m = e.getMessage() == null ? e.toString() : e.getMessage();
      if (m.contains("error=2,")) {
        throw new Failure(program + " not found (package " + packageName + ")");
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
