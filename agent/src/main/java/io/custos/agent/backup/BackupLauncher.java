package io.custos.agent.backup;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * How the daemon runs one backup of a set: in a child JVM ({@link ChildProcessBackupLauncher}, the
 * production way, so a backup has its own heap and its out-of-memory or crash cannot stop the
 * checks), or in the daemon's own JVM ({@link BackupRunner}, where there is no launcher script to
 * start, as in unit tests).
 *
 * <p>Failure behaviour: never throws for a failed backup; the {@link BackupRunner.Outcome} says
 * what failed.
 */
@FunctionalInterface
public interface BackupLauncher {
  /** The system property the launcher script sets to its own path. */
  String LAUNCHER_PROPERTY = "custos.launcher";

  /**
   * Runs {@code set} once and waits for it, however long it takes.
   *
   * @param level the level, or null for the weekly table's
   */
  BackupRunner.Outcome run(BackupSetConfig set, Level level);

  /** Backups in this JVM. */
  static BackupLauncher inProcess(String node, Path directory, Clock clock) {
    return new BackupRunner(node, directory, clock)::run;
  }

  /**
   * The daemon's launcher: a child {@code <launcher> backup run} when the {@value
   * #LAUNCHER_PROPERTY} system property names the launcher script, else (and logged) this JVM.
   *
   * @param configFile the configuration file the daemon read, passed on to the child; null when the
   *     daemon runs on built-in defaults
   */
  static BackupLauncher forDaemon(Path configFile, String node, Path directory, Clock clock) {
    String launcher = System.getProperty(LAUNCHER_PROPERTY);
    if (launcher == null || launcher.isBlank()) {
      LoggerFactory.getLogger(BackupLauncher.class)
          .warn(
              "no -D{} (not started by bin/custos-agent): backups run inside the daemon's JVM",
              LAUNCHER_PROPERTY);
      return inProcess(node, directory, clock);
    }
    return new ChildProcessBackupLauncher(List.of(launcher), configFile, directory, clock);
  }
}
