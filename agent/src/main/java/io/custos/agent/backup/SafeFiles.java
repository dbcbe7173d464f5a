package io.custos.agent.backup;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Crash-safe publication: a file is written as {@code <name>.part}, forced to disk, renamed
 * atomically into place, and the directory is forced so the rename survives a crash.
 */
final class SafeFiles {

  private SafeFiles() {}

  static Path partOf(Path target) {
    return target.resolveSibling(target.getFileName() + ".part");
  }

  private static final java.nio.file.attribute.FileAttribute<?> PRIVATE =
      java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

  /**
   * Creates {@code path} (which must not exist) for writing, mode 0600 whatever the umask: an
   * archive, its manifest and its encrypted copy hold copies of files only root may read, and a
   * pre-existing 0755 backup directory must not show them to everyone.
   *
   * @throws java.nio.file.FileAlreadyExistsException when {@code path} exists
   */
  static FileChannel newPrivateFile(Path path) throws IOException {
    return FileChannel.open(
        path, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), PRIVATE);
  }

  /** Writes {@code data} to {@code part} (which must not exist, 0600) and forces it to disk. */
  static void writePart(Path part, byte[] data) throws IOException {
    try (FileChannel ch = newPrivateFile(part)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(data);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
  }

  /** Atomically renames {@code part} to {@code target}; refuses to replace an existing file. */
  static void publish(Path part, Path target) throws IOException {
    if (Files.exists(target)) {
      throw new IOException("refusing to replace existing " + target);
    }
    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Forces a directory's entries to disk (fsync on the directory). */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // best effort: the caller is already reporting the failure that brought us here
    }
  }
}
