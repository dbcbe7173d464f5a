package io.custos.agent.backup;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;

/**
 * Creates a symbolic link whose target is exactly the bytes the archive holds. Java's {@code
 * Files.createSymbolicLink} takes the target as a {@link Path}, which normalises it ({@code dir/}
 * becomes {@code dir}, {@code a//b} becomes {@code a/b}), so this calls {@code symlink(2)} through
 * JNA (already on the class path for OSHI). The target is never resolved, checked or followed: a
 * link target is data.
 *
 * <p>Its modification time is set to the nanosecond with {@code utimensat(AT_SYMLINK_NOFOLLOW)}
 * (Java's {@code lutimes} keeps microseconds only).
 *
 * <p>Encoding: the target string is written as UTF-8 (what PAX {@code linkpath} records hold); the
 * link's own path as the JVM encodes file names ({@code sun.jnu.encoding}), so it names the same
 * file as every other {@link Path} operation of the restore.
 */
final class SymbolicLinks {

  private static final int ENOENT = 2;
  private static final int EEXIST = 17;
  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;
  private static final long UTIME_OMIT = (1L << 30) - 2;

  private static final Charset PATHS = pathCharset();

  private SymbolicLinks() {}

  /** The C library functions used here. */
  interface LibC extends Library {
    int symlink(byte[] target, byte[] linkpath);

    int utimensat(int dirfd, byte[] path, long[] times, int flags);

    String strerror(int errnum);
  }

  /** Loaded on first use, so a JVM that never restores a symlink never loads libc through JNA. */
  private static final class Holder {
    static final LibC LIBC = Native.load("c", LibC.class);
  }

  /**
   * Creates {@code link} pointing to {@code target}, byte for byte.
   *
   * @param target the link target as stored in the archive, any string without NUL
   * @throws FileAlreadyExistsException if {@code link} exists
   * @throws FileSystemException naming {@code link} and the system's reason otherwise
   */
  static void create(Path link, String target) throws IOException {
    if (target.isEmpty() || target.indexOf('\0') >= 0) {
      throw new IOException("symlink target '" + target + "' is empty or contains NUL");
    }
    byte[] t = cString(target.getBytes(StandardCharsets.UTF_8));
    byte[] l = cString(link.toString().getBytes(PATHS));
    if (Holder.LIBC.symlink(t, l) == 0) {
      return;
    }
    int errno = Native.getLastError();
    String reason = Holder.LIBC.strerror(errno);
    switch (errno) {
      case EEXIST:
        throw new FileAlreadyExistsException(link.toString(), null, reason);
      case ENOENT:
        throw new NoSuchFileException(link.toString(), null, reason);
      default:
        throw new FileSystemException(link.toString(), null, reason);
    }
  }

  /**
   * Sets the modification time of the link itself (never its target), to the nanosecond; the access
   * time is left as it is.
   *
   * @return false where {@code struct timespec} is not two 64-bit numbers (32-bit systems): the
   *     caller sets the time another way
   * @throws FileSystemException naming {@code link} and the system's reason
   */
  static boolean setModifiedTime(Path link, Instant mtime) throws IOException {
    if (Native.LONG_SIZE != 8) {
      return false;
    }
    long[] times = {0, UTIME_OMIT, mtime.getEpochSecond(), mtime.getNano()};
    byte[] l = cString(link.toString().getBytes(PATHS));
    if (Holder.LIBC.utimensat(AT_FDCWD, l, times, AT_SYMLINK_NOFOLLOW) == 0) {
      return true;
    }
    int errno = Native.getLastError();
    throw new FileSystemException(link.toString(), null, Holder.LIBC.strerror(errno));
  }

  private static byte[] cString(byte[] bytes) {
    return Arrays.copyOf(bytes, bytes.length + 1);
  }

  private static Charset pathCharset() {
    String jnu = System.getProperty("sun.jnu.encoding");
    try {
      return jnu == null ? Charset.defaultCharset() : Charset.forName(jnu);
    } catch (IllegalArgumentException e) {
      return Charset.defaultCharset();
    }
  }
}
