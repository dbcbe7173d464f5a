package io.custos.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.custos.agent.backup.tar.PaxRecords;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Archive names, exclusion globs, codecs and PAX record encoding. */
class NamingAndRulesTest {

  @Test
  void archiveNameRoundTrips() {
    ArchiveName n =
        new ArchiveName(
            "web01.example.net",
            "www",
            Instant.parse("2026-11-27T01:00:00.750Z"),
            Level.DIFF,
            Compression.ZSTD);
    assertThat(n.fileName()).isEqualTo("web01.example.net.www.20261127T010000Z.diff.tar.zst");
    assertThat(n.manifestFileName()).endsWith(".tar.zst.manifest.json");
    assertThat(ArchiveName.parse(n.fileName())).isEqualTo(n);
    assertThat(ArchiveName.parse("db1.pg.20260101T000000Z.full.tar").compression())
        .isEqualTo(Compression.NONE);
  }

  @Test
  void foreignFileNamesAreNotArchives() {
    assertThat(ArchiveName.tryParse("web01.www.20261127T010000Z.full.tar.zst.part")).isEmpty();
    assertThat(ArchiveName.tryParse("web01.www.20261127T010000Z.full.tar.zst.manifest.json"))
        .isEmpty();
    assertThat(ArchiveName.tryParse("web01.www.20261399T010000Z.full.tar.gz")).isEmpty();
    assertThat(ArchiveName.tryParse("web01.www.20261127T010000Z.weekly.tar.gz")).isEmpty();
    assertThat(ArchiveName.tryParse("notes.txt")).isEmpty();
    assertThatThrownBy(() -> ArchiveName.parse("x"))
        .hasMessageContaining("not an archive name")
        .hasMessageContaining("\"x\"");
  }

  @Test
  void badPartsAreRejectedByName() {
    assertThatThrownBy(
            () -> new ArchiveName("web01", "my.set", Instant.EPOCH, Level.FULL, Compression.XZ))
        .hasMessageContaining("set name")
        .hasMessageContaining("my.set");
    assertThatThrownBy(
            () -> new ArchiveName("bad/node", "s", Instant.EPOCH, Level.FULL, Compression.XZ))
        .hasMessageContaining("node name");
  }

  @Test
  void excludesFollowGnuTarDefaults() {
    ExcludeMatcher m = new ExcludeMatcher(List.of("*.avi", "www/dev/*", "cache", "[0-9]?.log"));
    assertThat(m.excludes("html/film.avi")).isTrue();
    assertThat(m.excludes("var/www/html/a/b/film.avi")).isTrue();
    assertThat(m.excludes("var/www/dev/x.php")).isTrue();
    assertThat(m.excludes("www/dev/sub/x.php")).isTrue();
    assertThat(m.excludes("www/dev")).isFalse();
    assertThat(m.excludes("a/cache")).isTrue();
    assertThat(m.excludes("a/cached")).isFalse();
    assertThat(m.excludes("logs/1a.log")).isTrue();
    assertThat(m.excludes("logs/ab.log")).isFalse();
    assertThat(m.excludes("html/film.avi.txt")).isFalse();
    assertThatThrownBy(() -> new ExcludeMatcher(List.of("[abc"))).hasMessageContaining("[abc");
  }

  @Test
  void compressionNamesAndMagic() {
    assertThat(Compression.fromConfig("ZSTD")).isEqualTo(Compression.ZSTD);
    assertThatThrownBy(() -> Compression.fromConfig("rar"))
        .hasMessageContaining("gzip|bzip2|xz|lz4|zstd|none")
        .hasMessageContaining("rar");
    assertThat(Compression.fromFileName("a.tar.bz2")).contains(Compression.BZIP2);
    assertThat(Compression.NONE.suffix()).isEqualTo(".tar");
    assertThatThrownBy(() -> Compression.GZIP.effectiveLevel(12))
        .hasMessageContaining("between 1 and 9, got 12");
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void everyCodecRoundTripsAndIsRecognisedByMagic(Compression c) throws IOException {
    byte[] data = "tar data ".repeat(10_000).getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out =
        c.compress(bytes, Compression.DEFAULT_LEVEL, c == Compression.ZSTD ? 2 : 0)) {
      out.write(data);
    }
    byte[] packed = bytes.toByteArray();
    if (c != Compression.NONE) {
      assertThat(Compression.detect(packed, packed.length)).isEqualTo(c);
    }
    try (InputStream in = c.decompress(new ByteArrayInputStream(packed))) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
  }

  @Test
  void paxRecordLengthsCountThemselves() {
    // "9 a=b\n" would be 6 bytes: the length field must say 6
    assertThat(new String(new PaxRecords().put("a", "b").encode(), StandardCharsets.UTF_8))
        .isEqualTo("6 a=b\n");
    // 98 bytes without the length field: two digits would make 100, so it takes three
    String v = "x".repeat(94);
    String rec = new String(new PaxRecords().put("k", v).encode(), StandardCharsets.UTF_8);
    assertThat(rec).startsWith("101 k=").hasSize(101);
    assertThat(PaxRecords.time(Instant.parse("2021-03-04T05:06:07.000000001Z")))
        .isEqualTo("1614834367.000000001");
    assertThat(PaxRecords.time(Instant.ofEpochSecond(-1, 500_000_000))).isEqualTo("-0.500000000");
  }

  /**
   * Issue 22: a pattern with a trailing slash matches what GNU tar 1.34 matches, which is nothing
   * ({@code tar --exclude='www/dev/*}{@code /' -cvf - www} stores {@code www/dev/x.php} and every
   * directory below); it no longer drops the regular file {@code www/dev/x.php}.
   */
  @Test
  void aTrailingSlashPatternMatchesWhatGnuTarMatches() throws Exception {
    ExcludeMatcher m = new ExcludeMatcher(List.of("www/dev/*/", "dev/"));
    for (String name : List.of("www/dev/x.php", "www/dev/sub", "www/dev/sub/f", "www/dev")) {
      assertThat(m.excludes(name)).as(name).isFalse();
    }
    java.nio.file.Path root = java.nio.file.Files.createTempDirectory("exclude-slash");
    try {
      java.nio.file.Files.createDirectories(root.resolve("www/dev/sub"));
      java.nio.file.Files.writeString(root.resolve("www/dev/x.php"), "x");
      java.nio.file.Files.writeString(root.resolve("www/dev/sub/f"), "f");
      Process tar;
      try {
        tar =
            new ProcessBuilder("tar", "--exclude=www/dev/*/", "-cvf", "/dev/null", "www")
                .directory(root.toFile())
                .redirectErrorStream(true)
                .start();
      } catch (java.io.IOException e) {
        org.junit.jupiter.api.Assumptions.abort("GNU tar is needed (package tar): " + e);
        return;
      }
      List<String> stored =
          new String(tar.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
              .lines()
              .map(l -> l.endsWith("/") ? l.substring(0, l.length() - 1) : l)
              .toList();
      assertThat(tar.waitFor()).isZero();
      assertThat(stored).contains("www/dev/x.php", "www/dev/sub", "www/dev/sub/f");
      for (String name : stored) {
        assertThat(m.excludes(name)).as(name).isFalse();
      }
    } finally {
      Restorer.deleteTreeIfExists(root);
    }
  }
}
