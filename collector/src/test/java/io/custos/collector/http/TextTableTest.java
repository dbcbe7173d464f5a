package io.custos.collector.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTableTest {
  @Test
  void columnsAreAlignedWithoutTrailingBlanks() {
    String text =
        new TextTable("Host", "Status", "Info")
            .add("web01", "OK", "fine")
            .add("db", "CRITICAL", "")
            .render();

    assertThat(text)
        .isEqualTo(
            """
            Host   Status    Info
            web01  OK        fine
            db     CRITICAL
            """);
  }

  @Test
  void truncationIsMarked() {
    assertThat(TextTable.truncate("abcdef", 4)).isEqualTo("abc…");
    assertThat(TextTable.truncate("abcd", 4)).isEqualTo("abcd");
    assertThat(TextTable.truncate(null, 4)).isNull();
  }
}
