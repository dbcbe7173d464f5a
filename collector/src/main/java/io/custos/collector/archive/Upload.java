package io.custos.collector.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * One upload in progress: bytes are appended to a temporary file and hashed as they come; {@link
 * #finish} fsyncs, checks size and SHA-256 and publishes, {@link #abort} removes the temporary
 * file. Not thread-safe: one thread at a time (the HTTP layer runs an upload's calls in order on
 * one executor). Every path ends in {@link #finish} or {@link #abort}, after which it does nothing.
 */
public final class Upload {
  private final ArchiveStore store;
  final String key;
  final String node;
  final String object;
  final long size;
  private final String sha256;
  final ArchiveIndex.Fields fields;
  final Path temp;
  private final FileChannel channel;
  private final MessageDigest digest = ArchiveStore.sha256();
  private long written;
  private boolean done;

  Upload(
      ArchiveStore store,
      String key,
      String node,
      String object,
      long size,
      String sha256,
      ArchiveIndex.Fields fields,
      Path temp,
      FileChannel channel) {
    this.store = store;
    this.key = key;
    this.node = node;
    this.object = object;
    this.size = size;
    this.sha256 = sha256;
    this.fields = fields;
    this.temp = temp;
    this.channel = channel;
  }

  /**
   * Appends {@code bytes} (consumed).
   *
   * @throws ArchiveException 400 when the body runs past its Content-Length, 507 when the disk is
   *     full, 500 on another disk failure; the upload is then aborted
   */
  public void write(ByteBuffer bytes) throws ArchiveException {
    if (done) {
      return;
    }
    int n = bytes.remaining();
    if (written + n > size) {
      abort();
      throw new ArchiveException(
          400, object + ": body longer than its Content-Length of " + size + " bytes");
    }
    digest.update(bytes.duplicate());
    try {
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    } catch (IOException e) {
      long free = usableSpace();
      abort();
      store.health().failed("write", e);
      if (free >= 0 && free < size - written) {
        throw new ArchiveException(
            507, "the archive store has no room left for " + object + ": " + e.getMessage(), e);
      }
      throw new ArchiveException(500, "cannot write " + object + ": " + e.getMessage(), e);
    }
    written += n;
  }

  /** Bytes received so far. */
  public long written() {
    return written;
  }

  /**
   * Ends the body: fsync, check size and SHA-256, publish.
   *
   * @return the published index
   * @throws ArchiveException 400 on a size or SHA-256 mismatch (nothing is published), 409 when the
   *     name was published meanwhile, 500 on a disk failure
   */
  public ArchiveIndex finish() throws ArchiveException {
    if (done) {
      throw new IllegalStateException("upload of " + object + " already ended");
    }
    try {
      if (written != size) {
        throw new ArchiveException(
            400,
            object + ": body ended at " + written + " of the " + size + " bytes of Content-Length");
      }
      String actual = ArchiveIndex.hex(digest.digest());
      if (!actual.equals(sha256)) {
        throw new ArchiveException(
            400,
            object
                + ": sha256 of the body is "
                + actual
                + ", X-Custos-Sha256 said "
                + sha256
                + "; nothing stored");
      }
      try {
        channel.force(true);
        channel.close();
      } catch (IOException e) {
        throw new ArchiveException(500, "cannot sync " + object + ": " + e.getMessage(), e);
      }
      return store.publish(this, actual);
    } finally {
      abort();
    }
  }

  /** Drops the upload: closes and deletes the temporary file. Idempotent. */
  public void abort() {
    if (done) {
      return;
    }
    done = true;
    try {
      channel.close();
    } catch (IOException e) {
      // the file is deleted next anyway
    }
    ArchiveStore.deleteQuietly(temp);
    store.release(this);
  }

  private long usableSpace() {
    try {
      return Files.getFileStore(temp.getParent()).getUsableSpace();
    } catch (IOException e) {
      return -1;
    }
  }
}
