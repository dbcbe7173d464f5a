package io.custos.agent.backup.tar;

import io.custos.agent.backup.FileNames;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveStructSparse;

/**
 * Reads an uncompressed tar stream entry by entry, keeping every name and PAX value as the bytes
 * the archive holds. It reads what GNU tar 1.34 writes in every format (GNU tar manual, "Basic Tar
 * Format", "Extended Header Keywords", "Sparse Formats"; POSIX.1-2001 {@code pax}): ustar with
 * prefix, v7, GNU long names ({@code L}/{@code K}), GNU dumpdirs ({@code D}), PAX extended and
 * global headers ({@code x}/{@code g}) with {@code hdrcharset=BINARY}, octal and base-256 numbers,
 * and sparse files as old GNU ({@code S}) and PAX 0.0, 0.1 and 1.0 with 64-bit sizes.
 *
 * <p>Why not Commons Compress: its reader decodes PAX values as UTF-8 (losing non-UTF-8 names and
 * binary xattr values) and parses {@code GNU.sparse.realsize} as an {@code int} (1.28 fails on
 * sparse files of 2 GiB and more).
 *
 * <p>Entries are {@link TarArchiveEntry} objects so callers keep Commons Compress's vocabulary:
 * names, link targets and PAX values ({@link TarArchiveEntry#getExtraPaxHeaders()}, every record)
 * are Strings in {@link FileNames#decode} form, which {@link FileNames#encode} turns back into the
 * exact bytes. {@link #content()} gives a sparse file's full apparent content, holes as zeros.
 *
 * <p>Failure: an {@link IOException} naming the offset and the entry before it, for a bad checksum,
 * a malformed PAX record or sparse map, or a stream that ends inside a header or entry.
 */
public final class TarReader {

  private static final int BLOCK = 512;

  private final InputStream in;
  private final Map<String, byte[]> globals = new LinkedHashMap<>();
  private long offset;
  private long dataLeft;
  private long padding;
  private Entry current;
  private InputStream content = InputStream.nullInputStream();
  private String previous = "the start";
  private boolean ended;

  public TarReader(InputStream in) {
    this.in = in;
  }

  /** The next entry, or null after the end-of-archive block or at the end of the stream. */
  public TarArchiveEntry next() throws IOException {
    if (ended) {
      return null;
    }
    skipRest();
    Map<String, byte[]> pax = new LinkedHashMap<>();
    List<long[]> sparse00 = new ArrayList<>();
    byte[] longName = null;
    byte[] longLink = null;
    while (true) {
      long at = offset;
      byte[] h = readHeader();
      if (h == null) {
        ended = true;
        current = null;
        return null;
      }
      byte type = h[156];
      long size = number(h, 124, 12, "size", at);
      switch (type) {
        case 'x':
          parsePax(readData(size, at), pax, sparse00, at);
          continue;
        case 'g':
          parsePax(readData(size, at), globals, new ArrayList<>(), at);
          continue;
        case 'L':
          longName = cstring(readData(size, at));
          continue;
        case 'K':
          longLink = cstring(readData(size, at));
          continue;
        default:
          current = entry(h, type, size, at, merged(pax), sparse00, longName, longLink);
          previous = "'" + FileNames.display(current.getName()) + "'";
          return current;
      }
    }
  }

  /** The current entry's content (a sparse file's apparent content); do not close it. */
  public InputStream content() {
    return content;
  }

  private Map<String, byte[]> merged(Map<String, byte[]> local) {
    if (globals.isEmpty()) {
      return local;
    }
    Map<String, byte[]> all = new LinkedHashMap<>(globals);
    all.putAll(local);
    return all;
  }

  private Entry entry(
      byte[] h,
      byte type,
      long size,
      long at,
      Map<String, byte[]> pax,
      List<long[]> sparse00,
      byte[] longName,
      byte[] longLink)
      throws IOException {
    boolean posix = startsWith(h, 257, "ustar\0");
    boolean gnu = startsWith(h, 257, "ustar  \0");
    byte[] name = cstring(h, 0, 100);
    if (posix && h[345] != 0) {
      byte[] prefix = cstring(h, 345, 155);
      byte[] full = Arrays.copyOf(prefix, prefix.length + 1 + name.length);
      full[prefix.length] = '/';
      System.arraycopy(name, 0, full, prefix.length + 1, name.length);
      name = full;
    }
    if (longName != null) {
      name = longName;
    }
    byte[] link = longLink != null ? longLink : cstring(h, 157, 100);
    long uid = number(h, 108, 8, "uid", at);
    long gid = number(h, 116, 8, "gid", at);
    Instant mtime = Instant.ofEpochSecond(number(h, 136, 12, "mtime", at));
    String uname = FileNames.decode(cstring(h, 265, 32));
    String gname = FileNames.decode(cstring(h, 297, 32));
    long devMajor = posix || gnu ? number(h, 329, 8, "devmajor", at) : 0;
    long devMinor = posix || gnu ? number(h, 337, 8, "devminor", at) : 0;
    int mode = (int) (number(h, 100, 8, "mode", at) & 07777);

    List<long[]> regions = null;
    long realSize = -1;
    if (type == 'S' && gnu) {
      regions = oldGnuSparse(h, at);
      realSize = number(h, 483, 12, "realsize", at);
      type = '0';
    }
    for (Map.Entry<String, byte[]> r : pax.entrySet()) {
      String v = new String(r.getValue(), StandardCharsets.ISO_8859_1);
      String where = "PAX record '" + r.getKey() + "' of the entry at offset " + at;
      switch (r.getKey()) {
        case "path":
          name = r.getValue();
          break;
        case "linkpath":
          link = r.getValue();
          break;
        case "size":
          size = decimal(v, where);
          break;
        case "uid":
          uid = decimal(v, where);
          break;
        case "gid":
          gid = decimal(v, where);
          break;
        case "uname":
          uname = FileNames.decode(r.getValue());
          break;
        case "gname":
          gname = FileNames.decode(r.getValue());
          break;
        case "mtime":
          mtime = time(v, where);
          break;
        case "SCHILY.devmajor":
          devMajor = decimal(v, where);
          break;
        case "SCHILY.devminor":
          devMinor = decimal(v, where);
          break;
        default:
          break;
      }
    }
    boolean sparse1 = false;
    if (pax.containsKey("GNU.sparse.major")
        || pax.containsKey("GNU.sparse.map")
        || !sparse00.isEmpty()) {
      String where = "sparse records of the entry at offset " + at;
      if (pax.containsKey("GNU.sparse.name")) {
        name = pax.get("GNU.sparse.name");
      }
      byte[] real =
          pax.containsKey("GNU.sparse.realsize")
              ? pax.get("GNU.sparse.realsize")
              : pax.get("GNU.sparse.size");
      if (real == null) {
        throw new IOException(where + ": no GNU.sparse.realsize");
      }
      realSize = decimal(new String(real, StandardCharsets.ISO_8859_1), where);
      if (pax.containsKey("GNU.sparse.map")) {
        regions = pairs(new String(pax.get("GNU.sparse.map"), StandardCharsets.ISO_8859_1), where);
      } else if (!sparse00.isEmpty()) {
        regions = sparse00;
      } else {
        String major = new String(pax.get("GNU.sparse.major"), StandardCharsets.ISO_8859_1);
        if (!major.equals("1")) {
          throw new IOException(where + ": sparse format " + major + " is not known");
        }
        sparse1 = true;
      }
    }
    if (type == 'D') {
      pax = new LinkedHashMap<>(pax);
      pax.put("GNU.dumpdir", readData(size, at));
      size = 0;
      type = '5';
    } else if ((type == '0' || type == 0 || type == '7') && endsWithSlash(name)) {
      type = '5';
    }
    dataLeft = size;
    padding = (BLOCK - size % BLOCK) % BLOCK;
    String entryName = FileNames.decode(name);
    if (sparse1) {
      regions = sparse1Map(entryName);
      size = dataLeft;
    }
    if (regions != null) {
      checkRegions(regions, realSize, dataLeft, entryName);
    }
    Entry e = new Entry(entryName, type == 0 ? (byte) '0' : type);
    e.setMode(mode);
    e.setUserId(uid);
    e.setGroupId(gid);
    e.setUserName(uname);
    e.setGroupName(gname);
    e.setModTime(FileTime.from(mtime));
    e.setSize(size);
    e.setLinkName(FileNames.decode(link));
    if (type == '3' || type == '4') {
      e.setDevMajor((int) devMajor);
      e.setDevMinor((int) devMinor);
    }
    Map<String, String> extra = new LinkedHashMap<>();
    pax.forEach((k, v) -> extra.put(k, FileNames.decode(v)));
    e.extra = Collections.unmodifiableMap(extra);
    InputStream data = new EntryData(e);
    if (regions != null) {
      List<TarArchiveStructSparse> list = new ArrayList<>();
      for (long[] r : regions) {
        list.add(new TarArchiveStructSparse(r[0], r[1]));
      }
      e.sparse = Collections.unmodifiableList(list);
      e.realSize = realSize;
      data = new SparseData(data, regions, realSize);
    }
    content = data;
    return e;
  }

  /** The map at the start of a PAX 1.0 sparse entry's data: decimal lines, whole blocks. */
  private List<long[]> sparse1Map(String entry) throws IOException {
    String where = "sparse map of entry '" + FileNames.display(entry) + "'";
    List<Long> numbers = new ArrayList<>();
    StringBuilder digits = new StringBuilder();
    long count = -1;
    while (count < 0 || numbers.size() < 1 + 2 * count) {
      if (dataLeft < BLOCK) {
        throw new IOException(where + ": ends before its " + count + " regions");
      }
      byte[] block = readFully(BLOCK);
      dataLeft -= BLOCK;
      offset += BLOCK;
      for (byte b : block) {
        if (b == '\n') {
          numbers.add(decimal(digits.toString(), where));
          digits.setLength(0);
          if (numbers.size() == 1) {
            count = numbers.get(0);
            if (count > (1 << 24)) {
              throw new IOException(where + ": " + count + " regions is too many");
            }
          }
          if (count >= 0 && numbers.size() == 1 + 2 * count) {
            break;
          }
        } else {
          digits.append((char) b);
        }
      }
    }
    List<long[]> regions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      regions.add(new long[] {numbers.get(1 + 2 * i), numbers.get(2 + 2 * i)});
    }
    return regions;
  }

  private static void checkRegions(List<long[]> regions, long realSize, long data, String entry)
      throws IOException {
    long end = 0;
    long sum = 0;
    for (long[] r : regions) {
      if (r[0] < end || r[1] < 0 || r[0] + r[1] > realSize) {
        throw new IOException(
            String.format(
                "sparse map of entry '%s': region at %,d of %,d bytes is out of order or beyond"
                    + " the size %,d",
                FileNames.display(entry), r[0], r[1], realSize));
      }
      end = r[0] + r[1];
      sum += r[1];
    }
    if (sum != data) {
      throw new IOException(
          String.format(
              "sparse map of entry '%s' holds %,d bytes of data, the entry %,d",
              FileNames.display(entry), sum, data));
    }
  }

  private List<long[]> oldGnuSparse(byte[] h, long at) throws IOException {
    List<long[]> regions = new ArrayList<>();
    addOldSparse(h, 386, 4, regions, at);
    boolean extended = h[482] != 0;
    while (extended) {
      byte[] ext = readFully(BLOCK);
      offset += BLOCK;
      addOldSparse(ext, 0, 21, regions, at);
      extended = ext[504] != 0;
    }
    return regions;
  }

  private static void addOldSparse(byte[] b, int from, int count, List<long[]> out, long at)
      throws IOException {
    for (int i = 0; i < count; i++) {
      int o = from + 24 * i;
      if (b[o] == 0) {
        return;
      }
      out.add(new long[] {number(b, o, 12, "sparse offset", at), number(b, o + 12, 12, "", at)});
    }
  }

  /** Reads the next header block, or null at an end-of-archive (zero) block or clean EOF. */
  private byte[] readHeader() throws IOException {
    byte[] h = new byte[BLOCK];
    int n = in.readNBytes(h, 0, BLOCK);
    if (n == 0) {
      return null;
    }
    if (n < BLOCK) {
      throw new EOFException(
          String.format("archive ends inside a header at offset %,d after %s", offset, previous));
    }
    long at = offset;
    offset += BLOCK;
    boolean zero = true;
    for (byte b : h) {
      if (b != 0) {
        zero = false;
        break;
      }
    }
    if (zero) {
      return null;
    }
    long stored = number(h, 148, 8, "checksum", at);
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      int b = i >= 148 && i < 156 ? ' ' : h[i];
      unsigned += b & 0xff;
      signed += (byte) b;
    }
    if (stored != unsigned && stored != signed) {
      throw new IOException(
          String.format(
              "not a tar header at offset %,d after %s: checksum %d, the header says %d",
              at, previous, unsigned, stored));
    }
    return h;
  }

  private byte[] readData(long size, long at) throws IOException {
    if (size > (64 << 20)) {
      throw new IOException(
          String.format("header at offset %,d: %,d bytes of extended data is too much", at, size));
    }
    byte[] data = readFully((int) size);
    long pad = (BLOCK - size % BLOCK) % BLOCK;
    readFully((int) pad);
    offset += size + pad;
    return data;
  }

  private byte[] readFully(int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw new EOFException(
          String.format("archive ends at offset %,d inside the entry after %s", offset, previous));
    }
    return b;
  }

  private void skipRest() throws IOException {
    long left = dataLeft + padding;
    byte[] buf = new byte[8192];
    while (left > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (r < 0) {
        throw new EOFException(
            String.format("archive ends at offset %,d inside entry %s", offset, previous));
      }
      left -= r;
      offset += r;
    }
    dataLeft = 0;
    padding = 0;
  }

  private void parsePax(byte[] data, Map<String, byte[]> out, List<long[]> sparse00, long at)
      throws IOException {
    int i = 0;
    long pendingOffset = -1;
    while (i < data.length) {
      if (data[i] == 0) {
        break; // NUL padding after the last record
      }
      int space = i;
      while (space < data.length && data[space] != ' ') {
        space++;
      }
      String where = String.format("PAX header at offset %,d, byte %d", at, i);
      long len = decimal(new String(data, i, space - i, StandardCharsets.ISO_8859_1), where);
      if (len < 5 || i + len > data.length || data[(int) (i + len - 1)] != '\n') {
        throw new IOException(where + ": malformed record (length " + len + ")");
      }
      int eq = space + 1;
      while (eq < i + len && data[eq] != '=') {
        eq++;
      }
      if (eq >= i + len) {
        throw new IOException(where + ": record without '='");
      }
      String key = new String(data, space + 1, eq - space - 1, StandardCharsets.UTF_8);
      byte[] value = Arrays.copyOfRange(data, eq + 1, (int) (i + len - 1));
      String text = new String(value, StandardCharsets.ISO_8859_1);
      if (key.equals("GNU.sparse.offset")) {
        pendingOffset = decimal(text, where);
      } else if (key.equals("GNU.sparse.numbytes")) {
        if (pendingOffset < 0) {
          throw new IOException(where + ": GNU.sparse.numbytes without GNU.sparse.offset");
        }
        sparse00.add(new long[] {pendingOffset, decimal(text, where)});
        pendingOffset = -1;
      } else {
        out.put(key, value);
      }
      i += (int) len;
    }
  }

  private static List<long[]> pairs(String csv, String where) throws IOException {
    String[] f = csv.isEmpty() ? new String[0] : csv.split(",", -1);
    if (f.length % 2 != 0) {
      throw new IOException(where + ": GNU.sparse.map has an odd number of values");
    }
    List<long[]> out = new ArrayList<>();
    for (int i = 0; i < f.length; i += 2) {
      out.add(new long[] {decimal(f[i], where), decimal(f[i + 1], where)});
    }
    return out;
  }

  private static long decimal(String s, String where) throws IOException {
    try {
      long v = Long.parseLong(s.strip());
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IOException(where + ": '" + s + "' is not a number from 0 to 2^63-1");
    }
  }

  /** A PAX time: decimal seconds, maybe negative, maybe with up to 9 (or more) fraction digits. */
  static Instant time(String s, String where) throws IOException {
    try {
      BigDecimal d = new BigDecimal(s.strip());
      BigDecimal seconds = d.setScale(0, java.math.RoundingMode.FLOOR);
      long nanos =
          d.subtract(seconds)
              .movePointRight(9)
              .setScale(0, java.math.RoundingMode.FLOOR)
              .longValueExact();
      return Instant.ofEpochSecond(seconds.longValueExact(), nanos);
    } catch (NumberFormatException | ArithmeticException | java.time.DateTimeException e) {
      throw new IOException(where + ": '" + s + "' is not a time");
    }
  }

  /** An octal or base-256 numeric field. */
  static long number(byte[] h, int at, int size, String field, long offset) throws IOException {
    int b0 = h[at] & 0xff;
    if (b0 == 0x80 || b0 == 0xff) {
      long v = b0 == 0xff ? -1 : 0;
      for (int i = 1; i < size; i++) {
        if (i < size - 8 && (h[at + i] & 0xff) != (b0 == 0xff ? 0xff : 0)) {
          throw new IOException(
              String.format("header at offset %,d: %s does not fit 64 bits", offset, field));
        }
        v = (v << 8) | (h[at + i] & 0xff);
      }
      return v;
    }
    long v = 0;
    int i = at;
    int end = at + size;
    while (i < end && (h[i] == ' ' || h[i] == 0)) {
      i++;
      if (i < end && h[i - 1] == 0 && h[i] == 0) {
        return 0;
      }
    }
    for (; i < end && h[i] != ' ' && h[i] != 0; i++) {
      if (h[i] < '0' || h[i] > '7') {
        throw new IOException(
            String.format(
                "header at offset %,d: %s field '%s' is not octal",
                offset,
                field,
                new String(h, at, size, StandardCharsets.ISO_8859_1).replace("\0", "\\0")));
      }
      v = (v << 3) | (h[i] - '0');
    }
    return v;
  }

  private static boolean startsWith(byte[] h, int at, String magic) {
    for (int i = 0; i < magic.length(); i++) {
      if (h[at + i] != magic.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean endsWithSlash(byte[] name) {
    return name.length > 0 && name[name.length - 1] == '/';
  }

  private static byte[] cstring(byte[] b) {
    return cstring(b, 0, b.length);
  }

  private static byte[] cstring(byte[] b, int at, int size) {
    int end = at;
    while (end < at + size && b[end] != 0) {
      end++;
    }
    return Arrays.copyOfRange(b, at, end);
  }

  /** An entry read from an archive; sparse data and PAX values as this reader found them. */
  static final class Entry extends TarArchiveEntry {
    Map<String, String> extra = Map.of();
    List<TarArchiveStructSparse> sparse;
    long realSize = -1;

    Entry(String name, byte type) {
      super(name, type, true);
    }

    @Override
    public Map<String, String> getExtraPaxHeaders() {
      return extra;
    }

    @Override
    public String getExtraPaxHeader(String name) {
      return extra.get(name);
    }

    @Override
    public boolean isSparse() {
      return sparse != null;
    }

    @Override
    public boolean isPaxGNUSparse() {
      return sparse != null;
    }

    @Override
    public long getRealSize() {
      return sparse != null ? realSize : getSize();
    }

    @Override
    public List<TarArchiveStructSparse> getSparseHeaders() {
      return sparse == null ? List.of() : sparse;
    }

    @Override
    public List<TarArchiveStructSparse> getOrderedSparseHeaders() {
      return getSparseHeaders();
    }

    @Override
    public boolean equals(Object o) {
      return this == o;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(this);
    }
  }

  /** The stored data of the current entry: {@code dataLeft} bytes, then end of stream. */
  private final class EntryData extends InputStream {
    private final Entry entry;

    EntryData(Entry entry) {
      this.entry = entry;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (current != entry || dataLeft == 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, dataLeft));
      if (n < 0) {
        throw new EOFException(
            String.format(
                "archive ends at offset %,d, %,d bytes before the end of entry '%s'",
                offset, dataLeft, FileNames.display(entry.getName())));
      }
      dataLeft -= n;
      offset += n;
      return n;
    }
  }

  /** A sparse file's apparent content: zeros in holes, stored bytes in regions; skips holes. */
  private static final class SparseData extends InputStream {
    private final InputStream data;
    private final List<long[]> regions;
    private final long size;
    private long pos;
    private int region;

    SparseData(InputStream data, List<long[]> regions, long size) {
      this.data = data;
      this.regions = regions;
      this.size = size;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (pos >= size) {
        return -1;
      }
      while (region < regions.size() && pos >= regions.get(region)[0] + regions.get(region)[1]) {
        region++;
      }
      long next = region < regions.size() ? regions.get(region)[0] : size;
      if (pos < next) {
        int n = (int) Math.min(len, next - pos);
        Arrays.fill(b, off, off + n, (byte) 0);
        pos += n;
        return n;
      }
      long end = regions.get(region)[0] + regions.get(region)[1];
      int n = data.read(b, off, (int) Math.min(len, end - pos));
      if (n < 0) {
        throw new EOFException("archive ends inside a sparse region");
      }
      pos += n;
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long target = Math.min(size, pos + Math.max(0, n));
      long start = pos;
      byte[] buf = new byte[8192];
      while (pos < target) {
        while (region < regions.size() && pos >= regions.get(region)[0] + regions.get(region)[1]) {
          region++;
        }
        long next = region < regions.size() ? regions.get(region)[0] : size;
        if (pos < next) {
          pos = Math.min(next, target); // a hole: nothing stored to read
        } else if (read(buf, 0, (int) Math.min(buf.length, target - pos)) < 0) {
          break;
        }
      }
      return pos - start;
    }
  }
}
