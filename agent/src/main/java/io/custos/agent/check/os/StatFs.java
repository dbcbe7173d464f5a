package io.custos.agent.check.os;

import com.sun.jna.platform.linux.LibC;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the filesystem check gets space and inode numbers: statvfs(2) in production, fixed numbers
 * in tests.
 */
public interface StatFs {
  /**
   * The usage of the file system mounted at {@code mountPoint}.
   *
   * @throws IOException when it cannot be read (stale NFS handle, permission)
   */
  FsUsage stat(Path mountPoint) throws IOException;

  /** statvfs(2) through JNA; where that is not available, {@link FileStore} without inodes. */
  static StatFs system() {
    try {
      LibC.Statvfs probe = new LibC.Statvfs();
      if (LibC.INSTANCE.statvfs("/", probe) == 0) {
        return StatFs::statvfs;
      }
    } catch (LinkageError e) {
      // No native access (no JNA for this platform): fall through to what Java offers.
    }
    return StatFs::fileStore;
  }

  /** What Java's {@link FileStore} offers, without inodes: for systems other than Linux. */
  static StatFs portable() {
    return StatFs::fileStore;
  }

  private static FsUsage statvfs(Path mountPoint) throws IOException {
    LibC.Statvfs s = new LibC.Statvfs();
    if (LibC.INSTANCE.statvfs(mountPoint.toString(), s) != 0) {
      throw new IOException(
          "statvfs " + mountPoint + " failed, errno " + com.sun.jna.Native.getLastError());
    }
    long frsize = s.f_frsize.longValue() == 0 ? s.f_bsize.longValue() : s.f_frsize.longValue();
    return new FsUsage(
        s.f_blocks.longValue() * frsize,
        s.f_bfree.longValue() * frsize,
        s.f_bavail.longValue() * frsize,
        s.f_files.longValue(),
        s.f_ffree.longValue());
  }

  private static FsUsage fileStore(Path mountPoint) throws IOException {
    FileStore store = Files.getFileStore(mountPoint);
    return new FsUsage(
        store.getTotalSpace(), store.getUnallocatedSpace(), store.getUsableSpace(), 0, 0);
  }
}
