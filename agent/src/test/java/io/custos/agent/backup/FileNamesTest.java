package io.custos.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names as bytes: the String form maps back to the exact bytes, and to the same file. */
class FileNamesTest {

  @TempDir Path dir;

  @Test
  void everyByteSequenceRoundTrips() {
    Random r = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      byte[] b = new byte[r.nextInt(12)];
      r.nextBytes(b);
      assertThat(FileNames.encode(FileNames.decode(b))).isEqualTo(b);
    }
  }

  @Test
  void utf8NamesAreTheirNaturalStrings() {
    String s = "caf\u00e9 \u65e5\u672c \ud83d\ude00 cafe\u0301";
    assertThat(FileNames.decode(s.getBytes(StandardCharsets.UTF_8))).isEqualTo(s);
    assertThat(FileNames.isUtf8(s)).isTrue();
  }

  /** c2-latin1 (plexus-archiver #136): two names that differ in one invalid byte stay two. */
  @Test
  void invalidBytesStayDistinct() {
    String e9 = FileNames.decode(new byte[] {'c', 'a', 'f', (byte) 0xe9});
    String e8 = FileNames.decode(new byte[] {'c', 'a', 'f', (byte) 0xe8});
    assertThat(e9).isNotEqualTo(e8).isEqualTo("caf\udce9");
    assertThat(FileNames.isUtf8(e9)).isFalse();
    assertThat(FileNames.display(e9)).isEqualTo("caf\\351");
    // an encoded surrogate is not UTF-8: each of its bytes is escaped, so it cannot collide
    assertThat(FileNames.decode(new byte[] {(byte) 0xed, (byte) 0xb3, (byte) 0xa9}))
        .isEqualTo("\udced\udcb3\udca9");
  }

  @Test
  void pathsCarryTheExactBytes() throws IOException {
    String base = FileNames.of(dir);
    for (byte[] name :
        new byte[][] {
          {'c', 'a', 'f', (byte) 0xe9}, {'c', 'a', 'f', (byte) 0xe8}, {'%', '2', '0', '?', '#', ' '}
        }) {
      Files.write(FileNames.path(base + "/" + FileNames.decode(name)), name);
    }
    assertThat(LinuxFiles.list(base)).hasSize(3);
    for (byte[] raw : LinuxFiles.list(base)) {
      Path p = FileNames.path(base + "/" + FileNames.decode(raw));
      assertThat(Files.readAllBytes(p)).isEqualTo(raw);
      assertThat(FileNames.of(p)).isEqualTo(base + "/" + FileNames.decode(raw));
    }
  }

  @Test
  void onlyAbsoluteNamesBecomePaths() {
    assertThatThrownBy(() -> FileNames.path("relative/x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'relative/x'");
  }
}
