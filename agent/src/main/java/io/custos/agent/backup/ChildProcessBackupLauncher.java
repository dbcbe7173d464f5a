package io.custos.agent.backup;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a backup as {@code <command> backup run --set NAME [--level LEVEL] --result-json FILE
 * [--config FILE]} in a child process, so it gets the launcher's backup JVM flags (its own heap,
 * C2) and an out-of-memory error, a crash or a kill ends the child, never the daemon.
 *
 * <p>The child's stdout and stderr are merged and logged line by line as {@code backup <set>:
 * <line>}. Its result is the JSON file {@code <directory>/.<set>.result.json} ({@link
 * OutcomeJson}); when the child leaves none (killed, out of memory, bad configuration) the run
 * failed with "backup www: child process exited with 137 (killed: SIGKILL, e.g. the kernel's OOM
 * killer): <its first and last output lines>". {@code backup run} itself writes a failed result
 * when it cannot start (bad configuration, unknown set), so those failures read as its message. The
 * wait has no timeout, like a run in the daemon's JVM had none: a hung backup shows as "running
 * since" in the {@code Backup <set>} service.
 *
 * <p>Heap: the child gets {@code CUSTOS_BACKUP_HEAP} raised by what the set's compression needs
 * ({@link BackupHeap}), so {@code xz} level 9 does not run out of memory.
 *
 * <p>Failure behaviour: never throws; every failure is a failed {@link BackupRunner.Outcome}.
 */
public final class ChildProcessBackupLauncher implements BackupLauncher {
  /** How many of the child's last output lines a failure message quotes, after its first. */
  static final int TAIL_LINES = 3;

  private static final Logger LOG = LoggerFactory.getLogger(ChildProcessBackupLauncher.class);

  private final List<String> command;
  private final Path configFile;
  private final Path directory;
  private final Clock clock;

  /**
   * @param command what starts {@code custos-agent}: the launcher script, or {@code java -cp ...
   *     io.custos.agent.cli.AgentMain}
   * @param configFile passed as {@code --config}; null to pass none (the child then reads the same
   *     default file, or the built-in defaults, as the daemon did)
   * @param directory {@code backups.directory}, where the result file is left
   * @param clock times a failure that has no result file
   */
  public ChildProcessBackupLauncher(
      List<String> command, Path configFile, Path directory, Clock clock) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("command must not be empty");
    }
    this.command = List.copyOf(command);
    this.configFile = configFile;
    this.directory = directory;
    this.clock = clock;
  }

  /** The full command line for a run of {@code set}. */
  List<String> commandLine(String set, Level level, Path resultFile) {
    List<String> cmd = new ArrayList<>(command);
    cmd.addAll(List.of("backup", "run", "--set", set));
    if (level != null) {
      cmd.addAll(List.of("--level", level.token()));
    }
    cmd.addAll(List.of("--result-json", resultFile.toString()));
    if (configFile != null) {
      cmd.addAll(List.of("--config", configFile.toString()));
    }
    return cmd;
  }

  @Override
  public BackupRunner.Outcome run(BackupSetConfig set, Level level) {
    Instant started = clock.instant();
    Level shown =
        level != null ? level : BackupRunner.scheduledLevel(set, started.atZone(clock.getZone()));
    Path result = directory.resolve("." + set.name() + ".result.json");
    List<String> cmd = commandLine(set.name(), level, result);
    // The first line is where a JVM or picocli says what is wrong; the last, how it ended.
    String first = null;
    long lines = 0;
    Deque<String> tail = new ArrayDeque<>();
    int rc;
    try {
      BackupRunner.createPrivate(directory);
      Files.deleteIfExists(result);
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      sizeHeap(set, pb.environment());
      Process p = pb.start();
      try (BufferedReader r = p.inputReader(StandardCharsets.UTF_8)) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          LOG.info("backup {}: {}", set.name(), line);
          if (lines++ == 0) {
            first = line;
            continue;
          }
          tail.addLast(line);
          if (tail.size() > TAIL_LINES) {
            tail.removeFirst();
          }
        }
      }
      rc = p.waitFor();
    } catch (IOException e) {
      return failed(
          set, shown, started, "cannot run the backup child process " + cmd.get(0) + ": " + e);
    } catch (InterruptedException e) {
      // The daemon is stopping; the child finishes on its own (or the service manager ends it).
      Thread.currentThread().interrupt();
      return failed(set, shown, started, "interrupted while waiting for the backup child process");
    }
    if (Files.exists(result)) {
      try {
        BackupRunner.Outcome o = OutcomeJson.read(result, shown);
        Files.deleteIfExists(result);
        return o;
      } catch (IOException e) {
        return failed(set, shown, started, "child process exited with " + rc + ": " + e);
      }
    }
    String message =
        "backup "
            + set.name()
            + ": child process exited with "
            + describe(rc)
            + quote(first, lines, tail);
    LOG.error("CRITICAL {}", message);
    return failed(set, shown, started, message);
  }

  private static String quote(String first, long lines, Deque<String> tail) {
    if (first == null) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    parts.add(first);
    if (lines > tail.size() + 1) {
      parts.add("...");
    }
    parts.addAll(tail);
    return ": " + String.join(" | ", parts);
  }

  /**
   * Raises the child's {@code CUSTOS_BACKUP_HEAP} when the set's compression needs more than the
   * base heap (the daemon's own {@code CUSTOS_BACKUP_HEAP}, else the script's default).
   */
  static void sizeHeap(BackupSetConfig set, Map<String, String> env) {
    long base = BackupHeap.DEFAULT_BASE;
    String configured = env.get(BackupHeap.ENV);
    if (configured != null && !configured.isBlank()) {
      try {
        base = BackupHeap.parse(configured);
      } catch (IllegalArgumentException e) {
        LOG.warn("{}; sizing the backup heap from the default 1g", e.getMessage());
      }
    }
    long need = BackupHeap.required(set, base);
    if (need > base) {
      LOG.info(
          "backup {}: heap {} for compression {} level {}",
          set.name(),
          BackupHeap.format(need),
          set.compression().configName(),
          set.compression().effectiveLevel(set.compressionLevel()));
      env.put(BackupHeap.ENV, BackupHeap.format(need));
    }
  }

  /** An exit code with what it means when the process was killed by a signal (128 + n). */
  static String describe(int rc) {
    return switch (rc) {
      case 134 -> "134 (aborted: SIGABRT, e.g. a JVM crash)";
      case 137 -> "137 (killed: SIGKILL, e.g. the kernel's OOM killer)";
      case 143 -> "143 (terminated: SIGTERM)";
      default -> rc > 128 && rc < 160 ? rc + " (killed by signal " + (rc - 128) + ")" : "" + rc;
    };
  }

  private BackupRunner.Outcome failed(
      BackupSetConfig set, Level level, Instant started, String message) {
    return new BackupRunner.Outcome(
        set.name(), level, null, false, 0, 0, started, clock.instant(), message, "", List.of());
  }
}
