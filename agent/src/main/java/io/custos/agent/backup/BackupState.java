package io.custos.agent.backup;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the daemon remembers about each set across restarts, in {@code
 * <backups.directory>/custos-backup-state.json} (written as {@code .part}, forced, renamed). Times
 * are UTC epoch milliseconds. Not thread-safe; {@link BackupScheduler} guards it.
 */
final class BackupState {
  static final String FILE = "custos-backup-state.json";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /**
   * One set.
   *
   * @param firstSeen when the agent first ran with this set configured
   * @param lastScheduledDay the ISO date of the last scheduled run started, so a day runs once
   * @param lastRunOk whether the last finished run succeeded; null before the first
   * @param lastRunFinished when the last run finished
   * @param lastMessage why the last run failed
   * @param lastSuccess when the last successful run finished
   * @param lastArchive the archive of the last successful run
   * @param lastBytes its size
   * @param lastWarnings the warnings of the last successful run (files changed as they were read, a
   *     clock that went back), at most {@link #MAX_WARNINGS}; null or empty when none
   */
  record SetState(
      long firstSeen,
      String lastScheduledDay,
      Boolean lastRunOk,
      Long lastRunFinished,
      String lastMessage,
      Long lastSuccess,
      String lastArchive,
      Long lastBytes,
      List<String> lastWarnings) {

    static final int MAX_WARNINGS = 5;

    /** A set's state without warnings. */
    SetState(
        long firstSeen,
        String lastScheduledDay,
        Boolean lastRunOk,
        Long lastRunFinished,
        String lastMessage,
        Long lastSuccess,
        String lastArchive,
        Long lastBytes) {
      this(
          firstSeen,
          lastScheduledDay,
          lastRunOk,
          lastRunFinished,
          lastMessage,
          lastSuccess,
          lastArchive,
          lastBytes,
          null);
    }

    /** {@link #lastWarnings}, never null. */
    List<String> warnings() {
      return lastWarnings == null ? List.of() : lastWarnings;
    }

    SetState withScheduledDay(String day) {
      return new SetState(
          firstSeen,
          day,
          lastRunOk,
          lastRunFinished,
          lastMessage,
          lastSuccess,
          lastArchive,
          lastBytes,
          lastWarnings);
    }

    SetState withRun(BackupRunner.Outcome o) {
      long end = o.finished().toEpochMilli();
      if (o.ok()) {
        return new SetState(
            firstSeen,
            lastScheduledDay,
            true,
            end,
            "",
            end,
            o.archive().getFileName().toString(),
            o.bytes(),
            o.warnings().isEmpty()
                ? null
                : List.copyOf(
                    o.warnings().subList(0, Math.min(MAX_WARNINGS, o.warnings().size()))));
      }
      return new SetState(
          firstSeen,
          lastScheduledDay,
          false,
          end,
          o.message(),
          lastSuccess,
          lastArchive,
          lastBytes,
          lastWarnings);
    }
  }

  private final Path file;
  private final Map<String, SetState> sets;

  private BackupState(Path file, Map<String, SetState> sets) {
    this.file = file;
    this.sets = sets;
  }

  /** Loads the state, or starts empty when there is none or it is unreadable (logged by caller). */
  static BackupState load(Path directory) throws IOException {
    Path f = directory.resolve(FILE);
    try {
      Map<String, SetState> m =
          JSON.readValue(Files.readAllBytes(f), new TypeReference<TreeMap<String, SetState>>() {});
      return new BackupState(f, m);
    } catch (NoSuchFileException e) {
      return new BackupState(f, new TreeMap<>());
    }
  }

  /** An empty state that will be saved to {@code directory}. */
  static BackupState empty(Path directory) {
    return new BackupState(directory.resolve(FILE), new TreeMap<>());
  }

  SetState get(String set) {
    return sets.get(set);
  }

  void put(String set, SetState s) {
    sets.put(set, s);
  }

  /** Writes the state to disk atomically. */
  void save() throws IOException {
    BackupRunner.createPrivate(file.getParent());
    Path part = SafeFiles.partOf(file);
    Files.deleteIfExists(part);
    SafeFiles.writePart(part, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(sets));
    Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
