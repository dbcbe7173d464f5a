package io.custos.collector.http;

/**
 * Makes text safe to print on an operator's terminal ({@code ?format=text}, {@code curl}): control
 * characters are shown, not obeyed. C0 controls other than the line feed, and DEL, are written in
 * caret notation as {@code cat -v} does ({@code ESC} as {@code ^[}, so {@code ESC ] 0 ;} cannot
 * retitle the window nor {@code ESC [ 2 J} clear it); C1 controls (U+0080 to U+009F, {@code CSI}
 * among them) and the bidi embeddings, overrides and isolates (U+202A to U+202E, U+2066 to U+2069,
 * which reorder what follows) as {@code <U+009B>}. Pure.
 */
final class TerminalText {
  private TerminalText() {}

  /** {@code text} with every control but {@code \n} made visible; null for null. */
  static String neutralise(String text) {
    if (text == null) {
      return null;
    }
    int i = 0;
    while (i < text.length() && !isControl(text.charAt(i))) {
      i++;
    }
    if (i == text.length()) {
      return text;
    }
    StringBuilder sb = new StringBuilder(text.length() + 16).append(text, 0, i);
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!isControl(c)) {
        sb.append(c);
      } else if (c < 0x20) {
        sb.append('^').append((char) (c + 0x40));
      } else if (c == 0x7f) {
        sb.append("^?");
      } else {
        sb.append(String.format("<U+%04X>", (int) c));
      }
    }
    return sb.toString();
  }

  private static boolean isControl(char c) {
    return (c < 0x20 && c != '\n')
        || (c >= 0x7f && c <= 0x9f)
        || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069);
  }
}
