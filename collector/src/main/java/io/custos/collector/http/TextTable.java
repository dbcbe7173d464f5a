package io.custos.collector.http;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table for terminals: a header line, then one line per row, columns padded to the
 * widest cell and separated by two spaces, no trailing blanks. Widths count code points, so {@code
 * …} is one column.
 */
final class TextTable {
  private final List<String[]> rows = new ArrayList<>();
  private final int columns;

  TextTable(String... headers) {
    this.columns = headers.length;
    rows.add(headers);
  }

  /** Adds a row; nulls print as empty cells, control characters as {@link TerminalText} shows. */
  TextTable add(String... cells) {
    if (cells.length != columns) {
      throw new IllegalArgumentException(
          "row has " + cells.length + " cells, table has " + columns + " columns");
    }
    String[] shown = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      // One line per row, and the widths of what the terminal will show.
      shown[i] = TerminalText.neutralise(cells[i] == null ? null : cells[i].replace('\n', ' '));
    }
    rows.add(shown);
    return this;
  }

  String render() {
    int[] width = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], length(row[i]));
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        String cell = row[i] == null ? "" : row[i];
        line.append(cell);
        if (i < columns - 1) {
          line.append(" ".repeat(width[i] - length(cell) + 2));
        }
      }
      sb.append(line.toString().stripTrailing()).append('\n');
    }
    return sb.toString();
  }

  /** {@code text} cut to {@code max} code points, the cut marked with {@code …}. */
  static String truncate(String text, int max) {
    if (text == null || length(text) <= max) {
      return text;
    }
    return text.substring(0, text.offsetByCodePoints(0, max - 1)) + "…";
  }

  private static int length(String s) {
    return s == null ? 0 : s.codePointCount(0, s.length());
  }
}
