package io.custos.agent.backup;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link ArchiveWriter#write} backs up and where.
 *
 * @param node node name, first part of the archive name
 * @param set backup set name
 * @param level full, diff or incr
 * @param root the directory names are made relative to, like {@code tar -C root}; usually {@code /}
 * @param paths what to back up, absolute below {@code root} or relative to it
 * @param excludes GNU tar-style globs, see {@link ExcludeMatcher}
 * @param compression the codec
 * @param compressionLevel a level in the codec's range or {@link Compression#DEFAULT_LEVEL}
 * @param workers zstd worker threads, 0 for none
 * @param directory where the archive and its manifest are written
 * @param base for diff and incr: the manifest of the archive to compare with; null for full
 * @param recipients age recipients to encrypt the archive and manifest for; empty for clear
 */
public record BackupSpec(
    String node,
    String set,
    Level level,
    Path root,
    List<Path> paths,
    List<String> excludes,
    Compression compression,
    int compressionLevel,
    int workers,
    Path directory,
    Manifest base,
    List<String> recipients) {

  /** A clear archive's spec. */
  public BackupSpec(
      String node,
      String set,
      Level level,
      Path root,
      List<Path> paths,
      List<String> excludes,
      Compression compression,
      int compressionLevel,
      int workers,
      Path directory,
      Manifest base) {
    this(
        node,
        set,
        level,
        root,
        paths,
        excludes,
        compression,
        compressionLevel,
        workers,
        directory,
        base,
        List.of());
  }

  /** Checks the combination; a bad one is an {@link IllegalArgumentException} naming it. */
  public BackupSpec {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(directory, "directory");
    paths = List.copyOf(paths);
    excludes = List.copyOf(excludes);
    recipients = recipients == null ? List.of() : List.copyOf(recipients);
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("set " + set + ": paths must not be empty");
    }
    if (level != Level.FULL && base == null) {
      throw new IllegalArgumentException(
          "set " + set + ": a " + level.token() + " backup needs the manifest of its base");
    }
    if (level == Level.FULL && base != null) {
      throw new IllegalArgumentException("set " + set + ": a full backup has no base");
    }
    compression.effectiveLevel(compressionLevel);
  }

  /** A full backup of {@code paths} below {@code root}, default level, no workers. */
  public static BackupSpec full(
      String node,
      String set,
      Path root,
      List<Path> paths,
      List<String> excludes,
      Compression compression,
      Path directory) {
    return new BackupSpec(
        node,
        set,
        Level.FULL,
        root,
        paths,
        excludes,
        compression,
        Compression.DEFAULT_LEVEL,
        0,
        directory,
        null);
  }

  /** The same backup at another level against {@code base} (null for full). */
  public BackupSpec withLevel(Level newLevel, Manifest newBase) {
    return new BackupSpec(
        node,
        set,
        newLevel,
        root,
        paths,
        excludes,
        compression,
        compressionLevel,
        workers,
        directory,
        newBase,
        recipients);
  }

  /** The same backup encrypted for {@code newRecipients} (empty: clear). */
  public BackupSpec withRecipients(List<String> newRecipients) {
    return new BackupSpec(
        node,
        set,
        level,
        root,
        paths,
        excludes,
        compression,
        compressionLevel,
        workers,
        directory,
        base,
        newRecipients);
  }

  /** Whether the archive is encrypted. */
  public boolean encrypted() {
    return !recipients.isEmpty();
  }
}
