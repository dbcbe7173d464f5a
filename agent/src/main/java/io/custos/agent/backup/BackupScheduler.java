package io.custos.agent.backup;

import io.custos.common.units.Durations;
import io.custos.common.wire.BackupEvent;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the backup sets on their schedule for the agent daemon and says how they are doing.
 *
 * <p>Schedule: a set runs once on each day its weekly table names, at its {@code at} time in the
 * clock's zone. {@link #tick} is called every check cycle; a set whose time has come today and has
 * not run today starts then, on the backup thread, so checks keep running meanwhile. A day whose
 * time passed while the agent was down is caught up when it starts (like anacron), except on the
 * day the agent first sees a set. Runs are serialised: sets due together run one after another.
 *
 * <p>Status: {@link #results} gives a {@code Backup <set>} service per set every cycle: CRITICAL
 * when the last run failed, or when there has been no successful backup for 26 hours (counted from
 * the last success, or from when the agent first saw the set); OK with the last archive's age and
 * size otherwise, or "no backup yet, next at ..." before the first run. The state survives restarts
 * in {@link BackupState}. A successful run is followed by retention of its set. With an {@link
 * Uploader} ({@link #uploadingWith}), the run's archive is queued for the collector, and a set
 * whose oldest archive not yet uploaded was made more than {@code upload.deadline} ago is WARNING
 * (CRITICAL after twice the deadline), whatever the last run did.
 *
 * <p>Runs: each is made by a {@link BackupLauncher}; in the daemon a child JVM with its own heap
 * ({@link ChildProcessBackupLauncher}), so a backup that runs out of memory or crashes is a failed
 * run and the checks go on.
 *
 * <p>Manual runs: {@code custos-agent backup run} leaves its outcome in the backup directory
 * ({@link #handOver}); the next {@link #tick} takes it over exactly as if the daemon had made that
 * run: the {@code Backup <set>} service and its state, the event for the collector's catalog, and
 * retention after a success. The daemon stays the only writer of the state file.
 *
 * <p>Failure behaviour: nothing a backup does escapes the backup thread; an unexpected exception
 * becomes a failed run with the reason as its message.
 */
public final class BackupScheduler implements AutoCloseable {
  /** Without a successful backup for this long a set is CRITICAL. */
  public static final Duration STALE = Duration.ofHours(26);

  private static final Logger LOG = LoggerFactory.getLogger(BackupScheduler.class);

  /** Marks a manual run's outcome file: {@code .<set>.manual.<ms>.json}. */
  private static final String MANUAL = ".manual.";

  private final String node;
  private final BackupsConfig config;
  private final Clock clock;
  private final BackupLauncher launcher;
  private final Path directory;
  private final ExecutorService executor;
  private final BackupState state;
  private final List<BackupEvent> finished = new ArrayList<>();
  private final Set<String> running = new HashSet<>();
  private final Map<String, Instant> runningSince = new HashMap<>();

  private Uploader uploader;

  /**
   * Uploads each successful run's archive with {@code u} (sets whose upload is enabled), keeps what
   * it has not uploaded from retention, and adds the upload deadline to {@code Backup <set>}.
   */
  public synchronized BackupScheduler uploadingWith(Uploader u) {
    this.uploader = u;
    // Archives made since the last one uploaded (or all, the first time) that the queue does not
    // know: made before uploads were configured, or while the daemon died before queueing them.
    for (BackupSetConfig set : config.sets()) {
      if (!config.uploadOf(set).enabled()) {
        continue;
      }
      try {
        u.enqueueNotUploaded(set.name(), Catalog.list(directory, node, set.name()));
      } catch (IOException e) {
        LOG.error("cannot list archives of set {} to upload: {}", set.name(), e.toString());
      }
    }
    return this;
  }

  /** A scheduler running backups in this JVM; for tests. */
  BackupScheduler(String node, BackupsConfig config, Clock clock, ExecutorService executor) {
    this(node, config, clock, executor, BackupLauncher.inProcess(node, config.directory(), clock));
  }

  /**
   * @param executor where runs happen; the daemon passes a single thread, tests a direct executor
   * @param launcher how a run is made: a child process in the daemon
   */
  BackupScheduler(
      String node,
      BackupsConfig config,
      Clock clock,
      ExecutorService executor,
      BackupLauncher launcher) {
    this.node = node;
    this.config = config;
    this.clock = clock;
    this.directory = config.directory();
    this.launcher = launcher;
    this.executor = executor;
    BackupState s;
    try {
      s = BackupState.load(directory);
    } catch (IOException e) {
      LOG.error("cannot read backup state in {}: {}; starting afresh", directory, e.toString());
      s = BackupState.empty(directory);
    }
    this.state = s;
    long now = clock.millis();
    ZonedDateTime today = clock.instant().atZone(clock.getZone());
    for (BackupSetConfig set : config.sets()) {
      if (state.get(set.name()) == null) {
        // First sight: today's time, if already past, is not caught up.
        String day =
            today.toLocalTime().isBefore(set.atTime()) ? null : today.toLocalDate().toString();
        state.put(
            set.name(), new BackupState.SetState(now, day, null, null, null, null, null, null));
      }
    }
    save();
  }

  /**
   * The daemon's scheduler: one {@code custos-backup} daemon thread, which waits for each run
   * {@code launcher} makes.
   */
  public static BackupScheduler create(
      String node, BackupsConfig config, Clock clock, BackupLauncher launcher) {
    ExecutorService ex =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "custos-backup");
              t.setDaemon(true);
              return t;
            });
    return new BackupScheduler(node, config, clock, ex, launcher);
  }

  /** Starts the sets that are due now; returns their names. */
  public synchronized List<String> tick() {
    adoptManualRuns();
    if (uploader != null && !uploader.pending().isEmpty()) {
      uploader.kick();
    }
    List<String> started = new ArrayList<>();
    ZonedDateTime now = clock.instant().atZone(clock.getZone());
    LocalDate today = now.toLocalDate();
    for (BackupSetConfig set : config.sets()) {
      BackupState.SetState s = state.get(set.name());
      Optional<Level> level = set.levelOn(now.getDayOfWeek());
      if (level.isEmpty()
          || now.toLocalTime().isBefore(set.atTime())
          || today.toString().equals(s.lastScheduledDay())
          || running.contains(set.name())) {
        continue;
      }
      state.put(set.name(), s.withScheduledDay(today.toString()));
      save();
      running.add(set.name());
      runningSince.put(set.name(), clock.instant());
      started.add(set.name());
      LOG.info("backup of set {} ({}) starting", set.name(), level.get().token());
      executor.execute(() -> runGuarded(set, level.get()));
    }
    return started;
  }

  private void runGuarded(BackupSetConfig set, Level level) {
    BackupRunner.Outcome o;
    try {
      o = launcher.run(set, level);
    } catch (Throwable t) {
      Instant now = clock.instant();
      o =
          new BackupRunner.Outcome(
              set.name(), level, null, false, 0, 0, now, now, "unexpected: " + t, "", List.of());
    }
    finish(set, o);
  }

  /**
   * Leaves the outcome of a run made outside the daemon ({@code backup run}) for the daemon to take
   * over at its next tick, as {@code <directory>/.<set>.manual.<finished epoch ms>.json}.
   *
   * @throws IOException if it cannot be written
   */
  public static Path handOver(Path directory, BackupRunner.Outcome o) throws IOException {
    Path file = directory.resolve("." + o.set() + MANUAL + o.finished().toEpochMilli() + ".json");
    OutcomeJson.write(o, file);
    return file;
  }

  /** Takes over the outcomes {@link #handOver} left, oldest first. */
  private void adoptManualRuns() {
    List<Path> files = new ArrayList<>();
    try (var ds = Files.newDirectoryStream(directory, ".*" + MANUAL + "*.json")) {
      ds.forEach(files::add);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      LOG.error("cannot list manual backup runs in {}: {}", directory, e.toString());
      return;
    }
    files.sort(null);
    for (Path f : files) {
      String name = f.getFileName().toString();
      String setName = name.substring(1, name.indexOf(MANUAL));
      Optional<BackupSetConfig> set = config.set(setName);
      try {
        if (set.isPresent() && !running.contains(setName)) {
          Level fallback =
              BackupRunner.scheduledLevel(set.get(), clock.instant().atZone(clock.getZone()));
          BackupRunner.Outcome o = OutcomeJson.read(f, fallback);
          LOG.info("taking over the manual backup run of set {} from {}", setName, name);
          Files.delete(f);
          finish(set.get(), o);
        } else if (set.isEmpty()) {
          LOG.warn("manual backup run of unknown set {} ignored: {}", setName, name);
          Files.delete(f);
        }
      } catch (IOException | RuntimeException e) {
        LOG.error("cannot take over manual backup run {}: {}", f, e.toString());
        SafeFiles.deleteQuietly(f);
      }
    }
  }

  /** What follows every run, scheduled or manual: log, retention after a success, record. */
  private void finish(BackupSetConfig set, BackupRunner.Outcome o) {
    if (o.ok()) {
      LOG.info(
          "backup of set {} done: {} ({} bytes, {} entries){}",
          set.name(),
          o.archive().getFileName(),
          o.bytes(),
          o.files(),
          o.note().isEmpty() ? "" : "; " + o.note());
      o.warnings().forEach(w -> LOG.warn("backup of set {}: {}", set.name(), w));
      Uploader u = uploader();
      if (u != null && config.uploadOf(set).enabled()) {
        u.enqueue(set.name(), o.archive());
        u.kick();
      }
      prune(set);
    } else {
      LOG.error("backup of set {} failed: {}", set.name(), o.message());
    }
    record(o);
  }

  private void prune(BackupSetConfig set) {
    try {
      Uploader u = uploader();
      for (Catalog.Item i :
          Prune.apply(
              directory,
              node,
              set,
              clock.instant(),
              u == null ? Uploader.pendingIn(directory) : u.pendingNames(),
              false)) {
        LOG.info("retention of set {}: deleted {}", set.name(), i.fileName());
      }
    } catch (IOException | RuntimeException e) {
      LOG.error("retention of set {} failed: {}", set.name(), e.toString());
    }
  }

  private synchronized Uploader uploader() {
    return uploader;
  }

  private synchronized void record(BackupRunner.Outcome o) {
    running.remove(o.set());
    runningSince.remove(o.set());
    state.put(o.set(), state.get(o.set()).withRun(o));
    save();
    finished.add(event(o));
  }

  /** The report's form of a run. */
  public static BackupEvent event(BackupRunner.Outcome o) {
    String msg = o.message();
    if (o.ok() && !o.note().isEmpty()) {
      msg = o.note();
    }
    return new BackupEvent(
        o.set(),
        o.level().token(),
        o.archive() == null ? null : o.archive().getFileName().toString(),
        o.ok() ? Status.OK : Status.CRITICAL,
        o.bytes(),
        o.files(),
        Math.max(1, o.started().toEpochMilli()),
        Math.max(1, Math.max(o.started().toEpochMilli(), o.finished().toEpochMilli())),
        msg);
  }

  /** The runs finished since the last call, for the next report. */
  public synchronized List<BackupEvent> drainEvents() {
    List<BackupEvent> out = List.copyOf(finished);
    finished.clear();
    return out;
  }

  /** A {@code Backup <set>} result per set. */
  public synchronized List<CheckResult> results() {
    List<CheckResult> out = new ArrayList<>();
    Instant now = clock.instant();
    for (BackupSetConfig set : config.sets()) {
      out.add(result(set, state.get(set.name()), now));
    }
    return out;
  }

  private CheckResult result(BackupSetConfig set, BackupState.SetState s, Instant now) {
    String service = "Backup " + set.name();
    String running =
        runningSince.containsKey(set.name())
            ? "; running since " + runningSince.get(set.name())
            : "";
    List<Metric> metrics = new ArrayList<>();
    Status status;
    String text;
    if (Boolean.FALSE.equals(s.lastRunOk())) {
      status = Status.CRITICAL;
      text =
          "BACKUP CRITICAL - last run failed "
              + ago(now, s.lastRunFinished())
              + " ago: "
              + oneLine(s.lastMessage());
    } else if (s.lastSuccess() != null) {
      Duration age = Duration.ofMillis(now.toEpochMilli() - s.lastSuccess());
      metrics.add(
          new Metric(
              "backup_age_seconds",
              Map.of("set", set.name()),
              age.toSeconds(),
              "s",
              null,
              (double) STALE.toSeconds(),
              null,
              null));
      metrics.add(
          new Metric(
              "backup_size_bytes",
              Map.of("set", set.name()),
              s.lastBytes() == null ? 0 : s.lastBytes(),
              "B",
              null,
              null,
              null,
              null));
      String last =
          s.lastArchive() + ", " + size(s.lastBytes()) + ", " + Durations.format(age) + " old";
      if (age.compareTo(STALE) > 0) {
        status = Status.CRITICAL;
        text = "BACKUP CRITICAL - no successful backup for " + Durations.format(age) + ": " + last;
      } else if (!s.warnings().isEmpty()) {
        status = Status.WARNING;
        text = "BACKUP WARNING - " + last + "; " + oneLine(String.join("; ", s.warnings()));
      } else {
        status = Status.OK;
        text = "BACKUP OK - " + last;
      }
    } else {
      Duration seen = Duration.ofMillis(now.toEpochMilli() - s.firstSeen());
      if (seen.compareTo(STALE) > 0) {
        status = Status.CRITICAL;
        text =
            "BACKUP CRITICAL - no successful backup since the set was configured "
                + Durations.format(seen)
                + " ago";
      } else {
        status = Status.OK;
        text =
            "BACKUP OK - no backup yet, next at " + next(set, s, now).orElse("(never: empty week)");
      }
    }
    if (uploader != null && config.uploadOf(set).enabled()) {
      Instant waiting = uploader.oldestPendingCreated(set.name());
      Duration deadline = config.uploadOf(set).deadline();
      if (waiting != null) {
        Duration age = Duration.between(waiting, now);
        var p = uploader.oldestPending(set.name()).orElseThrow();
        String why = p.lastError() == null ? "" : " (last attempt: " + oneLine(p.lastError()) + ")";
        if (age.compareTo(deadline.multipliedBy(2)) > 0) {
          status = Status.CRITICAL;
          text =
              "BACKUP CRITICAL - "
                  + p.archive()
                  + " not on the collector "
                  + Durations.format(age)
                  + " after it was made"
                  + why
                  + "; "
                  + text;
        } else if (age.compareTo(deadline) > 0) {
          status = status == Status.CRITICAL ? status : Status.WARNING;
          text =
              "BACKUP WARNING - "
                  + p.archive()
                  + " not on the collector "
                  + Durations.format(age)
                  + " after it was made"
                  + why
                  + "; "
                  + text;
        }
      }
    }
    return new CheckResult(service, "backup", status, text + running, now.toEpochMilli(), metrics);
  }

  /** The next scheduled start after {@code now}, in the clock's zone, ISO format. */
  Optional<String> next(BackupSetConfig set, BackupState.SetState s, Instant now) {
    ZonedDateTime z = now.atZone(clock.getZone());
    for (int d = 0; d <= 7; d++) {
      ZonedDateTime day = z.toLocalDate().plusDays(d).atTime(set.atTime()).atZone(clock.getZone());
      boolean doneToday = d == 0 && z.toLocalDate().toString().equals(s.lastScheduledDay());
      if (set.levelOn(day.getDayOfWeek()).isPresent()
          && !doneToday
          && (d > 0 || !day.isBefore(z))) {
        return Optional.of(day.toOffsetDateTime().toString());
      }
    }
    return Optional.empty();
  }

  private static String ago(Instant now, Long then) {
    return then == null ? "?" : Durations.format(Duration.ofMillis(now.toEpochMilli() - then));
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("[\\r\\n]+", " | ");
  }

  static String size(Long bytes) {
    return Sizes.human(bytes == null ? 0 : bytes);
  }

  private void save() {
    try {
      state.save();
    } catch (IOException e) {
      LOG.error("cannot save backup state in {}: {}", directory, e.toString());
    }
  }

  /** Waits up to {@code timeout} for a running backup, then abandons it. */
  @Override
  public void close() {
    Uploader u = uploader();
    if (u != null) {
      u.close();
    }
    executor.shutdown();
    try {
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
