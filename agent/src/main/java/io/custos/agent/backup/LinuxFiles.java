package io.custos.agent.backup;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The few Linux calls Java's NIO cannot make on names given as bytes, through JNA (already on the
 * class path with OSHI): {@code statx} (unsigned ids, nanosecond times of any year, allocated
 * blocks), {@code readdir}, {@code readlink}/{@code symlink} (targets byte for byte), the {@code
 * *xattr} calls of every namespace, {@code utimensat} (nanoseconds, symlinks, any year), {@code
 * mknod}/{@code mkfifo}. Names are absolute names in {@link FileNames#decode} form.
 *
 * <p>Failure: a call that fails throws the {@link FileSystemException} NIO would ({@link
 * NoSuchFileException}, {@link AccessDeniedException}, ...) with the name and {@code strerror}.
 * Linux on a 64-bit C library only (glibc 2.28 or later for {@code statx}).
 */
final class LinuxFiles {

  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;
  private static final int STATX_BASIC_STATS = 0x7ff;
  private static final int ENOENT = 2;
  private static final int EACCES = 13;
  private static final int EPERM = 1;
  private static final int EEXIST = 17;
  private static final int ERANGE = 34;
  private static final int ENODATA = 61;
  private static final int ENOTSUP = 95;
  private static final int DIRENT_NAME = 19;
  private static final int ENXIO = 6;
  private static final int O_RDONLY = 0;
  private static final int O_NOFOLLOW = 0400000;
  private static final int O_CLOEXEC = 02000000;
  private static final int O_NONBLOCK = 04000;
  private static final int AT_EMPTY_PATH = 0x1000;
  private static final int ELOOP = 40;
  private static final int SEEK_END = 2;
  private static final int SEEK_DATA = 3;
  private static final int SEEK_HOLE = 4;

  static {
    if (Native.LONG_SIZE != 8) {
      throw new UnsupportedOperationException("the backup engine needs a 64-bit Linux C library");
    }
    Native.register(LinuxFiles.class, Platform.C_LIBRARY_NAME);
  }

  private LinuxFiles() {}

  private static native int statx(int dirfd, byte[] path, int flags, int mask, byte[] buf)
      throws LastErrorException;

  private static native Pointer opendir(byte[] path) throws LastErrorException;

  private static native Pointer readdir(Pointer dir) throws LastErrorException;

  private static native int closedir(Pointer dir);

  private static native long readlink(byte[] path, byte[] buf, long size) throws LastErrorException;

  private static native int symlink(byte[] target, byte[] link) throws LastErrorException;

  private static native long llistxattr(byte[] path, byte[] list, long size)
      throws LastErrorException;

  private static native long lgetxattr(byte[] path, byte[] name, byte[] value, long size)
      throws LastErrorException;

  private static native int lsetxattr(byte[] path, byte[] name, byte[] value, long size, int flags)
      throws LastErrorException;

  private static native int utimensat(int dirfd, byte[] path, long[] times, int flags)
      throws LastErrorException;

  private static native int mknod(byte[] path, int mode, long dev) throws LastErrorException;

  private static native int open(byte[] path, int flags) throws LastErrorException;

  private static native long lseek(int fd, long offset, int whence) throws LastErrorException;

  private static native int close(int fd);

  private static native Pointer getpwnam(byte[] name);

  private static native Pointer getgrnam(byte[] name);

  /**
   * What {@code lstat} says about a file.
   *
   * @param mode {@code st_mode}, type and permission bits
   * @param uid owner, 0 to 2^32-1
   * @param gid group, 0 to 2^32-1
   * @param size bytes
   * @param blocks allocated 512-byte blocks
   * @param dev the file system's device, Linux {@code makedev} encoding
   * @param rdev the device a device node stands for, same encoding
   */
  record Stat(
      int mode,
      long nlink,
      long uid,
      long gid,
      long ino,
      long size,
      long blocks,
      Instant mtime,
      Instant ctime,
      long dev,
      long rdev) {}

  /** {@code lstat(name)}. */
  static Stat lstat(String name) throws IOException {
    byte[] buf = new byte[256];
    try {
      statx(AT_FDCWD, c(name), AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buf);
    } catch (LastErrorException e) {
      throw error(e, name, "lstat");
    }
    ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder());
    return new Stat(
        Short.toUnsignedInt(b.getShort(28)),
        Integer.toUnsignedLong(b.getInt(16)),
        Integer.toUnsignedLong(b.getInt(20)),
        Integer.toUnsignedLong(b.getInt(24)),
        b.getLong(32),
        b.getLong(40),
        b.getLong(48),
        Instant.ofEpochSecond(b.getLong(112), Integer.toUnsignedLong(b.getInt(120))),
        Instant.ofEpochSecond(b.getLong(96), Integer.toUnsignedLong(b.getInt(104))),
        makedev(b.getInt(136), b.getInt(140)),
        makedev(b.getInt(128), b.getInt(132)));
  }

  /** Linux {@code makedev(major, minor)}. */
  static long makedev(long major, long minor) {
    major &= 0xffffffffL;
    minor &= 0xffffffffL;
    return ((major & 0xfffff000L) << 32)
        | ((major & 0xfffL) << 8)
        | ((minor & 0xffffff00L) << 12)
        | (minor & 0xffL);
  }

  /** The entries of directory {@code name} as name bytes, without "." and "..", unsorted. */
  static List<byte[]> list(String name) throws IOException {
    Pointer dir;
    try {
      dir = opendir(c(name));
    } catch (LastErrorException e) {
      throw error(e, name, "opendir");
    }
    List<byte[]> out = new ArrayList<>();
    try {
      while (true) {
        Pointer d;
        try {
          d = readdir(dir);
        } catch (LastErrorException e) {
          throw error(e, name, "readdir");
        }
        if (d == null) {
          return out;
        }
        int reclen = Short.toUnsignedInt(d.getShort(16));
        byte[] raw = d.getByteArray(DIRENT_NAME, reclen - DIRENT_NAME);
        int len = 0;
        while (len < raw.length && raw[len] != 0) {
          len++;
        }
        if ((len == 1 && raw[0] == '.') || (len == 2 && raw[0] == '.' && raw[1] == '.')) {
          continue;
        }
        byte[] entry = new byte[len];
        System.arraycopy(raw, 0, entry, 0, len);
        out.add(entry);
      }
    } finally {
      closedir(dir);
    }
  }

  /** The target of symlink {@code name}, byte for byte. */
  static byte[] readlink(String name) throws IOException {
    byte[] path = c(name);
    for (int size = 256; ; size *= 4) {
      byte[] buf = new byte[size];
      long n;
      try {
        n = readlink(path, buf, size);
      } catch (LastErrorException e) {
        throw error(e, name, "readlink");
      }
      if (n < size) {
        byte[] out = new byte[(int) n];
        System.arraycopy(buf, 0, out, 0, (int) n);
        return out;
      }
    }
  }

  /** Creates symlink {@code name} pointing to {@code target} (bytes, verbatim). */
  static void symlink(byte[] target, String name) throws IOException {
    try {
      symlink(c(target), c(name));
    } catch (LastErrorException e) {
      throw error(e, name, "symlink");
    }
  }

  /** Creates a FIFO or device node ({@code mode} with its type bits). */
  static void mknod(String name, int mode, long dev) throws IOException {
    try {
      mknod(c(name), mode, dev);
    } catch (LastErrorException e) {
      throw error(e, name, "mknod");
    }
  }

  /** Sets the mtime of {@code name} (not following a symlink), to the nanosecond, any year. */
  static void setMtime(String name, Instant mtime) throws IOException {
    long omitNow = (1L << 30) - 2; // UTIME_OMIT: leave atime alone
    long[] times = {0, omitNow, mtime.getEpochSecond(), mtime.getNano()};
    try {
      utimensat(AT_FDCWD, c(name), times, AT_SYMLINK_NOFOLLOW);
    } catch (LastErrorException e) {
      throw error(e, name, "utimensat");
    }
  }

  /**
   * The data regions of file {@code name} as {@code lseek(SEEK_DATA/SEEK_HOLE)} reports them: pairs
   * of offset and length; a file system without hole reporting gives one region.
   */
  static List<long[]> dataRegions(String name) throws IOException {
    int fd;
    try {
      fd = open(c(name), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    } catch (LastErrorException e) {
      throw error(e, name, "open");
    }
    try {
      long end = lseek(fd, 0, SEEK_END);
      List<long[]> out = new ArrayList<>();
      long pos = 0;
      while (pos < end) {
        long data;
        try {
          data = lseek(fd, pos, SEEK_DATA);
        } catch (LastErrorException e) {
          if (e.getErrorCode() == ENXIO) {
            break; // only a hole is left
          }
          throw e;
        }
        long hole = lseek(fd, data, SEEK_HOLE);
        out.add(new long[] {data, hole - data});
        pos = hole;
      }
      return out;
    } catch (LastErrorException e) {
      throw error(e, name, "lseek");
    } finally {
      close(fd);
    }
  }

  /** A file that is no longer a regular file when it is opened to be read. */
  static final class ChangedTypeException extends FileSystemException {
    private static final long serialVersionUID = 1L;

    /** What it is now: "a directory", "a symbolic link", "a FIFO", "a socket", ... */
    final String now;

    ChangedTypeException(String name, String now) {
      super(FileNames.display(name), null, "now " + now);
      this.now = now;
    }
  }

  /**
   * Opens {@code name} for reading if it is still a regular file. Opened with {@code O_NOFOLLOW |
   * O_NONBLOCK}, so a symlink put in its place is not followed and a FIFO does not block; its type
   * is then taken from the open file ({@code fstat}), not the name, and the channel returned reads
   * that same open file (through {@code /proc/self/fd}), so nothing swapped in meanwhile is read.
   *
   * @throws ChangedTypeException when it is now a directory, symlink, FIFO, socket or device
   */
  static FileChannel openRegular(String name) throws IOException {
    int fd;
    try {
      fd = open(c(name), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == ELOOP) {
        throw new ChangedTypeException(name, "a symbolic link");
      }
      if (e.getErrorCode() == ENXIO) {
        throw new ChangedTypeException(name, "a socket");
      }
      throw error(e, name, "open");
    }
    try {
      byte[] buf = new byte[256];
      try {
        statx(fd, new byte[1], AT_EMPTY_PATH, STATX_BASIC_STATS, buf);
      } catch (LastErrorException e) {
        throw error(e, name, "fstat");
      }
      int type =
          Short.toUnsignedInt(ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder()).getShort(28))
              & 0170000;
      if (type != 0100000) {
        throw new ChangedTypeException(name, typeName(type));
      }
      return FileChannel.open(Path.of("/proc/self/fd/" + fd), StandardOpenOption.READ);
    } finally {
      close(fd);
    }
  }

  private static String typeName(int type) {
    switch (type) {
      case 0040000:
        return "a directory";
      case 0120000:
        return "a symbolic link";
      case 0010000:
        return "a FIFO";
      case 0140000:
        return "a socket";
      case 0020000:
        return "a character device";
      case 0060000:
        return "a block device";
      default:
        return "of type " + Integer.toOctalString(type);
    }
  }

  /**
   * The names of the extended attributes of {@code name} (not following a symlink); none on a file
   * system without xattrs.
   */
  static List<String> listXattrs(String name) throws IOException {
    byte[] path = c(name);
    for (int size = 1024; ; size *= 8) {
      byte[] buf = new byte[size];
      long n;
      try {
        n = llistxattr(path, buf, size);
      } catch (LastErrorException e) {
        if (e.getErrorCode() == ERANGE && size < (1 << 24)) {
          continue;
        }
        if (e.getErrorCode() == ENOTSUP) {
          return List.of(); // a file system without xattrs (e.g. some FUSE)
        }
        throw error(e, name, "llistxattr");
      }
      List<String> out = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < n; i++) {
        if (buf[i] == 0) {
          if (i > start) {
            out.add(FileNames.decode(buf, start, i));
          }
          start = i + 1;
        }
      }
      return out;
    }
  }

  /** The value of attribute {@code attr} of {@code name}, or null if it has none. */
  static byte[] getXattr(String name, String attr) throws IOException {
    byte[] path = c(name);
    byte[] key = c(attr);
    for (int size = 256; ; size *= 16) {
      byte[] buf = new byte[size];
      long n;
      try {
        n = lgetxattr(path, key, buf, size);
      } catch (LastErrorException e) {
        if (e.getErrorCode() == ERANGE && size < (1 << 24)) {
          continue;
        }
        if (e.getErrorCode() == ENODATA || e.getErrorCode() == ENOTSUP) {
          return null;
        }
        throw error(e, name, "lgetxattr " + attr);
      }
      byte[] out = new byte[(int) n];
      System.arraycopy(buf, 0, out, 0, (int) n);
      return out;
    }
  }

  /** Sets attribute {@code attr} of {@code name} to {@code value} (not following a symlink). */
  static void setXattr(String name, String attr, byte[] value) throws IOException {
    try {
      lsetxattr(c(name), c(attr), value, value.length, 0);
    } catch (LastErrorException e) {
      throw error(e, name, "lsetxattr " + attr);
    }
  }

  /**
   * The id of user {@code "u:NAME"} or group {@code "g:NAME"} ({@code getpwnam}/{@code getgrnam},
   * so NSS sources count), or -1 if there is none. Both structs hold the id at offset 16 on LP64.
   */
  static synchronized long idOf(String kindAndName) {
    boolean user = kindAndName.startsWith("u:");
    Pointer p =
        user ? getpwnam(c(kindAndName.substring(2))) : getgrnam(c(kindAndName.substring(2)));
    return p == null ? -1 : Integer.toUnsignedLong(p.getInt(16));
  }

  private static byte[] c(String name) {
    return c(FileNames.encode(name));
  }

  private static byte[] c(byte[] b) {
    byte[] z = new byte[b.length + 1];
    System.arraycopy(b, 0, z, 0, b.length);
    return z;
  }

  private static FileSystemException error(LastErrorException e, String name, String call) {
    int errno = e.getErrorCode();
    String file = FileNames.display(name);
    String text = e.getMessage() == null ? "errno " + errno : e.getMessage();
    String reason = call + ": " + text.replaceFirst("^\\[\\d+\\]\\s*", "");
    switch (errno) {
      case ENOENT:
        return new NoSuchFileException(file, null, reason);
      case EACCES:
      case EPERM:
        return new AccessDeniedException(file, null, reason);
      case EEXIST:
        return new FileAlreadyExistsException(file, null, reason);
      default:
        return new FileSystemException(file, null, reason);
    }
  }
}
