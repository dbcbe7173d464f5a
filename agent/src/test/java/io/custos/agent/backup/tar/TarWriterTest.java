package io.custos.agent.backup.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;

/**
 * What {@link TarWriter} writes, read back by {@link TarReader}, and how it refuses data that does
 * not match a header. Whole archives against GNU tar are {@code GoldenArchiveTest}'s.
 */
class TarWriterTest {

  private static TarHeaders.Header file(String name, long size) {
    return new TarHeaders.Header(
        (byte) '0',
        name.getBytes(StandardCharsets.ISO_8859_1),
        new byte[0],
        size,
        0644,
        0,
        0,
        "",
        "",
        Instant.ofEpochSecond(1, 5),
        0,
        0);
  }

  @Test
  void anEntryIsPaddedToBlocksAndTheArchiveToARecord() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarWriter w = new TarWriter(out)) {
      w.begin(file("a", 3), null);
      w.write("abc".getBytes(StandardCharsets.US_ASCII));
      w.closeEntry();
      w.finish();
    }
    assertThat(out.size()).isEqualTo(10240);
    TarReader r = new TarReader(new ByteArrayInputStream(out.toByteArray()));
    TarArchiveEntry e = r.next();
    assertThat(e.getName()).isEqualTo("a");
    assertThat(r.content().readAllBytes()).containsExactly('a', 'b', 'c');
    assertThat(r.next()).isNull();
  }

  @Test
  void moreDataThanTheHeaderGivesIsRefusedWithBothCounts() throws IOException {
    TarWriter w = new TarWriter(new ByteArrayOutputStream());
    w.begin(file("a", 2), null);
    assertThatThrownBy(() -> w.write(new byte[3]))
        .isInstanceOf(IOException.class)
        .hasMessage("writing 3 bytes exceeds the 2 bytes in the entry's header");
  }

  @Test
  void closingAnEntryShortIsRefusedWithBothCounts() throws IOException {
    TarWriter w = new TarWriter(new ByteArrayOutputStream());
    w.begin(file("a", 1000), null);
    w.write(new byte[10]);
    assertThatThrownBy(w::closeEntry)
        .isInstanceOf(IOException.class)
        .hasMessage("entry closed at 10 bytes before the 1,000 its header gives");
  }

  @Test
  void aSparseEntryHasGnuTarsFakeNameAndRecords() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] map = new byte[512];
    byte[] lines = "1\n4096\n2\n".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(lines, 0, map, 0, lines.length);
    try (TarWriter w = new TarWriter(out)) {
      w.beginSparse(file("d/caf\351", 8192), map, 2, "42", null);
      w.write(new byte[] {'h', 'i'});
      w.closeEntry();
      w.finish();
    }
    String raw = out.toString(StandardCharsets.ISO_8859_1);
    assertThat(raw)
        .contains("hdrcharset=BINARY\n")
        .contains("GNU.sparse.major=1\n")
        .contains("GNU.sparse.name=d/caf\351\n")
        .contains("GNU.sparse.realsize=8192\n")
        .contains("d/GNUSparseFile.42/caf\351")
        .doesNotContain(" path=");
    TarArchiveEntry e = new TarReader(new ByteArrayInputStream(out.toByteArray())).next();
    assertThat(e.getRealSize()).isEqualTo(8192);
  }

  @Test
  void aDumpdirListsFlagsAndNamesWithAFinalNul() {
    TreeMap<String, Character> children = new TreeMap<>();
    children.put("sub", 'D');
    children.put("a", 'Y');
    assertThat(new String(TarWriter.dumpdir(children), StandardCharsets.US_ASCII))
        .isEqualTo("Ya\0Dsub\0\0");
  }
}
