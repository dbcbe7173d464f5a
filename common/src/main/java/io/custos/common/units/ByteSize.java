package io.custos.common.units;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size in bytes, written in configuration as {@code 64MB}, {@code 512KiB}, {@code 1G} or a plain
 * byte count. K, M, G and T are binary multiples (1024), as in Monit and GNU tar; the {@code iB}
 * forms mean the same.
 *
 * @param bytes the size, not negative
 */
public record ByteSize(long bytes) {
  private static final Pattern SIZE =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]?)(i?B)?", Pattern.CASE_INSENSITIVE);

  public ByteSize {
    if (bytes < 0) {
      throw new IllegalArgumentException("size must not be negative, got " + bytes);
    }
  }

  /**
   * Parses a size.
   *
   * @throws IllegalArgumentException naming the text when it is not a size
   */
  @JsonCreator
  public static ByteSize parse(String text) {
    Matcher m = SIZE.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected a size such as 64MB, 512KB or 1GB, got \"" + text + "\"");
    }
    double n = Double.parseDouble(m.group(1));
    int shift =
        switch (m.group(2).toUpperCase(Locale.ROOT)) {
          case "K" -> 10;
          case "M" -> 20;
          case "G" -> 30;
          case "T" -> 40;
          default -> 0;
        };
    return new ByteSize((long) (n * (1L << shift)));
  }

  /** Binds a bare YAML number of bytes. */
  @JsonCreator
  public static ByteSize of(long bytes) {
    return new ByteSize(bytes);
  }

  @JsonValue
  @Override
  public String toString() {
    String[] units = {"B", "KB", "MB", "GB", "TB"};
    int i = 0;
    long v = bytes;
    while (i < units.length - 1 && v >= 1024 && v % 1024 == 0) {
      v /= 1024;
      i++;
    }
    return v + units[i];
  }
}
