package io.custos.agent.check;

import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
final class CommandCheck implements Check {
  static final int MAX_OUTPUT = 64 * 1024;

  private final CommandConfig config;
  private final List<String> argv;
  private final String name;

  CommandCheck(CommandConfig config) {
    this.config = config;
    this.argv = CommandConfig.split(config.command());
    this.name =
        config.name() != null ? config.name() : Path.of(argv.get(0)).getFileName().toString();
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
    Duration limit = ownTimeout(config.timeout());
    Process p;
    try {
      p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    } catch (IOException e) {
      return List.of(
          result(Status.UNKNOWN, "cannot run " + argv.get(0) + ": " + reason(e), context.now()));
    }
    p.getOutputStream().close();
    Drain out = new Drain(p.getInputStream());
    Drain err = new Drain(p.getErrorStream());
    try {
      if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        killTree(p);
        return List.of(
            result(
                Status.UNKNOWN,
                "timed out after " + CheckRunner.format(limit) + ": " + argv.get(0),
                context.now()));
      }
      out.join(1000);
      err.join(1000);
      return List.of(result(p.exitValue(), out.text(), err.text(), name, context.now()));
    } finally {
      killTree(p);
    }
  }

  /** A plugin's result from its exit code and outputs; pure. */
  static CheckResult result(int exit, String stdout, String stderr, String service, long now) {
    Perfdata.Output parsed = Perfdata.parse(stdout);
    Status status = Status.fromExitCode(exit);
    String text = parsed.text();
    String longOutput = parsed.longOutput();
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

  /** The plugin's own limit: 95% of the check's timeout, so this check reports it first. */
  static Duration ownTimeout(Duration timeout) {
    return Duration.ofMillis(Math.max(1, timeout.toMillis() * 95 / 100));
  }

  private static void killTree(Process p) {
    if (!p.isAlive() && p.descendants().findAny().isEmpty()) {
      return;
    }
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  private static String reason(IOException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    int i = m.indexOf("error=");
    return i >= 0 ? m.substring(i) : m;
  }

  /** Reads a stream to its end on a daemon thread, keeping the first {@link #MAX_OUTPUT} bytes. */
  private static final class Drain extends Thread {
    private final InputStream in;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

    Drain(InputStream in) {
      super("custos-plugin-output");
      this.in = in;
      setDaemon(true);
      start();
    }

    @Override
    public void run() {
      byte[] buf = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          synchronized (kept) {
            int room = MAX_OUTPUT - kept.size();
            if (room > 0) {
              kept.write(buf, 0, Math.min(room, n));
            }
          }
        }
      } catch (IOException e) {
        // the process was killed or the stream closed: keep what was read
      }
    }

    String text() {
      synchronized (kept) {
        return kept.toString(StandardCharsets.UTF_8);
      }
    }
  }
}
