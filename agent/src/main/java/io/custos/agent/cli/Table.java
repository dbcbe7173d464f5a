package io.custos.agent.cli;

import java.io.PrintWriter;
import java.util.List;

/** Prints rows as an aligned table, two spaces between columns, like {@code ls -l}. */
final class Table {
  private Table() {}

  /** The first row is the header; {@code right[i]} right-aligns column {@code i}. */
  static void print(PrintWriter out, List<String[]> rows, boolean[] right) {
    int cols = rows.get(0).length;
    int[] width = new int[cols];
    for (String[] r : rows) {
      for (int i = 0; i < cols; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < cols; i++) {
        String cell = r[i];
        String pad = " ".repeat(width[i] - cell.length());
        if (i > 0) {
          b.append("  ");
        }
        b.append(right[i] ? pad + cell : i == cols - 1 ? cell : cell + pad);
      }
      out.println(b);
    }
  }
}
