package io.custos.agent.cli;

import io.custos.agent.backup.Progress;
import io.custos.agent.backup.Sizes;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows a backup's or restore's progress on one terminal line of stderr (entries, bytes, rate and,
 * when the total is known, ETA), refreshed every second. Does nothing when stdout/stdin are not a
 * terminal ({@code System.console()} is null), so cron mails and logs stay clean.
 */
final class ProgressPrinter implements AutoCloseable {
  private final Progress progress;
  private final PrintWriter err;
  private final Thread thread;
  private final long start = System.nanoTime();
  private volatile boolean done;

  private ProgressPrinter(Progress progress, PrintWriter err, boolean active) {
    this.progress = progress;
    this.err = err;
    this.thread = active ? new Thread(this::loop, "custos-progress") : null;
    if (thread != null) {
      thread.setDaemon(true);
      thread.start();
    }
  }

  /** A printer that is active only on a terminal. */
  static ProgressPrinter start(Progress progress, PrintWriter err) {
    return new ProgressPrinter(progress, err, System.console() != null);
  }

  private void loop() {
    while (!done) {
      try {
        Thread.sleep(1000); // a display refresh, not a wait for I/O
      } catch (InterruptedException e) {
        return;
      }
      if (!done) {
        err.print("\r" + line() + "\u001b[K");
        err.flush();
      }
    }
  }

  String line() {
    double secs = Math.max(0.001, (System.nanoTime() - start) / 1e9);
    long bytes = progress.bytes();
    double rate = bytes / secs;
    String s =
        String.format(
            Locale.ROOT,
            "%,d entries  %s  %s/s",
            progress.entries(),
            Sizes.human(bytes),
            Sizes.human((long) rate));
    long total = progress.total();
    if (total > 0 && rate > 0) {
      long eta = (long) Math.max(0, (total - bytes) / rate);
      s +=
          String.format(
              Locale.ROOT,
              "  %d%%  ETA %d:%02d:%02d",
              Math.min(100, bytes * 100 / total),
              eta / 3600,
              eta / 60 % 60,
              eta % 60);
    }
    return s;
  }

  @Override
  public void close() {
    done = true;
    if (thread != null) {
      thread.interrupt();
      err.print("\r\u001b[K");
      err.flush();
    }
  }
}
