package io.custos.agent.backup;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Optional;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.UnsupportedOptionsException;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * The compressions an archive can be written with, each with the file extension GNU tar's {@code
 * --auto-compress} expects ({@code .tar.gz}, {@code .tar.bz2}, {@code .tar.xz}, {@code .tar.lz4},
 * {@code .tar.zst}; {@link #NONE} is a plain {@code .tar}).
 *
 * <p>Levels are the command-line tools' levels ({@code gzip -1..-9}, {@code bzip2 -1..-9}, {@code
 * xz -0..-9}, {@code zstd -1..-22}); {@link #DEFAULT_LEVEL} picks each tool's default. LZ4 (frame
 * format, 4 MiB blocks, content checksum) and none have no level. zstd uses worker threads, and
 * gzip with workers writes independent 1 MiB members in parallel ({@link ParallelGzipOutputStream},
 * like {@code pigz --independent}); the others ignore workers. A level out of range is an {@link
 * IllegalArgumentException} naming the value; stream failures are {@link IOException}s from the
 * codec.
 */
public enum Compression {
  GZIP("gzip", "gz", 1, 9, 6),
  BZIP2("bzip2", "bz2", 1, 9, 9),
  XZ("xz", "xz", 0, 9, 6),
  LZ4("lz4", "lz4", 0, 0, 0),
  ZSTD("zstd", "zst", 1, 22, 3),
  NONE("none", "", 0, 0, 0);

  /** Asks for the codec's own default level. */
  public static final int DEFAULT_LEVEL = -1;

  private final String configName;
  private final String extension;
  private final int minLevel;
  private final int maxLevel;
  private final int defaultLevel;

  Compression(String configName, String extension, int minLevel, int maxLevel, int defaultLevel) {
    this.configName = configName;
    this.extension = extension;
    this.minLevel = minLevel;
    this.maxLevel = maxLevel;
    this.defaultLevel = defaultLevel;
  }

  /** The name used in {@code agent.yml}: {@code gzip | bzip2 | xz | lz4 | zstd | none}. */
  public String configName() {
    return configName;
  }

  /** The extension after {@code .tar.}, empty for {@link #NONE}. */
  public String extension() {
    return extension;
  }

  /** The whole archive suffix: {@code .tar.zst}, or {@code .tar} for {@link #NONE}. */
  public String suffix() {
    return extension.isEmpty() ? ".tar" : ".tar." + extension;
  }

  /**
   * Parses a configuration value, case-insensitively.
   *
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  public static Compression fromConfig(String value) {
    for (Compression c : values()) {
      if (c.configName.equalsIgnoreCase(value == null ? "" : value.trim())) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "compression: expected gzip|bzip2|xz|lz4|zstd|none, got \"" + value + "\"");
  }

  /** The compression an archive file name implies ({@code x.tar.gz}, {@code x.tgz}, ...). */
  public static Optional<Compression> fromFileName(String fileName) {
    String n = fileName.toLowerCase(Locale.ROOT);
    for (Compression c : values()) {
      if (c != NONE && n.endsWith(c.suffix())) {
        return Optional.of(c);
      }
    }
    if (n.endsWith(".tgz")) {
      return Optional.of(GZIP);
    }
    if (n.endsWith(".tar")) {
      return Optional.of(NONE);
    }
    return Optional.empty();
  }

  /**
   * Recognises a compressed stream by its magic bytes; anything else is taken as a plain tar.
   *
   * @param head the first bytes of the stream (at least 6 for a sure answer)
   * @param length how many bytes of {@code head} are valid
   */
  public static Compression detect(byte[] head, int length) {
    if (starts(head, length, 0x1f, 0x8b)) {
      return GZIP;
    }
    if (starts(head, length, 'B', 'Z', 'h')) {
      return BZIP2;
    }
    if (starts(head, length, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
      return XZ;
    }
    if (starts(head, length, 0x04, 0x22, 0x4d, 0x18)) {
      return LZ4;
    }
    if (starts(head, length, 0x28, 0xb5, 0x2f, 0xfd)) {
      return ZSTD;
    }
    return NONE;
  }

  private static boolean starts(byte[] head, int length, int... magic) {
    if (length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((head[i] & 0xff) != magic[i]) {
        return false;
      }
    }
    return true;
  }

  /** The level actually used for {@code level}, after checking its range. */
  public int effectiveLevel(int level) {
    if (level == DEFAULT_LEVEL) {
      return defaultLevel;
    }
    if (level < minLevel || level > maxLevel) {
      throw new IllegalArgumentException(
          configName
              + " level must be "
              + (minLevel == maxLevel ? "omitted" : "between " + minLevel + " and " + maxLevel)
              + ", got "
              + level);
    }
    return level;
  }

  /**
   * Wraps {@code out} in this compressor. Closing the returned stream finishes the compressed
   * stream and closes {@code out}.
   *
   * @param level a level in this codec's range, or {@link #DEFAULT_LEVEL}
   * @param workers zstd or gzip worker threads (0 = compress in one thread); ignored otherwise
   */
  public OutputStream compress(OutputStream out, int level, int workers) throws IOException {
    int lvl = effectiveLevel(level);
    if (workers < 0) {
      throw new IllegalArgumentException("workers must not be negative, got " + workers);
    }
    switch (this) {
      case GZIP:
        if (workers > 0) {
          return new ParallelGzipOutputStream(out, lvl, workers);
        }
        GzipParameters p = new GzipParameters();
        p.setCompressionLevel(lvl);
        // The default 512-byte deflate buffer costs a JNI call per 512 bytes of output.
        p.setBufferSize(64 * 1024);
        return new GzipCompressorOutputStream(out, p);
      case BZIP2:
        return new BZip2CompressorOutputStream(out, lvl);
      case XZ:
        try {
          return new XZOutputStream(out, new LZMA2Options(lvl));
        } catch (UnsupportedOptionsException e) {
          throw new IllegalArgumentException("xz level " + lvl + ": " + e.getMessage(), e);
        }
      case LZ4:
        return new FramedLZ4CompressorOutputStream(
            out,
            new FramedLZ4CompressorOutputStream.Parameters(
                FramedLZ4CompressorOutputStream.BlockSize.M4, true, false, false));
      case ZSTD:
        ZstdOutputStreamNoFinalizer z = new ZstdOutputStreamNoFinalizer(out, lvl);
        z.setChecksum(true);
        if (workers > 0) {
          z.setWorkers(workers);
        }
        return z;
      case NONE:
        return out;
      default:
        throw new AssertionError(this);
    }
  }

  /**
   * The memory an encoder needs.
   *
   * @param heapBytes on the Java heap, mostly in a few large arrays
   * @param nativeBytes outside it (zlib, zstd), bounded by the machine's memory, not {@code -Xmx}
   */
  public record EncoderMemory(long heapBytes, long nativeBytes) {
    /** Both together. */
    public long total() {
      return heapBytes + nativeBytes;
    }
  }

  /**
   * zstd's compression parameters for inputs over 256 KiB, by level 1..22 ({@code
   * lib/compress/clevels.h}): window log, chain log, hash log.
   */
  private static final int[][] ZSTD_LOGS = {
    {19, 12, 13}, {20, 15, 16}, {21, 16, 17}, {21, 18, 18}, {21, 18, 19}, {21, 18, 19},
    {21, 19, 20}, {21, 19, 20}, {22, 20, 21}, {22, 21, 22}, {22, 21, 22}, {22, 22, 23},
    {22, 22, 22}, {22, 22, 23}, {22, 23, 23}, {22, 22, 22}, {23, 23, 22}, {23, 23, 22},
    {23, 24, 22}, {25, 25, 23}, {26, 26, 24}, {27, 27, 25}
  };

  /**
   * What an encoder at {@code level} with {@code workers} needs, from each codec's documented
   * figures: xz from XZ for Java's {@code LZMA2Options.getEncoderMemoryUsage()} (dictionary and
   * match finder: 674 MiB at level 9, 94 MiB at the default 6, all on the heap); zstd from the
   * level's window, hash and chain table sizes ({@code clevels.h}; 768 MiB at 22), once per worker
   * plus each worker's input and output buffers; bzip2 about 9 bytes per block byte (8.5 MiB at 9);
   * lz4 three 4 MiB blocks; gzip zlib's 256 KiB, or two 1 MiB buffers per worker.
   *
   * @param level a level in this codec's range, or {@link #DEFAULT_LEVEL}
   * @param workers worker threads as for {@link #compress}
   * @throws IllegalArgumentException for a level out of range
   */
  public EncoderMemory encoderMemory(int level, int workers) {
    int lvl = effectiveLevel(level);
    long mib = 1L << 20;
    switch (this) {
      case XZ:
        try {
          return new EncoderMemory(new LZMA2Options(lvl).getEncoderMemoryUsage() * 1024L, 0);
        } catch (UnsupportedOptionsException e) {
          throw new IllegalArgumentException("xz level " + lvl + ": " + e.getMessage(), e);
        }
      case ZSTD:
        int[] logs = ZSTD_LOGS[lvl - 1];
        long window = 1L << logs[0];
        long tables = 4L * ((1L << logs[1]) + (1L << logs[2])) + mib;
        long context = window + tables;
        // zstdmt: a context per worker, jobs of 4 windows in and out, and the shared window.
        long n = workers > 0 ? context * workers + 8 * window * workers + window : context;
        return new EncoderMemory(mib, n);
      case BZIP2:
        return new EncoderMemory(9L * 100_000 * lvl + mib / 2, 0);
      case LZ4:
        return new EncoderMemory(12 * mib + mib / 2, 0);
      case GZIP:
        return workers > 0
            ? new EncoderMemory(2 * mib * (workers + 1), mib / 4 * workers)
            : new EncoderMemory(mib / 8, mib / 4);
      case NONE:
        return new EncoderMemory(0, 0);
      default:
        throw new AssertionError(this);
    }
  }

  /** Wraps {@code in} in this decompressor; concatenated streams are read as one. */
  public InputStream decompress(InputStream in) throws IOException {
    switch (this) {
      case GZIP:
        return new GzipCompressorInputStream(in, true);
      case BZIP2:
        return new BZip2CompressorInputStream(in, true);
      case XZ:
        return new XZInputStream(in);
      case LZ4:
        return new FramedLZ4CompressorInputStream(in, true);
      case ZSTD:
        return new ZstdInputStreamNoFinalizer(in);
      case NONE:
        return in;
      default:
        throw new AssertionError(this);
    }
  }
}
