package io.custos.agent.check;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The seam through which checks run programs ({@code systemctl}, {@code who}, plugins), so tests
 * can answer with captured output instead.
 */
@FunctionalInterface
public interface CommandRunner {
  /** Output is cut at this many bytes per stream, as Nagios 4 does. */
  int MAX_OUTPUT = 64 * 1024;

  /**
   * What a program did.
   *
   * @param exit its exit code, or -1 when it timed out
   * @param stdout standard output, at most {@link #MAX_OUTPUT} bytes
   * @param stderr standard error, likewise
   * @param timedOut true when it was killed for taking longer than the timeout
   */
  record Output(int exit, String stdout, String stderr, boolean timedOut) {}

  /**
   * Runs {@code argv} (no shell) with standard input closed.
   *
   * @throws IOException when the program cannot be started
   */
  Output run(List<String> argv, Duration timeout) throws IOException, InterruptedException;

  /** Runs real processes; on timeout or interrupt kills the whole process tree. */
  CommandRunner SYSTEM = CommandRunner::runProcess;

  private static Output runProcess(List<String> argv, Duration timeout)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).start();
    try {
      p.getOutputStream().close();
      Drain out = new Drain(p.getInputStream());
      Drain err = new Drain(p.getErrorStream());
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        killTree(p);
        return new Output(-1, out.text(), err.text(), true);
      }
      // A child that inherited the pipes may keep them open; do not wait on it for long.
      out.join(1000);
      err.join(1000);
      return new Output(p.exitValue(), out.text(), err.text(), false);
    } finally {
      killTree(p);
    }
  }

  private static void killTree(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    if (p.isAlive()) {
      p.destroyForcibly();
    }
  }

  /** Reads a stream to its end on a daemon thread, keeping the first {@link #MAX_OUTPUT} bytes. */
  final class Drain extends Thread {
    private final InputStream in;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

    Drain(InputStream in) {
      super("custos-command-output");
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
