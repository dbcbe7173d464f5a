package io.custos.agent.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Exclusion globs with GNU tar's default {@code --exclude} rules ({@code --no-anchored --wildcards
 * --wildcards-match-slash}).
 *
 * <p>A pattern is matched against an entry's archive name (relative, no leading {@code /}) and
 * against every tail of it that starts after a {@code /}: {@code *.avi} excludes {@code a.avi} and
 * {@code www/media/b.avi}; {@code www/dev/*} excludes everything below any {@code www/dev}
 * directory (but not the directory itself); {@code cache} excludes any file or directory named
 * {@code cache}. {@code *} matches any run of characters including {@code /}, {@code ?} one
 * character, {@code [abc]}, {@code [a-z]} and {@code [!a-z]} a class, and {@code \} quotes the next
 * character. Names are matched in their exact-byte {@link FileNames} form: a UTF-8 name as its
 * characters, each byte that is not UTF-8 as one character ({@code caf?.avi} excludes {@code
 * caf\xe9.avi}). An excluded directory is not descended into. A malformed pattern is an {@link
 * IllegalArgumentException} naming it.
 *
 * <p>A pattern that ends in {@code /} matches nothing, as in GNU tar 1.34: names are matched
 * without a trailing slash, so {@code --exclude='www/dev/*}{@code /'} keeps {@code www/dev/x.php}
 * and every directory alike (measured: {@code tar --exclude='www/dev/*}{@code /' -cvf /dev/null
 * www} lists all of {@code www}). Dropping the slash, as this class once did, excluded the regular
 * files too.
 */
final class ExcludeMatcher {

  private final List<Pattern> patterns;

  ExcludeMatcher(List<String> globs) {
    List<Pattern> list = new ArrayList<>();
    for (String glob : globs) {
      list.add(compile(glob));
    }
    this.patterns = List.copyOf(list);
  }

  /** True if {@code relativeName} (no leading or trailing slash) is excluded. */
  boolean excludes(String relativeName) {
    if (patterns.isEmpty()) {
      return false;
    }
    int from = 0;
    while (true) {
      String tail = relativeName.substring(from);
      for (Pattern p : patterns) {
        if (p.matcher(tail).matches()) {
          return true;
        }
      }
      int slash = relativeName.indexOf('/', from);
      if (slash < 0) {
        return false;
      }
      from = slash + 1;
    }
  }

  static Pattern compile(String glob) {
    if (glob == null || glob.isEmpty()) {
      throw new IllegalArgumentException("exclude pattern must not be empty");
    }
    String g = glob; // a trailing '/' stays: no name ends in one, so it never matches (GNU tar)
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < g.length(); i++) {
      char c = g.charAt(i);
      switch (c) {
        case '*':
          re.append(".*");
          break;
        case '?':
          re.append('.');
          break;
        case '\\':
          if (i + 1 < g.length()) {
            re.append(Pattern.quote(String.valueOf(g.charAt(++i))));
          } else {
            re.append("\\\\");
          }
          break;
        case '[':
          int end = g.indexOf(']', i + 2);
          if (end < 0) {
            throw new IllegalArgumentException(
                "exclude pattern \"" + glob + "\": '[' at " + i + " has no closing ']'");
          }
          String body = g.substring(i + 1, end);
          if (body.startsWith("!") || body.startsWith("^")) {
            body = "^" + body.substring(1);
          }
          re.append('[').append(body.replace("\\", "\\\\").replace("[", "\\[")).append(']');
          i = end;
          break;
        default:
          re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    try {
      return Pattern.compile(re.toString(), Pattern.DOTALL);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "exclude pattern \"" + glob + "\" is malformed: " + e.getDescription(), e);
    }
  }
}
