package io.custos.agent.backup;

/**
 * Counters a running backup or restore advances, for a progress display to read from another
 * thread. Written by one thread only; readers may see a slightly stale value, never a torn one.
 */
public final class Progress {
  volatile long entries;
  volatile long bytes;
  volatile long total = -1;

  /** Entries written or restored so far. */
  public long entries() {
    return entries;
  }

  /** Content bytes read (backup) or written (restore) so far. */
  public long bytes() {
    return bytes;
  }

  /** Content bytes expected in all, or -1 when unknown. */
  public long total() {
    return total;
  }

  /** Sets the expected total, e.g. from manifests before a restore. */
  public void total(long t) {
    total = t;
  }
}
