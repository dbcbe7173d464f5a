package io.custos.agent.backup;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code backups:} section of {@code agent.yml}: where archives go and the sets.
 *
 * <pre>{@code
 * backups:
 *   directory: /var/backups/custos   # default
 *   upload: { enabled: true, deadline: 26h }   # default for every set
 *   sets:
 *     - { name: etc, paths: [/etc], compression: zstd }
 * }</pre>
 *
 * @param directory where archives, manifests, dump spool files and the last-run state are kept
 * @param sets the backup sets, each described in {@link BackupSetConfig}; default none
 * @param upload the upload settings of a set without its own; default enabled, 26h
 */
public record BackupsConfig(
    Path directory, List<BackupSetConfig> sets, BackupSetConfig.Upload upload) {
  /** The directory of a default install. */
  public static final Path DEFAULT_DIRECTORY = Path.of("/var/backups/custos");

  /** Default upload settings. */
  public BackupsConfig(Path directory, List<BackupSetConfig> sets) {
    this(directory, sets, null);
  }

  public BackupsConfig {
    upload = upload == null ? BackupSetConfig.Upload.defaults() : upload;
    directory = directory == null ? DEFAULT_DIRECTORY : directory;
    sets = sets == null ? List.of() : List.copyOf(sets);
    Set<String> names = new HashSet<>();
    for (BackupSetConfig s : sets) {
      if (!names.add(s.name())) {
        throw new IllegalArgumentException("sets: name \"" + s.name() + "\" appears twice");
      }
    }
  }

  /** No sets. */
  public static BackupsConfig defaults() {
    return new BackupsConfig(null, null);
  }

  /** The upload settings of {@code set}: its own, else {@link #upload}. */
  public BackupSetConfig.Upload uploadOf(BackupSetConfig set) {
    return set.upload() != null ? set.upload() : upload;
  }

  /** The set called {@code name}. */
  public Optional<BackupSetConfig> set(String name) {
    return sets.stream().filter(s -> s.name().equals(name)).findFirst();
  }
}
