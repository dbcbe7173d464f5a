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

  @Test
  void controlCharactersAreShownNotSentToTheTerminal() {
    // Issue 21: ESC and other controls in an output passed raw to the operator's terminal.
    String text =
        new TextTable("Host", "Info")
            .add("web01", "OK \u001b]0;pwned\u0007\u001b[2J\u009b31m\u202Etxt.exe\u007f")
            .render();

    assertThat(text)
        .doesNotContain("\u001b", "\u0007", "\u009b", "\u202E", "\u007f")
        .contains("OK ^[]0;pwned^G^[[2J<U+009B>31m<U+202E>txt.exe^?");
  }

  @Test
  void aTextAnswerNeutralisesControlsButKeepsLineBreaks() {
    Response r = Response.text(200, "a\u001bb\nc\td\r\n");
    assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("a^[b\nc^Id^M\n");
  }
}
