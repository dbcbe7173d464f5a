package io.custos.agent.ship;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files so that a crash leaves either the old content or the new, never a torn file: write
 * to a temporary name, fsync, rename over, fsync the directory.
 */
final class AtomicFiles {
  /** Prefix of temporary files; leftovers from a crash are deleted when the spool opens. */
  static final String TEMP_PREFIX = ".tmp-";

  private AtomicFiles() {}

  /** Files are created 0600 whatever the umask: reports and state are the agent's alone. */
  static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

  /**
   * Writes {@code data} to {@code target} atomically. When that fails (a full disk), the temporary
   * file is deleted before the exception goes on, so that failures leave nothing behind.
   */
  static void write(Path target, byte[] data) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path temp = dir.resolve(TEMP_PREFIX + target.getFileName());
    try {
      try (FileChannel ch =
          FileChannel.open(
              temp,
              Set.of(
                  StandardOpenOption.CREATE,
                  StandardOpenOption.TRUNCATE_EXISTING,
                  StandardOpenOption.WRITE),
              PRIVATE_FILE)) {
        ByteBuffer buf = ByteBuffer.wrap(data);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    syncDirectory(dir);
  }

  /**
   * Writes {@code data} over the start of the existing {@code target} without creating a file or
   * growing it past its allocated block, and fsyncs it: the fallback when a full disk has no room
   * for the temporary file. Only for small fixed-width contents no longer than the old ones' block
   * (a crash mid-write of a few bytes within one sector leaves old or new).
   *
   * @throws IOException when {@code target} does not exist or cannot be written
   */
  static void overwriteInPlace(Path target, byte[] data) throws IOException {
    try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(data);
      long pos = 0;
      while (buf.hasRemaining()) {
        pos += ch.write(buf, pos);
      }
      ch.truncate(data.length);
      ch.force(true);
    }
  }

  /**
   * Makes a rename or delete in {@code dir} durable; a no-op where directories cannot be opened.
   */
  static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some file systems refuse to open directories; the rename itself is still atomic.
    }
  }
}
