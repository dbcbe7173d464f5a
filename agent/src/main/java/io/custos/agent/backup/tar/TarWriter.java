package io.custos.agent.backup.tar;

import io.custos.agent.backup.FileNames;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.SortedMap;

/**
 * Writes a POSIX (pax) tar stream entry by entry: for each entry its PAX extended header when
 * {@link TarHeaders#paxRecords} or the caller has records, its ustar header, then the data the
 * caller writes, checked against the header's size and zero-padded to 512-byte blocks; at the end
 * two zero blocks and padding to a 10240-byte record (GNU tar's default blocking factor 20). GNU
 * extensions are written as GNU tar 1.34 writes them with {@code --format=posix}: {@code
 * GNU.dumpdir} on directories ({@link #dumpdir}) and PAX sparse 1.0 ({@link #beginSparse}).
 *
 * <p>Why our own writer rather than Commons Compress's {@code TarArchiveOutputStream}: that writer
 * decodes names as text (a name that is not UTF-8 cannot be stored byte for byte), orders PAX
 * records by hash and keeps only 100 ns of a time stamp; GNU tar keeps all three.
 *
 * <p>Failure: writing more data than the header gives, or closing an entry before all of it was
 * written, is an {@link IOException} that says both byte counts; what the underlying stream throws
 * (a full disk) passes through.
 */
public final class TarWriter implements Closeable {
  private static final int RECORD = 20 * TarHeaders.BLOCK;
  private static final byte[] ZEROS = new byte[RECORD];

  private final OutputStream out;
  private long written;
  private long entryLeft;
  private long entrySize;

  /** A writer onto {@code out}, which it closes on {@link #close}. */
  public TarWriter(OutputStream out) {
    this.out = out;
  }

  /**
   * Starts entry {@code h}: its PAX header (records {@link TarHeaders#paxRecords} asks for, then
   * {@code tail}: xattrs, ACLs, dumpdir) and its ustar header. The caller then writes {@code
   * h.size()} bytes of data and calls {@link #closeEntry}.
   *
   * @param tail records that come last, or null
   */
  public void begin(TarHeaders.Header h, PaxRecords tail) throws IOException {
    PaxRecords pax = TarHeaders.paxRecords(h);
    if (tail != null) {
      pax.putAll(tail);
    }
    header(h, pax);
  }

  /**
   * Starts file {@code file} as PAX sparse 1.0, as {@code tar -S --format=posix} does: records
   * {@code GNU.sparse.major=1}, {@code minor=0}, {@code name} (the real name) and {@code realsize}
   * ({@code file.size()}, the apparent size) come first, then {@code tail}; the ustar name is
   * {@code <dir>/GNUSparseFile.<pid>/<base>} and gets no {@code path} record; the entry's size is
   * the map plus the data. Writes the map; the caller then writes {@code dataBytes} bytes (the data
   * regions only) and calls {@link #closeEntry}.
   *
   * @param map the sparse map, decimal lines NUL-padded to 512 bytes
   * @param dataBytes the sum of the data regions' lengths
   * @param pid what names the fake directory (GNU tar uses its process id)
   */
  public void beginSparse(
      TarHeaders.Header file, byte[] map, long dataBytes, String pid, PaxRecords tail)
      throws IOException {
    byte[] name = file.name();
    int slash = lastSlash(name);
    byte[] dir = slash < 0 ? new byte[] {'.'} : Arrays.copyOfRange(name, 0, slash);
    byte[] base = Arrays.copyOfRange(name, slash + 1, name.length);
    ByteArrayOutputStream fake = new ByteArrayOutputStream();
    fake.writeBytes(dir);
    fake.writeBytes(FileNames.encode("/GNUSparseFile." + pid + "/"));
    fake.writeBytes(base);
    TarHeaders.Header h =
        new TarHeaders.Header(
            file.type(),
            fake.toByteArray(),
            file.linkName(),
            map.length + dataBytes,
            file.mode(),
            file.uid(),
            file.gid(),
            file.uname(),
            file.gname(),
            file.mtime(),
            file.devMajor(),
            file.devMinor());
    PaxRecords fields = TarHeaders.paxRecords(h);
    fields.remove("path");
    fields.remove("hdrcharset");
    PaxRecords pax = new PaxRecords();
    if (!FileNames.isUtf8(name)) {
      pax.put("hdrcharset", "BINARY");
    }
    pax.put("GNU.sparse.major", "1");
    pax.put("GNU.sparse.minor", "0");
    pax.put("GNU.sparse.name", name);
    pax.put("GNU.sparse.realsize", Long.toString(file.size()));
    pax.putAll(fields);
    if (tail != null) {
      pax.putAll(tail);
    }
    header(h, pax);
    write(map);
  }

  /**
   * The value of a directory's {@code GNU.dumpdir} record: each child's flag ({@code Y} in this
   * archive, {@code N} not, {@code D} directory) and name, NUL-terminated, in the map's order, and
   * a final NUL: {@code Ya\0Dsub\0\0}.
   */
  public static byte[] dumpdir(SortedMap<String, Character> children) {
    ByteArrayOutputStream dump = new ByteArrayOutputStream();
    children.forEach(
        (n, f) -> {
          dump.write(f);
          dump.writeBytes(FileNames.encode(n));
          dump.write(0);
        });
    dump.write(0);
    return dump.toByteArray();
  }

  private void header(TarHeaders.Header h, PaxRecords pax) throws IOException {
    if (!pax.isEmpty()) {
      byte[] records = pax.encode();
      start(TarHeaders.paxHeader(h.name(), records.length, h.mtime()), records.length);
      write(records);
      closeEntry();
    }
    start(TarHeaders.ustar(h), h.size());
  }

  private void start(byte[] block, long dataSize) throws IOException {
    out.write(block);
    written += block.length;
    entryLeft = dataSize;
    entrySize = dataSize;
  }

  /** Writes all of {@code b} as the current entry's data. */
  public void write(byte[] b) throws IOException {
    write(b, 0, b.length);
  }

  /**
   * Writes {@code len} bytes of the current entry's data.
   *
   * @throws IOException when they exceed what the entry's header gives
   */
  public void write(byte[] b, int off, int len) throws IOException {
    if (len > entryLeft) {
      throw new IOException(
          String.format(
              "writing %,d bytes exceeds the %,d bytes in the entry's header", len, entrySize));
    }
    out.write(b, off, len);
    written += len;
    entryLeft -= len;
  }

  /**
   * Ends the current entry, padding its data to a whole block.
   *
   * @throws IOException when fewer bytes were written than the entry's header gives
   */
  public void closeEntry() throws IOException {
    if (entryLeft != 0) {
      throw new IOException(
          String.format(
              "entry closed at %,d bytes before the %,d its header gives",
              entrySize - entryLeft, entrySize));
    }
    int pad = (int) ((TarHeaders.BLOCK - written % TarHeaders.BLOCK) % TarHeaders.BLOCK);
    out.write(ZEROS, 0, pad);
    written += pad;
  }

  /** Ends the archive: two zero blocks, padding to a whole record, and a flush. */
  public void finish() throws IOException {
    out.write(ZEROS, 0, 2 * TarHeaders.BLOCK);
    written += 2 * TarHeaders.BLOCK;
    int pad = (int) ((RECORD - written % RECORD) % RECORD);
    out.write(ZEROS, 0, pad);
    written += pad;
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  private static int lastSlash(byte[] name) {
    for (int i = name.length - 1; i >= 0; i--) {
      if (name[i] == '/') {
        return i;
      }
    }
    return -1;
  }
}
