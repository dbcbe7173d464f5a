package io.custos.agent.backup;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * File names are bytes on Linux; this class keeps them exact while the engine handles them as
 * {@link String}s, whatever the process locale.
 *
 * <p>A name's bytes become a String by decoding UTF-8 and turning each byte that is not part of a
 * valid UTF-8 sequence into the lone surrogate {@code U+DC80..U+DCFF} (Python's PEP 383 {@code
 * surrogateescape}); {@link #encode} reverses it exactly. A UTF-8 name is therefore its natural
 * String (manifests, messages and exclude patterns read as usual), and {@code caf\xe9.txt} and
 * {@code caf\xe8.txt} stay two names.
 *
 * <p>Java's own {@code Path.toString()} and {@code Path.of(String)} go through {@code
 * sun.jnu.encoding}, which the locale sets (US-ASCII when {@code LANG}/{@code LC_*} are unset, as
 * under cron or a bare systemd unit) and which cannot be overridden; every non-ASCII name would be
 * mangled. {@link #path} builds a {@link Path} from the exact bytes through a {@code file:} URI
 * ({@code Path.of(URI)} percent-decodes to raw bytes, a documented, public route), and the JDK's
 * Unix {@code Path} keeps those bytes for every file operation.
 */
public final class FileNames {

  private static final boolean JNU_UTF8 =
      Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"))
          .equals(StandardCharsets.UTF_8);
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private FileNames() {}

  /** The String for the name bytes {@code b} (UTF-8, invalid bytes as {@code U+DCxx}). */
  public static String decode(byte[] b) {
    return decode(b, 0, b.length);
  }

  /** {@link #decode(byte[])} of {@code b[from, to)}. */
  public static String decode(byte[] b, int from, int to) {
    boolean ascii = true;
    for (int i = from; i < to; i++) {
      if (b[i] < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }
    CharsetDecoder d =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(b, from, to - from);
    CharBuffer out = CharBuffer.allocate(to - from);
    while (true) {
      CoderResult r = d.decode(in, out, true);
      if (r.isUnderflow()) {
        break;
      }
      for (int i = 0; i < r.length(); i++) {
        out.put((char) (0xDC00 | (in.get() & 0xff)));
      }
    }
    d.flush(out);
    out.flip();
    return out.toString();
  }

  /** The exact bytes of a name {@link #decode} made (or of any String, as UTF-8). */
  public static byte[] encode(String s) {
    int n = s.length();
    boolean ascii = true;
    for (int i = 0; i < n; i++) {
      if (s.charAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return s.getBytes(StandardCharsets.ISO_8859_1);
    }
    ByteBuffer out = ByteBuffer.allocate(n * 3);
    for (int i = 0; i < n; ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp >= 0xDC80 && cp <= 0xDCFF) {
        out.put((byte) cp);
      } else if (cp >= 0xD800 && cp <= 0xDFFF) {
        out.put((byte) '?'); // a lone surrogate no name can hold
      } else {
        out.put(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] b = new byte[out.position()];
    out.flip().get(b);
    return b;
  }

  /** True if {@code s} came from bytes that are valid UTF-8 (no escaped byte in it). */
  public static boolean isUtf8(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0xDC80 && c <= 0xDCFF && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)))) {
        return false;
      }
    }
    return true;
  }

  /** True if the bytes are valid UTF-8. */
  public static boolean isUtf8(byte[] b) {
    return isUtf8(decode(b));
  }

  /** A name for messages: escaped bytes shown as {@code \351} (octal), like {@code tar -t}. */
  public static String display(String s) {
    if (isUtf8(s)) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0xDC80 && c <= 0xDCFF) {
        b.append('\\').append(Integer.toOctalString(c & 0xff));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * The {@link Path} of the absolute name {@code absolute} (a String from {@link #decode}, or any
   * absolute path String), carrying its exact bytes.
   *
   * @throws IllegalArgumentException if {@code absolute} does not start with {@code /} or has a NUL
   */
  static Path path(String absolute) {
    if (absolute.isEmpty() || absolute.charAt(0) != '/') {
      throw new IllegalArgumentException("not an absolute name: '" + display(absolute) + "'");
    }
    boolean ascii = true;
    for (int i = 0; i < absolute.length(); i++) {
      char c = absolute.charAt(i);
      if (c >= 0x80 || c == 0) {
        ascii = false;
        break;
      }
    }
    if (ascii || (JNU_UTF8 && isUtf8(absolute) && absolute.indexOf('\0') < 0)) {
      return Path.of(absolute);
    }
    byte[] b = encode(absolute);
    StringBuilder uri = new StringBuilder(b.length * 2 + 8).append("file://");
    int end = b.length;
    while (end > 1 && b[end - 1] == '/') {
      end--;
    }
    for (int i = 0; i < end; i++) {
      int c = b[i] & 0xff;
      if (c == 0) {
        throw new IllegalArgumentException("NUL in name '" + display(absolute) + "'");
      }
      if (c == '/' && i > 0 && b[i - 1] == '/') {
        continue; // Path.of(String) would also fold "//"
      }
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '/'
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        uri.append((char) c);
      } else {
        uri.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return Path.of(URI.create(uri.toString()));
  }

  /** {@code dir} joined with the relative name {@code relative} ({@code "."} is {@code dir}). */
  static Path resolve(Path dir, String relative) {
    if (relative.isEmpty() || relative.equals(".")) {
      return dir;
    }
    String base = of(dir);
    return path(base.equals("/") ? "/" + relative : base + "/" + relative);
  }

  /**
   * {@code root} (whose exact name is {@code rootName}, from {@link #of}) joined with the relative
   * name {@code relative}; cheaper than {@link #resolve(Path, String)} in a loop.
   */
  static Path resolve(Path root, String rootName, String relative) {
    if (relative.isEmpty() || relative.equals(".")) {
      return root;
    }
    return path(rootName.equals("/") ? "/" + relative : rootName + "/" + relative);
  }

  /** The exact name of {@code p} made absolute, as a String in {@link #decode} form. */
  static String of(Path p) {
    Path abs = p.toAbsolutePath();
    String s = abs.toString();
    boolean plain = true;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        plain = false;
        break;
      }
    }
    if (plain) {
      return s;
    }
    // toUri() percent-encodes the Path's own bytes (and appends '/' to a directory)
    String raw = abs.toUri().getRawPath();
    byte[] out = new byte[raw.length()];
    int n = 0;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        out[n++] = (byte) Integer.parseInt(raw.substring(i + 1, i + 3), 16);
        i += 2;
      } else {
        out[n++] = (byte) c;
      }
    }
    while (n > 1 && out[n - 1] == '/') {
      n--;
    }
    return decode(out, 0, n);
  }
}
