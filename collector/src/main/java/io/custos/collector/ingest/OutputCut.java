package io.custos.collector.ingest;

/**
 * Cuts plugin output to a size in UTF-8 bytes, at a code point boundary, and marks the cut in the
 * text itself so that whoever reads it knows it is not whole and how much is missing: {@code
 * "CRITICAL: aaaa… [cut by the collector: 1040384 more bytes, limits.output_size 8KB]"}. Pure.
 */
final class OutputCut {
  private OutputCut() {}

  /**
   * {@code text} if it is at most {@code maxBytes} UTF-8 bytes long, else its longest prefix of at
   * most {@code maxBytes} bytes that ends on a code point boundary, followed by the marker naming
   * {@code key} and {@code limitText}.
   *
   * @return the text as it should be stored; null for null
   */
  static String cut(String text, int maxBytes, String key, String limitText) {
    if (text == null || text.length() * 3L <= maxBytes) {
      return text; // no string of this many chars can exceed the limit
    }
    int bytes = 0;
    int i = 0;
    int keep = -1;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      int n = utf8Length(cp);
      if (keep < 0 && bytes + n > maxBytes) {
        keep = i;
      }
      bytes += n;
      i += Character.charCount(cp);
    }
    if (keep < 0) {
      return text;
    }
    long kept = utf8Length(text, keep);
    return text.substring(0, keep)
        + "… [cut by the collector: "
        + (bytes - kept)
        + " more bytes, "
        + key
        + " "
        + limitText
        + "]";
  }

  /**
   * UTF-8 length of {@code text}'s first {@code end} chars (lone surrogates count as 3, as '?').
   */
  static long utf8Length(String text, int end) {
    long bytes = 0;
    for (int i = 0; i < end; ) {
      int cp = text.codePointAt(i);
      bytes += utf8Length(cp);
      i += Character.charCount(cp);
    }
    return bytes;
  }

  private static int utf8Length(int cp) {
    if (cp < 0x80) {
      return 1;
    }
    if (cp < 0x800) {
      return 2;
    }
    return cp < 0x10000 ? 3 : 4;
  }
}
