package io.custos.agent.backup;

import java.nio.file.Path;
import java.util.List;

/**
 * What a finished backup produced.
 *
 * @param archive the published archive
 * @param manifestFile its published manifest
 * @param manifest the manifest's content
 * @param archiveBytes size of the archive file
 * @param entries entries written to the archive
 * @param contentBytes bytes of file content written (data regions only for sparse files)
 * @param warnings what GNU tar would have warned about: files changed while read, vanished or
 *     unreadable files, ignored sockets; empty when all went well
 */
public record BackupResult(
    Path archive,
    Path manifestFile,
    Manifest manifest,
    long archiveBytes,
    int entries,
    long contentBytes,
    List<String> warnings) {

  public BackupResult {
    warnings = List.copyOf(warnings);
  }
}
