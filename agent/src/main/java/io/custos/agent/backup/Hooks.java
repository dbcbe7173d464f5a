package io.custos.agent.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs the shell commands of a set: {@code before}/{@code after} hooks and dumps. Commands run with
 * {@code /bin/sh -c}, like cron; output goes to files, never into memory, and only the last bytes
 * of the error output are kept for the message.
 */
final class Hooks {
  /** How much of a failing command's output a message quotes. */
  static final int TAIL = 2000;

  private Hooks() {}

  /**
   * Runs {@code command}, its stdout and stderr to {@code log}.
   *
   * @throws IOException naming the command, the exit code and the tail of its output
   */
  static void run(String what, String command, Path log) throws IOException {
    Process p =
        new ProcessBuilder("/bin/sh", "-c", command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    int rc = waitFor(p, command);
    if (rc != 0) {
      throw new IOException(
          what + " \"" + command + "\" failed (exit " + rc + ")" + quote(tail(log)));
    }
  }

  /**
   * Runs a dump: its stdout is written to {@code out} by the kernel (the JVM never holds it), its
   * stderr to {@code errLog}.
   *
   * @throws IOException naming the dump, the exit code and the tail of its error output
   */
  static void dump(String name, String command, Path out, Path errLog) throws IOException {
    Process p =
        new ProcessBuilder("/bin/sh", "-c", command)
            .redirectOutput(out.toFile())
            .redirectError(errLog.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    int rc = waitFor(p, command);
    if (rc != 0) {
      throw new IOException(
          "dump " + name + " (\"" + command + "\") failed (exit " + rc + ")" + quote(tail(errLog)));
    }
  }

  private static int waitFor(Process p, String command) throws IOException {
    try {
      return p.waitFor();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running \"" + command + "\"", e);
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

  /** Runs each command in order, stopping at the first failure. */
  static void runAll(String what, List<String> commands, Path log) throws IOException {
    for (String c : commands) {
      run(what, c, log);
    }
  }
}
