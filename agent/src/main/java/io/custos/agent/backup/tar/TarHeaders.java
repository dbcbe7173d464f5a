package io.custos.agent.backup.tar;

import io.custos.agent.backup.FileNames;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * What a POSIX (pax) tar header of one entry holds, decided by pure functions: which values fit the
 * 512-byte ustar header and which need a PAX extended record, and the bytes of both. The model is
 * Go's {@code archive/tar} {@code Header.allowedFormats}: every field is checked against its ustar
 * limits, and a value that does not fit goes into a record of the PAX header before it.
 *
 * <p>Formats: ustar and pax as POSIX.1-2001 ({@code pax(1)}, "pax Interchange Format") defines
 * them; GNU tar 1.34's own choices where POSIX leaves room (GNU tar manual, "Basic Tar Format" and
 * "Extended Header Keywords"): the PAX header is named {@code <dir>/PaxHeaders/<base>}, numeric
 * fields that do not fit in octal are written as 0 beside their record, and names go into a {@code
 * path} record when longer than 100 bytes or not ASCII ({@code hdrcharset=BINARY} first when the
 * bytes are not UTF-8). The ustar name is a fallback for readers that ignore PAX; it never changes
 * what the entry is: a non-directory's fallback never ends in {@code /}, none ends in {@code .} or
 * {@code ..}, and a directory's always ends in {@code /}.
 */
public final class TarHeaders {

  public static final int BLOCK = 512;
  static final long MAX_OCTAL_7 = 07777777L;
  static final long MAX_OCTAL_11 = 077777777777L;
  private static final int NAME_SIZE = 100;
  private static final int OWNER_SIZE = 32;

  private TarHeaders() {}

  /**
   * The fields of one entry, as an archive holds them.
   *
   * @param type the ustar type flag ({@code '0'}, {@code '1'}, {@code '2'}, {@code '3'}, {@code
   *     '4'}, {@code '5'}, {@code '6'})
   * @param name the entry name's bytes (a directory's ends in {@code /})
   * @param linkName the link target's bytes, empty for none
   * @param size bytes of data that follow the header
   * @param mode permission bits, {@code 07777}
   * @param uid owner id, 0 to 2^32-1
   * @param gid group id, 0 to 2^32-1
   * @param uname owner name, "" for none
   * @param gname group name, "" for none
   * @param mtime modification time, any instant
   * @param devMajor device major number (character and block devices), else 0
   * @param devMinor device minor number, else 0
   */
  public record Header(
      byte type,
      byte[] name,
      byte[] linkName,
      long size,
      int mode,
      long uid,
      long gid,
      String uname,
      String gname,
      Instant mtime,
      long devMajor,
      long devMinor) {}

  /**
   * The PAX records {@code h} needs, in the order they are written: {@code hdrcharset}, {@code
   * path}, {@code linkpath}, {@code size}, {@code uid}, {@code gid}, {@code uname}, {@code gname},
   * {@code mtime}, {@code SCHILY.devmajor}, {@code SCHILY.devminor}; empty if the ustar header
   * holds everything.
   */
  public static PaxRecords paxRecords(Header h) {
    PaxRecords pax = new PaxRecords();
    boolean path = !fitsName(h.name());
    boolean link = h.linkName().length > 0 && !fitsName(h.linkName());
    if ((path && !FileNames.isUtf8(h.name())) || (link && !FileNames.isUtf8(h.linkName()))) {
      pax.put("hdrcharset", "BINARY");
    }
    if (path) {
      pax.put("path", h.name());
    }
    if (link) {
      pax.put("linkpath", h.linkName());
    }
    if (!fits(h.size(), MAX_OCTAL_11)) {
      pax.put("size", Long.toString(h.size()));
    }
    if (!fits(h.uid(), MAX_OCTAL_7)) {
      pax.put("uid", Long.toString(h.uid()));
    }
    if (!fits(h.gid(), MAX_OCTAL_7)) {
      pax.put("gid", Long.toString(h.gid()));
    }
    if (!fitsOwner(h.uname())) {
      pax.put("uname", h.uname());
    }
    if (!fitsOwner(h.gname())) {
      pax.put("gname", h.gname());
    }
    if (h.mtime().getNano() != 0 || !fits(h.mtime().getEpochSecond(), MAX_OCTAL_11)) {
      pax.put("mtime", PaxRecords.time(h.mtime()));
    }
    if (!fits(h.devMajor(), MAX_OCTAL_7)) {
      pax.put("SCHILY.devmajor", Long.toString(h.devMajor()));
    }
    if (!fits(h.devMinor(), MAX_OCTAL_7)) {
      pax.put("SCHILY.devminor", Long.toString(h.devMinor()));
    }
    return pax;
  }

  /** The 512-byte ustar header of {@code h}: every value that fits, the safe fallback otherwise. */
  public static byte[] ustar(Header h) {
    byte[] b = new byte[BLOCK];
    boolean dir = h.type() == '5';
    put(b, 0, NAME_SIZE, fitsName(h.name()) ? h.name() : fallback(h.name(), dir));
    octal(b, 100, 8, h.mode() & 07777);
    octal(b, 108, 8, fits(h.uid(), MAX_OCTAL_7) ? h.uid() : 0);
    octal(b, 116, 8, fits(h.gid(), MAX_OCTAL_7) ? h.gid() : 0);
    octal(b, 124, 12, fits(h.size(), MAX_OCTAL_11) ? h.size() : 0);
    long seconds = h.mtime().getEpochSecond();
    octal(b, 136, 12, fits(seconds, MAX_OCTAL_11) ? seconds : 0);
    b[156] = h.type();
    if (h.linkName().length > 0) {
      put(b, 157, NAME_SIZE, fitsName(h.linkName()) ? h.linkName() : fallback(h.linkName(), false));
    }
    put(b, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
    put(b, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
    put(b, 265, OWNER_SIZE, fitsOwner(h.uname()) ? ascii(h.uname()) : new byte[0]);
    put(b, 297, OWNER_SIZE, fitsOwner(h.gname()) ? ascii(h.gname()) : new byte[0]);
    if (h.type() != 'x' && h.type() != 'g') { // GNU tar fills them for every entry but these
      octal(b, 329, 8, fits(h.devMajor(), MAX_OCTAL_7) ? h.devMajor() : 0);
      octal(b, 337, 8, fits(h.devMinor(), MAX_OCTAL_7) ? h.devMinor() : 0);
    }
    checksum(b);
    return b;
  }

  /**
   * The ustar header of the PAX header ({@code x}) that carries {@code recordBytes} bytes of
   * records for the entry {@code entryName}: named {@code <dir>/PaxHeaders/<base>} like GNU tar,
   * mode 0644, owner 0, mtime the entry's clamped to the octal range.
   */
  public static byte[] paxHeader(byte[] entryName, long recordBytes, Instant mtime) {
    int end = entryName.length;
    while (end > 1 && entryName[end - 1] == '/') {
      end--;
    }
    int slash = end - 1;
    while (slash >= 0 && entryName[slash] != '/') {
      slash--;
    }
    byte[] dir = slash < 0 ? new byte[] {'.'} : Arrays.copyOfRange(entryName, 0, slash);
    byte[] base = Arrays.copyOfRange(entryName, slash + 1, end);
    byte[] mid = "/PaxHeaders/".getBytes(StandardCharsets.US_ASCII);
    byte[] name = new byte[dir.length + mid.length + base.length];
    System.arraycopy(dir, 0, name, 0, dir.length);
    System.arraycopy(mid, 0, name, dir.length, mid.length);
    System.arraycopy(base, 0, name, dir.length + mid.length, base.length);
    long seconds = Math.max(0, Math.min(mtime.getEpochSecond(), MAX_OCTAL_11));
    return ustar(
        new Header(
            (byte) 'x',
            name,
            new byte[0],
            recordBytes,
            0644,
            0,
            0,
            "",
            "",
            Instant.ofEpochSecond(seconds),
            0,
            0));
  }

  /**
   * The ustar name of an entry whose real name does not fit: its first bytes, cut to 100 (99 and a
   * {@code /} for a directory), without trailing {@code /} or {@code .}, so the cut never turns a
   * file into a directory nor ends in {@code ..}.
   */
  static byte[] fallback(byte[] name, boolean directory) {
    int end = name.length;
    while (end > 0 && name[end - 1] == '/') {
      end--;
    }
    end = Math.min(end, directory ? NAME_SIZE - 1 : NAME_SIZE);
    while (end > 0 && (name[end - 1] == '/' || name[end - 1] == '.')) {
      end--;
    }
    byte[] cut = end == 0 ? new byte[] {'_'} : Arrays.copyOf(name, end);
    if (!directory) {
      return cut;
    }
    byte[] d = Arrays.copyOf(cut, cut.length + 1);
    d[cut.length] = '/';
    return d;
  }

  /** True if {@code name} goes into the ustar name field as it is: ASCII, at most 100 bytes. */
  static boolean fitsName(byte[] name) {
    if (name.length > NAME_SIZE) {
      return false;
    }
    for (byte c : name) {
      if (c <= 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean fitsOwner(String s) {
    if (s.length() >= OWNER_SIZE) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0 || c >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static boolean fits(long value, long max) {
    return value >= 0 && value <= max;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static void put(byte[] b, int at, int size, byte[] value) {
    System.arraycopy(value, 0, b, at, Math.min(size, value.length));
  }

  /** {@code value} in octal, zero-padded to {@code size - 1} digits and a NUL. */
  private static void octal(byte[] b, int at, int size, long value) {
    String digits = Long.toOctalString(value);
    int pad = size - 1 - digits.length();
    for (int i = 0; i < pad; i++) {
      b[at + i] = '0';
    }
    for (int i = 0; i < digits.length(); i++) {
      b[at + pad + i] = (byte) digits.charAt(i);
    }
    b[at + size - 1] = 0;
  }

  private static void checksum(byte[] b) {
    Arrays.fill(b, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte x : b) {
      sum += x & 0xff;
    }
    octal(b, 148, 7, sum);
    b[155] = ' ';
  }
}
