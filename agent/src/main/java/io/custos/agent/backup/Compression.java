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
