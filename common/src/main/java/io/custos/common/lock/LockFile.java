package io.custos.common.lock;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * An exclusive lock on a file, held while one daemon uses what the file guards (a collector's
 * SQLite database, an agent's spool), so that a second one started by mistake is refused with a
 * clear message instead of both writing. The lock is the operating system's ({@code fcntl}), so it
 * goes away with the process, also after {@code kill -9}; the file stays and holds the pid of the
 * last holder, for the message. The file is created {@code 0600}.
 */
public final class LockFile implements AutoCloseable {
  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private LockFile(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock on {@code file}, creating it if needed.
   *
   * @param guards what the lock protects, for the message: {@code "the SQLite store
   *     /var/lib/custos/collector.db"}
   * @param holder who would hold it, for the message: {@code "custos-collector"}
   * @throws IllegalStateException when another process (or another user of this file in this
   *     process) holds the lock, naming the file, what it guards and the holder's pid
   * @throws IOException when the file cannot be created or locked at all
   */
  public static LockFile acquire(Path file, String guards, String holder) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    if (!Files.exists(file)) {
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // created by a concurrent starter; the lock below decides
      } catch (UnsupportedOperationException e) {
        Files.createFile(file);
      }
    }
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    if (lock == null) {
      String pid = readPid(ch);
      ch.close();
      throw new IllegalStateException(
          "another "
              + holder
              + (pid.isEmpty() ? "" : " (pid " + pid + ")")
              + " is already using "
              + guards
              + ": lock file "
              + file
              + " is held; stop that one first, or give this one its own");
    }
    try {
      byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(pid), 0);
    } catch (IOException e) {
      // The lock is what counts; the pid is only for the message.
    }
    return new LockFile(file, ch, lock);
  }

  private static String readPid(FileChannel ch) {
    try {
      ByteBuffer buf = ByteBuffer.allocate(32);
      ch.read(buf, 0);
      String text = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).strip();
      return text.matches("[0-9]{1,10}") ? text : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** The lock file. */
  public Path file() {
    return file;
  }

  /** Releases the lock; the file stays. Idempotent. */
  @Override
  public void close() {
    try {
      if (lock.isValid()) {
        lock.release();
      }
      channel.close();
    } catch (IOException e) {
      // The lock goes away with the channel or the process anyway.
    }
  }
}
