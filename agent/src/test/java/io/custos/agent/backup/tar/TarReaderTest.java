package io.custos.agent.backup.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.custos.agent.backup.FileNames;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;

/** What {@link TarReader} reads beyond the golden archives, and how it fails. */
class TarReaderTest {

  private static byte[] archive(PaxRecords pax, TarHeaders.Header h, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (pax != null) {
      byte[] r = pax.encode();
      out.writeBytes(TarHeaders.paxHeader(h.name(), r.length, h.mtime()));
      out.writeBytes(Arrays.copyOf(r, (r.length + 511) / 512 * 512));
    }
    out.writeBytes(TarHeaders.ustar(h));
    out.writeBytes(Arrays.copyOf(data, (data.length + 511) / 512 * 512));
    out.writeBytes(new byte[1024]);
    return out.toByteArray();
  }

  private static TarHeaders.Header file(long size) {
    return new TarHeaders.Header(
        (byte) '0',
        "f".getBytes(StandardCharsets.US_ASCII),
        new byte[0],
        size,
        0644,
        0,
        0,
        "",
        "",
        Instant.ofEpochSecond(1),
        0,
        0);
  }

  @Test
  void aSizeRecordOver8GiBIsRead() throws IOException {
    PaxRecords pax = new PaxRecords().put("size", "9663676416");
    byte[] tar = archive(pax, file(9663676416L), new byte[0]);
    TarArchiveEntry e = new TarReader(new ByteArrayInputStream(Arrays.copyOf(tar, 2048))).next();
    assertThat(e.getSize()).isEqualTo(9663676416L);
  }

  @Test
  void binaryValuesAndEmptyOnesAreKept() throws IOException {
    PaxRecords pax =
        new PaxRecords()
            .put("SCHILY.xattr.user.bin", new byte[] {0, (byte) 0xff, '\n', '=', (byte) 0x80})
            .put("SCHILY.xattr.user.empty", new byte[0]);
    TarArchiveEntry e =
        new TarReader(new ByteArrayInputStream(archive(pax, file(0), new byte[0]))).next();
    assertThat(FileNames.encode(e.getExtraPaxHeaders().get("SCHILY.xattr.user.bin")))
        .containsExactly(0, 0xff, '\n', '=', 0x80);
    assertThat(e.getExtraPaxHeaders().get("SCHILY.xattr.user.empty")).isEmpty();
  }

  @Test
  void aBadChecksumNamesTheOffset() {
    byte[] tar = archive(null, file(3), "abc".getBytes());
    tar[0] = 'g';
    assertThatThrownBy(() -> new TarReader(new ByteArrayInputStream(tar)).next())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a tar header at offset 0");
  }

  @Test
  void aTruncatedEntryNamesItself() throws IOException {
    byte[] tar = Arrays.copyOf(archive(null, file(2000), new byte[2000]), 1024);
    TarReader r = new TarReader(new ByteArrayInputStream(tar));
    r.next();
    assertThatThrownBy(() -> r.content().readAllBytes())
        .hasMessageContaining("bytes before the end of entry 'f'");
  }

  @Test
  void aMalformedPaxRecordIsNamed() {
    byte[] tar = archive(new PaxRecords().put("mtime", "yesterday"), file(0), new byte[0]);
    assertThatThrownBy(() -> new TarReader(new ByteArrayInputStream(tar)).next())
        .hasMessageContaining("PAX record 'mtime'")
        .hasMessageContaining("'yesterday' is not a time");
  }
}
