package io.custos.agent.backup;

import io.custos.common.units.Durations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the shell commands of a set: {@code before}/{@code after} hooks and dumps. Commands run with
 * {@code /bin/sh -c}, like cron; output goes to files, never into memory, and only the last bytes
 * of the error output are kept for the message.
 *
 * <p>Timeouts: every command has one. Each runs in its own session and process group ({@code
 * setsid}, when installed), so on expiry the whole tree is ended: {@code SIGTERM} to the group and
 * every descendant, then, {@link #GRACE} later, {@code SIGKILL} to what is left. The run then fails
 * with an {@link IOException} naming the command and the timeout. A command that ends the JVM's
 * wait by interruption is killed the same way.
 */
final class Hooks {
  /** How much of a failing command's output a message quotes. */
  static final int TAIL = 2000;

  /** How long a timed-out command has between SIGTERM and SIGKILL to clean up. */
  static final Duration GRACE = Duration.ofSeconds(10);

  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private Hooks() {}

  /**
   * Runs {@code command}, its stdout and stderr to {@code log}.
   *
   * @param timeout how long it may run before its process tree is killed
   * @throws IOException naming the command and the exit code or the timeout, with the tail of its
   *     output
   */
  static void run(String what, String command, Duration timeout, Path log) throws IOException {
    Process p =
        new ProcessBuilder(shell(command))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    String named = what + " \"" + command + "\"";
    int rc = waitFor(p, named, timeout, log);
    if (rc != 0) {
      throw new IOException(named + " failed (exit " + rc + ")" + quote(tail(log)));
    }
  }

  /**
   * Runs a dump: its stdout is written to {@code out} by the kernel (the JVM never holds it), its
   * stderr to {@code errLog}.
   *
   * @param timeout how long it may run before its process tree is killed
   * @throws IOException naming the dump and the exit code or the timeout, with the tail of its
   *     error output
   */
  static void dump(String name, String command, Duration timeout, Path out, Path errLog)
      throws IOException {
    Process p =
        new ProcessBuilder(shell(command))
            .redirectOutput(out.toFile())
            .redirectError(errLog.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    String named = "dump " + name + " (\"" + command + "\")";
    int rc = waitFor(p, named, timeout, errLog);
    if (rc != 0) {
      throw new IOException(named + " failed (exit " + rc + ")" + quote(tail(errLog)));
    }
  }

  /** {@code sh -c command}, in a new session when {@code setsid} is there. */
  private static List<String> shell(String command) {
    List<String> cmd = new ArrayList<>();
    if (Files.isExecutable(SETSID)) {
      cmd.add(SETSID.toString());
    }
    cmd.addAll(List.of("/bin/sh", "-c", command));
    return cmd;
  }

  private static int waitFor(Process p, String named, Duration timeout, Path log)
      throws IOException {
    try {
      if (p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return p.exitValue();
      }
    } catch (InterruptedException e) {
      killTree(p);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + named + "; killed it", e);
    }
    killTree(p);
    throw new IOException(
        named
            + " timed out after "
            + Durations.format(timeout)
            + " and was killed with its child processes"
            + quote(tail(log)));
  }

  /**
   * Ends {@code p}, its process group and its descendants: SIGTERM, then SIGKILL after {@link
   * #GRACE}. A descendant that left both (its own {@code setsid}, then reparented) is beyond reach.
   */
  static void killTree(Process p) {
    List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
    signalGroup(p.pid(), "TERM");
    tree.forEach(ProcessHandle::destroy);
    p.destroy();
    try {
      p.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    tree.addAll(p.descendants().toList());
    signalGroup(p.pid(), "KILL");
    tree.forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  /** {@code kill -SIG -- -pgid}; the group is the command's own only when setsid made it so. */
  private static void signalGroup(long pgid, String signal) {
    if (!Files.isExecutable(SETSID)) {
      return;
    }
    try {
      new ProcessBuilder("kill", "-" + signal, "--", "-" + pgid)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (IOException e) {
      // the descendants are still signalled one by one
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String quote(String tail) {
    return tail.isEmpty() ? "" : ": " + tail;
  }

  /** The last {@link #TAIL} bytes of {@code file} as one line. */
  static String tail(Path file) {
    try (var ch = Files.newByteChannel(file)) {
      long size = ch.size();
      long from = Math.max(0, size - TAIL);
      ch.position(from);
      var buf = java.nio.ByteBuffer.allocate((int) (size - from));
      while (buf.hasRemaining() && ch.read(buf) > 0) {
        // read fully
      }
      String s = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
      return (from > 0 ? "..." : "") + String.join(" | ", s.lines().toList());
    } catch (IOException e) {
      return "";
    }
  }

  /** Runs each command in order, each with {@code timeout}, stopping at the first failure. */
  static void runAll(String what, List<String> commands, Duration timeout, Path log)
      throws IOException {
    for (String c : commands) {
      run(what, c, timeout, log);
    }
  }
}
