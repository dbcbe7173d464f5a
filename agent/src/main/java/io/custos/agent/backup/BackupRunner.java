package io.custos.agent.backup;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * One run of a backup set, the way the daemon and {@code custos-agent backup run} do it: pick the
 * level (asked for, else the weekly table's for today) and its base from the archives already in
 * the backup directory, run the {@code before} hooks, spool the dumps, write the archive, and run
 * the {@code after} hooks whatever happened.
 *
 * <p>Dumps: each command's stdout is redirected by the kernel into a spool file {@code
 * <directory>/.<set>.dumps/dumps/<name>} (the JVM never holds it, so memory stays bounded for any
 * size), then archived from there like any file as {@code dumps/<name>}, and the spool is deleted.
 * The backup directory therefore needs room for the dumps as well as the archive. A dump that exits
 * non-zero fails the run, quoting the tail of its stderr. The backup directory and the spool are
 * created with mode 0700 (archives hold whatever the backed-up files hold).
 *
 * <p>Failure behaviour: never throws for a failed backup; the {@link Outcome} says what failed
 * (failed or timed-out {@code before} hook or dump, archive write, failed {@code after} hook, or a
 * compression level whose encoder cannot fit in this JVM's heap, refused before anything runs:
 * {@link BackupHeap}). Two runs of one set at once are prevented by a lock file {@code
 * <directory>/.<set>.lock}; the second fails.
 */
public final class BackupRunner {
  private final String node;
  private final Path directory;
  private final Clock clock;
  private final ArchiveWriter writer;
  private final long maxHeap;

  public BackupRunner(String node, Path directory, Clock clock) {
    this(node, directory, clock, new Progress());
  }

  /** A runner whose archive writing advances {@code progress}. */
  public BackupRunner(String node, Path directory, Clock clock, Progress progress) {
    this(node, directory, clock, progress, Runtime.getRuntime().maxMemory());
  }

  /** For tests: {@code maxHeap} stands for this JVM's maximum heap, in bytes. */
  BackupRunner(String node, Path directory, Clock clock, Progress progress, long maxHeap) {
    this.node = node;
    this.directory = directory;
    this.clock = clock;
    this.writer = new ArchiveWriter(clock, progress);
    this.maxHeap = maxHeap;
  }

  /**
   * What a run did.
   *
   * @param set the set
   * @param level the level made (or attempted)
   * @param archive the archive written, null when none was
   * @param ok whether everything succeeded
   * @param bytes archive size
   * @param files entries in the archive
   * @param started when the run started
   * @param finished when it ended
   * @param message why it failed, or empty
   * @param note a remark, e.g. a diff made as a full because there was no full yet
   * @param warnings the archive writer's warnings (files changed while read, ...)
   */
  public record Outcome(
      String set,
      Level level,
      Path archive,
      boolean ok,
      long bytes,
      long files,
      Instant started,
      Instant finished,
      String message,
      String note,
      List<String> warnings) {
    public Outcome {
      warnings = List.copyOf(warnings);
    }
  }

  /** The level the weekly table gives for the day of {@code now} (in the clock's zone). */
  public static Level scheduledLevel(BackupSetConfig set, ZonedDateTime now) {
    return set.levelOn(now.getDayOfWeek()).orElse(Level.DIFF);
  }

  /**
   * Runs {@code set}.
   *
   * @param requested the level, or null for the weekly table's (diff on a day without an entry)
   */
  public Outcome run(BackupSetConfig set, Level requested) {
    Instant started = clock.instant();
    Level asked =
        requested != null ? requested : scheduledLevel(set, started.atZone(clock.getZone()));
    Level level = asked;
    String note = "";
    Path log = directory.resolve("." + set.name() + ".hooks.log");
    Path spool = directory.resolve("." + set.name() + ".dumps");
    String failure = null;
    BackupResult result = null;
    List<String> warnings = new java.util.ArrayList<>();
    var tooSmall = BackupHeap.shortfall(set, maxHeap);
    if (tooSmall.isPresent()) {
      return failed(set, level, started, "not started: " + tooSmall.get());
    }
    try {
      createPrivate(directory);
    } catch (IOException e) {
      return failed(set, level, started, "cannot create backup directory " + directory + ": " + e);
    }
    try (FileChannel lockFile =
            FileChannel.open(
                directory.resolve("." + set.name() + ".lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = lockFile.tryLock()) {
      if (lock == null) {
        return failed(set, level, started, "another backup of set " + set.name() + " is running");
      }
      try {
        removeStaleParts(set.name());
        List<Catalog.Item> items = Catalog.list(directory, node, set.name());
        clockWentBack(items, started).ifPresent(warnings::add);
        Chains.Plan plan = Chains.plan(asked, items);
        level = plan.level();
        note = plan.note();
        Manifest base =
            plan.base() == null ? null : Manifest.read(Manifest.fileFor(plan.base().file()));
        Hooks.runAll("before hook", set.before(), set.hookTimeout(), log);
        Path extra = null;
        if (!set.dumps().isEmpty()) {
          Restorer.deleteTreeIfExists(spool);
          createPrivate(spool);
          Path dumps = createPrivate(spool.resolve("dumps"));
          for (BackupSetConfig.Dump d : set.dumps()) {
            Hooks.dump(d.name(), d.command(), d.timeout(), dumps.resolve(d.name()), log);
          }
          extra = spool;
        }
        result = writer.write(set.spec(node, directory, level, base), extra);
      } catch (IOException | RuntimeException e) {
        failure = e.getMessage() == null ? e.toString() : e.getMessage();
      } finally {
        try {
          Restorer.deleteTreeIfExists(spool);
        } catch (IOException e) {
          failure = failure != null ? failure : "cannot remove dump spool " + spool + ": " + e;
        }
        try {
          Hooks.runAll("after hook", set.after(), set.hookTimeout(), log);
        } catch (IOException e) {
          failure = failure == null ? e.getMessage() : failure + "; " + e.getMessage();
        }
        try {
          Files.deleteIfExists(log);
        } catch (IOException e) {
          // a stale log is harmless; the next run truncates it
        }
      }
    } catch (IOException e) {
      failure = "cannot lock set " + set.name() + " in " + directory + ": " + e.getMessage();
    }
    Instant finished = clock.instant();
    if (result == null) {
      return new Outcome(
          set.name(), level, null, false, 0, 0, started, finished, failure, note, List.of());
    }
    return new Outcome(
        set.name(),
        level,
        result.archive(),
        failure == null,
        result.archiveBytes(),
        result.entries(),
        started,
        finished,
        failure == null ? "" : failure,
        note,
        java.util.stream.Stream.concat(warnings.stream(), result.warnings().stream()).toList());
  }

  /**
   * A warning when {@code now} is before the stamp of an archive the set already has: the node's
   * clock stepped back. The new archive is still placed after it (chains follow their links and
   * {@code seq}), but the stamps in names and listings are then misleading.
   */
  static java.util.Optional<String> clockWentBack(List<Catalog.Item> items, Instant now) {
    Catalog.Item later = null;
    for (Catalog.Item i : items) {
      if (i.created().isAfter(now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
          && (later == null || i.created().isAfter(later.created()))) {
        later = i;
      }
    }
    if (later == null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        "the clock went back: this run started at "
            + now
            + ", before "
            + later.fileName()
            + " (stamped "
            + later.created()
            + ") of the same set; the new archive is ordered after it by its chain, not by its"
            + " stamp; check the node's time source");
  }

  /**
   * Creates a directory only its owner can enter (archives of /etc hold secrets, and dumps are
   * written with the umask's mode); an existing directory is left as it is.
   */
  static Path createPrivate(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return dir;
    }
    Files.createDirectories(dir.toAbsolutePath().getParent());
    try {
      Files.createDirectory(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (FileAlreadyExistsException e) {
      // created meanwhile; fine
    }
    return dir;
  }

  /**
   * Deletes {@code .part} files a killed run of this set left behind (the writer removes its own on
   * any failure it sees); safe because we hold the set's lock.
   */
  private void removeStaleParts(String set) throws IOException {
    String prefix = node + "." + set + ".";
    try (var ds = Files.newDirectoryStream(directory, prefix + "*.part")) {
      for (Path p : ds) {
        Files.deleteIfExists(p);
      }
    }
  }

  private Outcome failed(BackupSetConfig set, Level level, Instant started, String message) {
    return new Outcome(
        set.name(), level, null, false, 0, 0, started, clock.instant(), message, "", List.of());
  }
}
