package io.custos.agent.check.plugin;

import io.custos.agent.check.Check;
import io.custos.agent.check.CheckContext;
import io.custos.agent.check.CheckRunner;
import io.custos.agent.check.CommandRunner;
import io.custos.agent.check.Schedule;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs a Nagios-compatible plugin. See {@link CommandConfig} for the YAML:
 *
 * <pre>{@code
 * - { type: command, name: Current Users, command: "/usr/lib/nagios/plugins/check_users -w 5 -c 10" }
 * }</pre>
 *
 * <p>Exit code 0–3 is the status (anything else UNKNOWN, as Nagios does); the first line's text
 * before {@code |} is the output, later lines the long output, and the perfdata become metrics (see
 * {@link Perfdata}). Standard error is kept only when standard output is empty, to explain the
 * failure. Output is cut at 64 KiB, as Nagios 4 does.
 *
 * <p>Failure behaviour: a plugin that has not exited within the timeout (a little less than the
 * check's {@code timeout}, so this check, not the runner, reports it) is killed with its whole
 * process tree and reported UNKNOWN "timed out after 10s"; a plugin that cannot be started is
 * UNKNOWN with the reason. The process tree is also killed when the runner interrupts the check.
 */
public final class CommandCheck implements Check {
  private final CommandConfig config;
  private final Schedule schedule;
  private final List<String> argv;
  private final String name;
  private final CommandRunner runner;

  public CommandCheck(CommandConfig config) {
    this(config, CommandRunner.SYSTEM);
  }

  /** With every shared key at the kind's default. */
  public CommandCheck(CommandConfig config, CommandRunner runner) {
    this(config, config.defaultSchedule(), runner);
  }

  /**
   * The check for one {@code checks:} entry: its own keys, its shared keys ({@code name}, {@code
   * timeout}), and the runner through which it starts programs.
   */
  public CommandCheck(CommandConfig config, Schedule schedule, CommandRunner runner) {
    this.config = config;
    this.schedule = schedule;
    this.runner = runner;
    this.argv = CommandConfig.split(config.command());
    this.name =
        schedule.name() != null ? schedule.name() : Path.of(argv.get(0)).getFileName().toString();
  }

  @Override
  public String kind() {
    return "command";
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<CheckResult> run(CheckContext context) throws Exception {
    Duration limit = Schedule.ownTimeout(schedule.timeout());
    CommandRunner.Output o;
    try {
      o = runner.run(argv, limit);
    } catch (IOException e) {
      return List.of(
          result(Status.UNKNOWN, "cannot run " + argv.get(0) + ": " + reason(e), context.now()));
    }
    if (o.timedOut()) {
      return List.of(
          result(
              Status.UNKNOWN,
              "timed out after " + CheckRunner.format(limit) + ": " + argv.get(0),
              context.now()));
    }
    return List.of(result(o.exit(), o.stdout(), o.stderr(), name, context.now()));
  }

  /** A plugin's result from its exit code and outputs; pure. */
  public static CheckResult result(
      int exit, String stdout, String stderr, String service, long now) {
    Perfdata.Output parsed = Perfdata.parse(stdout);
    Status status = Status.fromExitCode(exit);
    String text = parsed.text();
    String longOutput = parsed.longOutput();
    if (!parsed.skipped().isEmpty()) {
      String note = "perfdata skipped: " + String.join("; ", parsed.skipped());
      longOutput = longOutput == null ? note : longOutput + "\n" + note;
    }
    if (text.isEmpty()) {
      String e = stderr.strip();
      int nl = e.indexOf('\n');
      text = e.isEmpty() ? "no output" : nl < 0 ? e : e.substring(0, nl);
      text = "COMMAND " + status + " - " + text + " (exit " + exit + ")";
    } else if (exit < 0 || exit > 3) {
      text = text + " (exit " + exit + ")";
    }
    return new CheckResult(
        service,
        "command",
        status,
        text.replaceAll("[\\r\\n]+", " "),
        longOutput,
        now,
        parsed.metrics());
  }

  private CheckResult result(Status status, String text, long now) {
    return new CheckResult(
        name, "command", status, "COMMAND " + status + " - " + text, now, List.of());
  }

  private static String reason(IOException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    int i = m.indexOf("error=");
    return i >= 0 ? m.substring(i) : m;
  }
}
