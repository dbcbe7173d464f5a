package io.custos.agent.check.os;

import com.sun.jna.platform.linux.LibC;
import io.custos.agent.check.CheckRunner;
import io.custos.agent.check.CommandRunner;
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

  /**
   * statfs(2) in a child process, coreutils' {@code stat --file-system}: for network and FUSE file
   * systems. A statfs on a dead hard NFS mount or a stuck FUSE daemon can wait in the kernel
   * uninterruptibly, and a process with such a thread cannot exit until it returns; in a child that
   * waits instead, the agent (and a one-shot {@code custos-agent check} run by cron) goes on and
   * exits on time. The child is abandoned after {@code timeout}.
   */
  static StatFs inChildProcess(CommandRunner runner, java.time.Duration timeout) {
    return mountPoint -> {
      CommandRunner.Output o;
      try {
        o =
            runner.run(
                java.util.List.of(
                    "stat",
                    "--file-system",
                    "--format=%S %b %f %a %c %d",
                    "--",
                    mountPoint.toString()),
                timeout);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("statfs " + mountPoint + " interrupted");
      }
      if (o.timedOut()) {
        throw new IOException(
            "statfs did not return within "
                + CheckRunner.format(timeout)
                + " (a dead network file system?)");
      }
      return parseStatOutput(mountPoint, o);
    };
  }

  /** {@code frsize blocks bfree bavail files ffree} as {@link #inChildProcess} asks stat for. */
  static FsUsage parseStatOutput(Path mountPoint, CommandRunner.Output o) throws IOException {
    String[] f = o.stdout().strip().split("\\s+");
    if (o.exit() != 0 || f.length != 6) {
      String why = o.stderr().isBlank() ? o.stdout().strip() : o.stderr().strip();
      throw new IOException("stat --file-system " + mountPoint + " failed: " + why);
    }
    try {
      long frsize = Long.parseLong(f[0]);
      return new FsUsage(
          Long.parseLong(f[1]) * frsize,
          Long.parseLong(f[2]) * frsize,
          Long.parseLong(f[3]) * frsize,
          Long.parseLong(f[4]),
          Long.parseLong(f[5]));
    } catch (NumberFormatException e) {
      throw new IOException(
          "stat --file-system " + mountPoint + " printed \"" + o.stdout().strip() + "\"");
    }
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
