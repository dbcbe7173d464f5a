package io.custos.agent.backup;

import io.custos.agent.backup.tar.TarReader;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.io.input.CloseShieldInputStream;

/**
 * Reads a tar archive entry by entry: ours, or any POSIX/GNU/ustar archive GNU tar writes. The
 * compression is recognised by its magic bytes (the file name is not trusted); the tar stream is
 * parsed by {@link TarReader} (PAX records, long names, every sparse format, names and values as
 * exact bytes in {@link FileNames} form), so {@link #content()} gives a sparse file's full apparent
 * content.
 *
 * <p>It counts as it goes, so errors can say where: {@link #compressedOffset()} is how far the
 * decompressor has read into the file, {@link #tarOffset()} how far the tar stream has got. A
 * failure of the decompressor (corrupt or cut-off stream) surfaces as a {@link
 * CorruptStreamException} carrying the compressed offset. An age-encrypted archive ({@link Age}) is
 * decrypted as it is read; the compressed offset then counts decrypted bytes, and {@link
 * #drainAndHash} still hashes the file as it is on disk.
 */
public final class ArchiveReader implements Closeable {

  private final Path file;
  private final Compression compression;
  private final InputStream fileIn;
  private final MessageDigest digest;
  private final Counting compressed;
  private final Counting tarCount;
  private final TarReader tar;
  private TarArchiveEntry current;

  private ArchiveReader(Path file, Age.Identities identities) throws IOException {
    this.file = file;
    this.digest = ArchiveWriter.sha256();
    this.fileIn = new DigestInputStream(Files.newInputStream(file), digest);
    BufferedInputStream buffered = new BufferedInputStream(fileIn, 65536);
    byte[] head = new byte[Age.MAGIC.length];
    buffered.mark(head.length);
    int n = buffered.readNBytes(head, 0, head.length);
    buffered.reset();
    if (Age.isArmored(head, n)) { // age -a: base64 between BEGIN and END lines
      buffered = new BufferedInputStream(Age.dearmor(buffered, file.toString()), 65536);
      buffered.mark(head.length);
      n = buffered.readNBytes(head, 0, head.length);
      buffered.reset();
    }
    if (Age.isAge(head, n)) {
      try {
        buffered = new BufferedInputStream(identities.decrypt(buffered, file.toString()), 65536);
      } catch (IOException e) {
        fileIn.close();
        throw e;
      }
      buffered.mark(head.length);
      n = buffered.readNBytes(head, 0, head.length);
      buffered.reset();
    }
    this.compression = Compression.detect(head, n);
    this.compressed = new Counting(buffered);
    InputStream decompressed;
    try {
      decompressed = compression.decompress(compressed);
    } catch (IOException e) {
      fileIn.close();
      throw new CorruptStreamException(compression, compressed.count, e);
    }
    this.tarCount = new Counting(new Guard(decompressed));
    this.tar = new TarReader(tarCount);
  }

  /**
   * Opens {@code file}.
   *
   * @throws IOException naming the file if it cannot be opened or its stream header is corrupt
   */
  public static ArchiveReader open(Path file) throws IOException {
    return new ArchiveReader(file, Age.Identities.none());
  }

  /**
   * Opens {@code file}, decrypting it with {@code identities} when it is an age file (recognised by
   * its header, whatever its name).
   *
   * @throws Age.IdentityRequiredException when it is encrypted and there is no identity
   * @throws IOException naming the file if it cannot be opened, decrypted or its header is corrupt
   */
  public static ArchiveReader open(Path file, Age.Identities identities) throws IOException {
    return new ArchiveReader(file, identities);
  }

  /** The archive file. */
  public Path file() {
    return file;
  }

  /** The compression found by magic. */
  public Compression compression() {
    return compression;
  }

  /** The next entry, or null at the end of the archive. */
  public TarArchiveEntry next() throws IOException {
    current = tar.next();
    return current;
  }

  /** The entry {@link #next()} returned last. */
  public TarArchiveEntry current() {
    return current;
  }

  /** The current entry's content; do not close it. */
  public InputStream content() {
    // closing it must not close the archive stream, which goes on to the next entry
    return CloseShieldInputStream.wrap(tar.content());
  }

  /**
   * Reads the decompressed stream from where the tar reader stopped (its end-of-archive blocks) to
   * the codec's end, so that the checks a codec keeps over its whole stream run: zstd's frame
   * checksum, gzip's CRC-32 and size, xz's check, bzip2's CRCs, lz4's content checksum. A tar
   * reader stops at the end-of-archive marker and would otherwise never reach a checksum that
   * follows it.
   *
   * @return the bytes read after the tar stream's end (zero padding, or anything appended)
   * @throws CorruptStreamException when a check fails, with the compressed offset
   */
  public long drainStream() throws IOException {
    byte[] buf = new byte[65536];
    long n = 0;
    int r;
    while ((r = tarCount.read(buf)) >= 0) {
      n += r;
    }
    return n;
  }

  /** Bytes of the archive file consumed by the decompressor so far. */
  public long compressedOffset() {
    return compressed.count;
  }

  /** Bytes of uncompressed tar stream read so far. */
  public long tarOffset() {
    return tarCount.count;
  }

  /** Reads the file to its end and returns its sha256 (hex). */
  public String drainAndHash() throws IOException {
    byte[] buf = new byte[65536];
    while (fileIn.read(buf) >= 0) {
      // reading updates the digest
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  @Override
  public void close() throws IOException {
    try {
      tarCount.close(); // the decompressor's native memory, then the file
    } finally {
      fileIn.close();
    }
  }

  /** A decompressor failure, with how far into the file it had read. */
  public static final class CorruptStreamException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Compression compression;
    private final long compressedOffset;

    CorruptStreamException(Compression compression, long compressedOffset, IOException cause) {
      super(
          String.format(
              "%s stream corrupt or truncated at compressed offset %,d: %s",
              compression.configName(),
              compressedOffset,
              cause.getMessage() == null ? cause.toString() : cause.getMessage()),
          cause);
      this.compression = compression;
      this.compressedOffset = compressedOffset;
    }

    public Compression compression() {
      return compression;
    }

    public long compressedOffset() {
      return compressedOffset;
    }
  }

  private final class Guard extends FilterInputStream {
    Guard(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return in.read();
      } catch (CorruptStreamException e) {
        throw e;
      } catch (IOException e) {
        throw new CorruptStreamException(compression, compressed.count, e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (CorruptStreamException e) {
        throw e;
      } catch (IOException e) {
        throw new CorruptStreamException(compression, compressed.count, e);
      }
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buf = new byte[(int) Math.min(n, 65536)];
      long done = 0;
      while (done < n) {
        int r = read(buf, 0, (int) Math.min(buf.length, n - done));
        if (r < 0) {
          break;
        }
        done += r;
      }
      return done;
    }
  }

  private static final class Counting extends FilterInputStream {
    long count;

    Counting(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long s = in.skip(n);
      count += s;
      return s;
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }
}
