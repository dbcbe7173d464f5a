package io.custos.agent.check;

import io.custos.agent.check.os.SysText;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Status;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every configured check once per call, all at the same time, each bounded by its own timeout,
 * and returns their results in configuration order.
 *
 * <p>Failure behaviour: nothing a check does stops the others or the caller. A check that throws
 * becomes one UNKNOWN result for {@link Check#name()} with the reason as output; one that has not
 * returned within its timeout becomes UNKNOWN "timed out after 10s" and is interrupted. A check
 * still stuck in an earlier run (a hung NFS statvfs ignores interrupts) is not started again: it is
 * UNKNOWN "still running" until it returns, so stuck threads do not pile up. A failure is logged
 * once when its reason changes (the stack trace at debug level), not every cycle.
 */
public final class CheckRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CheckRunner.class);

  /**
   * One check, when it runs and how long its problems must hold.
   *
   * @param check the check
   * @param schedule interval, timeout, {@code for}, {@code times}/{@code within}
   * @param service the configured {@code name}, or null for the check's own
   */
  public record Task(Check check, Schedule schedule, String service) {
    public Task {
      Objects.requireNonNull(check, "check");
      Objects.requireNonNull(schedule, "schedule");
      if (service != null && service.isBlank()) {
        throw new IllegalArgumentException("name must not be blank");
      }
    }

    /** A check run every cycle, reported at once, bounded by {@code timeout}. */
    public Task(Check check, Duration timeout) {
      this(check, positive(timeout), null);
    }

    private static Schedule positive(Duration timeout) {
      if (timeout == null || timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("timeout must be positive, got " + timeout);
      }
      return new Schedule(null, timeout, null, null, null);
    }

    /** How long a run may take. */
    public Duration timeout() {
      return schedule.timeout();
    }

    /** The service name of the UNKNOWN result when the check as a whole fails. */
    String name() {
      return service != null ? service : check.name();
    }
  }

  private final List<Task> tasks;
  private final CheckContext context;
  private final ExecutorService executor;
  private final Future<?>[] running;
  // A cancelled future is done at once, but its thread may still be stuck; this counts threads.
  private final AtomicInteger[] inside;
  // Per task: when it last ran (clock millis, -1 never), what it reported then, its hold.
  private final long[] lastRun;
  private final List<List<CheckResult>> lastResults;
  private final Hold[] holds;
  // Per task: the last failure logged, so a broken input logs once per change, not every cycle.
  private final String[] lastFailure;

  public CheckRunner(List<Task> tasks, Path root, Clock clock) {
    this.tasks = List.copyOf(tasks);
    this.context = new CheckContext(root, clock);
    this.running = new Future<?>[this.tasks.size()];
    this.inside = new AtomicInteger[this.tasks.size()];
    this.lastRun = new long[this.tasks.size()];
    this.lastResults = new ArrayList<>();
    this.holds = new Hold[this.tasks.size()];
    this.lastFailure = new String[this.tasks.size()];
    for (int i = 0; i < inside.length; i++) {
      inside[i] = new AtomicInteger();
      lastRun[i] = -1;
      lastResults.add(List.of());
      Schedule schedule = this.tasks.get(i).schedule();
      holds[i] = schedule.holds() ? new Hold(schedule) : null;
    }
    AtomicInteger n = new AtomicInteger();
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "custos-check-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** A runner for configured checks, each with its configured timeout. */
  public static CheckRunner of(List<CheckConfig> configs, Path root, Clock clock) {
    return of(configs, root, clock, CommandRunner.SYSTEM);
  }

  /** A runner for configured checks whose programs start through {@code commands}. */
  public static CheckRunner of(
      List<CheckConfig> configs, Path root, Clock clock, CommandRunner commands) {
    List<Task> tasks = new ArrayList<>();
    for (CheckConfig c : configs) {
      tasks.add(new Task(CheckRegistry.create(c, commands), c.schedule(), c.name()));
    }
    return new CheckRunner(tasks, root, clock);
  }

  /**
   * Runs every check that is due once; a check whose {@code interval} has not elapsed contributes
   * its last results again. Never throws for what a check does.
   */
  public synchronized List<CheckResult> runAll() {
    long start = System.nanoTime();
    long now = context.now();
    boolean[] due = new boolean[tasks.size()];
    List<Future<List<CheckResult>>> futures = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      Check check = tasks.get(i).check();
      due[i] = isDue(tasks.get(i).schedule(), lastRun[i], now);
      if (!due[i]) {
        futures.add(null);
        continue;
      }
      AtomicInteger in = inside[i];
      if (in.get() > 0 || running[i] != null && !running[i].isDone()) {
        futures.add(null);
        continue;
      }
      Future<List<CheckResult>> f =
          executor.submit(
              () -> {
                in.incrementAndGet();
                try {
                  return check.run(context);
                } finally {
                  in.decrementAndGet();
                }
              });
      running[i] = f;
      futures.add(f);
    }
    List<CheckResult> results = new ArrayList<>();
    for (int i = 0; i < tasks.size(); i++) {
      if (!due[i]) {
        results.addAll(lastResults.get(i));
        continue;
      }
      List<CheckResult> mine = collect(i, futures.get(i), start);
      if (holds[i] != null) {
        mine = holds[i].apply(mine);
      }
      lastRun[i] = now;
      lastResults.set(i, mine);
      results.addAll(mine);
    }
    return results;
  }

  /**
   * Takes a first sample for every rate check ({@link RateCheck}: CPU, disk I/O, network) without
   * reporting it, so that a one-shot run that follows after a short wait has rates instead of
   * "first sample". A failing sample is ignored: the run that follows reports the failure.
   *
   * @return how many rate checks were sampled; 0 means there is no need to wait
   */
  public synchronized int sampleRates() {
    int n = 0;
    for (Task t : tasks) {
      if (t.check() instanceof RateCheck rate) {
        try {
          rate.sample(context);
          n++;
        } catch (Exception | LinkageError e) {
          LOG.debug("first sample of {} failed", t.check().kind(), e);
        }
      }
    }
    return n;
  }

  /**
   * True when a task with this schedule, last run at {@code lastRun}, should run at {@code now}. A
   * little early counts (a tenth of the interval, at most a second), so that scheduling jitter does
   * not turn a 60s interval on a 30s cycle into every third cycle.
   */
  static boolean isDue(Schedule schedule, long lastRun, long now) {
    if (lastRun < 0 || schedule.interval() == null) {
      return true;
    }
    long interval = schedule.interval().toMillis();
    long slack = Math.min(1000, interval / 10);
    return now - lastRun >= interval - slack;
  }

  private List<CheckResult> collect(int i, Future<List<CheckResult>> f, long start) {
    Task task = tasks.get(i);
    List<CheckResult> results = new ArrayList<>();
    if (f == null) {
      results.add(unknown(task, "still running from an earlier cycle"));
      return results;
    }
    long remaining = start + task.timeout().toNanos() - System.nanoTime();
    try {
      List<CheckResult> r = f.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
      if (r == null) {
        throw new ExecutionException(new IllegalStateException("check returned no result list"));
      }
      results.addAll(oneResultPerService(renamed(r, task.service()), task.check().kind()));
      if (lastFailure[i] != null) {
        LOG.info("check {} works again", task.check().kind());
        lastFailure[i] = null;
      }
    } catch (TimeoutException e) {
      f.cancel(true);
      LOG.warn("check {} timed out after {}", task.check().kind(), format(task.timeout()));
      results.add(unknown(task, "timed out after " + format(task.timeout())));
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      String reason = describe(cause);
      if (!reason.equals(lastFailure[i])) {
        LOG.warn("check {} failed: {}", task.check().kind(), reason);
        LOG.debug("check {} failed", task.check().kind(), cause);
        lastFailure[i] = reason;
      }
      results.add(unknown(task, reason));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      results.add(unknown(task, "interrupted"));
    }
    return results;
  }

  /**
   * The results of one check with every service name once: results that share a name (two disks a
   * check could not tell apart) would overwrite each other on the collector, which refuses such a
   * report; they become one UNKNOWN naming them and their statuses, in place of the first.
   */
  static List<CheckResult> oneResultPerService(List<CheckResult> results, String kind) {
    Map<String, List<CheckResult>> byName = new java.util.LinkedHashMap<>();
    for (CheckResult r : results) {
      byName.computeIfAbsent(r.service(), k -> new ArrayList<>()).add(r);
    }
    if (byName.size() == results.size()) {
      return results;
    }
    List<CheckResult> out = new ArrayList<>();
    byName.forEach(
        (service, same) -> {
          if (same.size() == 1) {
            out.add(same.get(0));
            return;
          }
          CheckResult first = same.get(0);
          String statuses =
              same.stream().map(c -> c.status().name()).collect(Collectors.joining(", "));
          out.add(
              new CheckResult(
                  service,
                  first.check(),
                  Status.UNKNOWN,
                  kind.toUpperCase(java.util.Locale.ROOT)
                      + " UNKNOWN - "
                      + same.size()
                      + " results named \""
                      + service
                      + "\" ("
                      + statuses
                      + "): two things under one name, not judged until they are told apart",
                  first.time(),
                  List.of()));
        });
    return out;
  }

  /** The one result of a single-service check under its configured name. */
  private static List<CheckResult> renamed(List<CheckResult> r, String service) {
    if (service == null || r.size() != 1) {
      return r;
    }
    CheckResult c = r.get(0);
    return List.of(
        new CheckResult(
            service, c.check(), c.status(), c.output(), c.longOutput(), c.time(), c.metrics()));
  }

  private CheckResult unknown(Task task, String reason) {
    Check check = task.check();
    String output = check.kind().toUpperCase(java.util.Locale.ROOT) + " UNKNOWN - " + reason;
    return new CheckResult(
        task.name(), check.kind(), Status.UNKNOWN, oneLine(output), context.now(), List.of());
  }

  /** The reason for output text: the message, or the exception's name when it has none. */
  public static String describe(Throwable t) {
    String msg = t.getMessage();
    String name = t.getClass().getSimpleName();
    if (msg == null || msg.isBlank()) {
      return name;
    }
    // A bare file name means little without knowing it was missing.
    if (t instanceof java.nio.file.NoSuchFileException) {
      return "no such file: " + msg;
    }
    if (t instanceof java.nio.file.FileSystemException f && f.getFile() != null) {
      return f.getFile() + ": " + SysText.reason(f);
    }
    if (t instanceof java.nio.charset.CharacterCodingException) {
      return "input is not valid UTF-8 text (" + msg + ")";
    }
    if (t instanceof NumberFormatException) {
      return "not a number: " + msg;
    }
    return msg;
  }

  private static String oneLine(String s) {
    return s.replaceAll("[\\r\\n]+", " ");
  }

  /** {@code 10s}, {@code 1m 30s}, or {@code 250ms} for sub-second timeouts. */
  public static String format(Duration d) {
    return d.toMillis() < 1000 || d.toMillis() % 1000 != 0
        ? d.toMillis() + "ms"
        : io.custos.common.units.Durations.format(d);
  }

  /** Interrupts running checks and stops the threads. */
  @Override
  public void close() {
    executor.shutdownNow();
  }
}
