package io.custos.agent.check.os;

/**
 * The statvfs numbers of one mounted file system, in bytes and inodes.
 *
 * @param totalBytes size
 * @param freeBytes free, including the blocks reserved for root
 * @param availableBytes free to unprivileged users
 * @param totalInodes 0 when the file system has no fixed inode table (btrfs, some network file
 *     systems)
 * @param freeInodes free inodes
 */
public record FsUsage(
    long totalBytes, long freeBytes, long availableBytes, long totalInodes, long freeInodes) {

  /**
   * Used space as {@code df} computes it: used over used plus available, so the root reserve counts
   * as unavailable rather than free.
   */
  public double usedPercent() {
    long used = totalBytes - freeBytes;
    long denominator = used + availableBytes;
    return denominator <= 0 ? 0 : used * 100.0 / denominator;
  }

  /** True when the file system reports inodes at all. */
  public boolean hasInodes() {
    return totalInodes > 0;
  }

  /** Used inodes in percent; 0 without inodes. */
  public double inodesUsedPercent() {
    return hasInodes() ? (totalInodes - freeInodes) * 100.0 / totalInodes : 0;
  }
}
