package io.custos.agent.backup.tar;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The "which fields need a PAX record" decision and the ustar fallback, byte for byte; where GNU
 * tar 1.34 made the same choice, against its own blocks from the golden archives.
 */
class TarHeadersTest {

  private static final Instant T = Instant.ofEpochSecond(1600000000);

  private static TarHeaders.Header file(String name) {
    return file(bytes(name));
  }

  private static TarHeaders.Header file(byte[] name) {
    return new TarHeaders.Header(
        (byte) '0', name, new byte[0], 2, 0644, 0, 0, "root", "root", T, 0, 0);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String records(TarHeaders.Header h) {
    return new String(TarHeaders.paxRecords(h).encode(), StandardCharsets.ISO_8859_1);
  }

  @Test
  void aHeaderThatFitsNeedsNoRecord() {
    assertThat(records(file("etc/hosts"))).isEmpty();
    assertThat(records(file("a".repeat(100)))).isEmpty();
  }

  @Test
  void namesLongerThan100BytesOrNotAsciiGetAPathRecord() {
    assertThat(records(file("a".repeat(101)))).isEqualTo("111 path=" + "a".repeat(101) + "\n");
    assertThat(records(file("caf\u00c3\u00a9.txt"))).isEqualTo("18 path=caf\u00c3\u00a9.txt\n");
  }

  /** c2-latin1 (plexus-archiver #136): bytes that are not UTF-8 are stored as they are. */
  @Test
  void namesThatAreNotUtf8AreMarkedBinary() {
    assertThat(records(file(bytes("caf\u00e9.txt"))))
        .isEqualTo("21 hdrcharset=BINARY\n17 path=caf\u00e9.txt\n");
    TarHeaders.Header link =
        new TarHeaders.Header(
            (byte) '2', bytes("l"), bytes("caf\u00e8"), 0, 0777, 0, 0, "", "", T, 0, 0);
    assertThat(records(link)).isEqualTo("21 hdrcharset=BINARY\n17 linkpath=caf\u00e8\n");
  }

  @ParameterizedTest
  @CsvSource({
    "2097151, ''",
    "2097152, '15 uid=2097152\n15 gid=2097152\n'",
    "3000000000, '18 uid=3000000000\n18 gid=3000000000\n'",
    "4294967294, '18 uid=4294967294\n18 gid=4294967294\n'"
  })
  void idsOverSevenOctalDigitsGetRecordsAndAZeroField(long id, String expected) {
    TarHeaders.Header h =
        new TarHeaders.Header(
            (byte) '0', bytes("f"), new byte[0], 0, 0644, id, id, "", "", T, 0, 0);
    assertThat(records(h)).isEqualTo(expected);
    String field = new String(TarHeaders.ustar(h), 108, 8, StandardCharsets.ISO_8859_1);
    assertThat(field).isEqualTo(id <= 2097151 ? "7777777\0" : "0000000\0");
  }

  @ParameterizedTest
  @CsvSource({
    "1600000000, 0, ''",
    "1600000000, 500000000, '30 mtime=1600000000.500000000\n'",
    "-1, 0, '12 mtime=-1\n'",
    "-1234567891, 500000000, '31 mtime=-1234567890.500000000\n'",
    "8589934591, 0, ''",
    "8589934592, 0, '20 mtime=8589934592\n'",
    "9300000000, 987654321, '30 mtime=9300000000.987654321\n'"
  })
  void mtimesOfAnyYearWithNanoseconds(long seconds, int nanos, String expected) {
    TarHeaders.Header h =
        new TarHeaders.Header(
            (byte) '0',
            bytes("f"),
            new byte[0],
            0,
            0644,
            0,
            0,
            "",
            "",
            Instant.ofEpochSecond(seconds, nanos),
            0,
            0);
    assertThat(records(h)).isEqualTo(expected);
  }

  @Test
  void sizesOver8GiBGetASizeRecord() {
    TarHeaders.Header fits =
        new TarHeaders.Header(
            (byte) '0', bytes("f"), new byte[0], (8L << 30) - 1, 0644, 0, 0, "", "", T, 0, 0);
    TarHeaders.Header big =
        new TarHeaders.Header(
            (byte) '0', bytes("f"), new byte[0], 9663676416L, 0644, 0, 0, "", "", T, 0, 0);
    assertThat(records(fits)).isEmpty();
    assertThat(records(big)).isEqualTo("19 size=9663676416\n");
    assertThat(new String(TarHeaders.ustar(big), 124, 12, StandardCharsets.ISO_8859_1))
        .isEqualTo("00000000000\0");
  }

  @Test
  void ownerNamesOf32BytesOrNotAsciiGetRecords() {
    String long32 = "u".repeat(32);
    TarHeaders.Header h =
        new TarHeaders.Header(
            (byte) '0', bytes("f"), new byte[0], 0, 0644, 0, 0, long32, "gr\u00fcn", T, 0, 0);
    assertThat(records(h)).isEqualTo("42 uname=" + long32 + "\n" + "15 gname=gr\u00c3\u00bcn\n");
  }

  @Test
  void symlinkTargetsAreKeptByteForByte() {
    TarHeaders.Header h =
        new TarHeaders.Header(
            (byte) '2', bytes("to-dir"), bytes("dir/"), 0, 0777, 0, 0, "", "", T, 0, 0);
    assertThat(records(h)).isEmpty();
    assertThat(Arrays.copyOfRange(TarHeaders.ustar(h), 157, 162)).isEqualTo(bytes("dir/\0"));
  }

  /**
   * c1-slash99 (squashfs-tools-ng #64, libarchive #901): the 100-byte cut of a file name must not
   * end in '/' (a directory to a reader that ignores PAX, and a write beyond the header size to
   * Commons Compress), nor in '.' or '..'.
   */
  @Test
  void theUstarFallbackNeverChangesWhatTheEntryIs() {
    String slashAt100 = "p".repeat(99) + "/BUILD";
    assertThat(TarHeaders.fallback(bytes(slashAt100), false)).isEqualTo(bytes("p".repeat(99)));
    String slashAt99 = "p".repeat(98) + "/x/BUILD";
    assertThat(TarHeaders.fallback(bytes(slashAt99), false))
        .isEqualTo(bytes("p".repeat(98) + "/x"));
    String dotDot = "p".repeat(97) + "/../rest-of-a-long-name";
    assertThat(TarHeaders.fallback(bytes(dotDot), false)).isEqualTo(bytes("p".repeat(97)));
    assertThat(TarHeaders.fallback(bytes("d".repeat(150) + "/"), true))
        .isEqualTo(bytes("d".repeat(99) + "/"));
    assertThat(TarHeaders.fallback(bytes(".".repeat(120)), false)).isEqualTo(bytes("_"));
    byte[] block = TarHeaders.ustar(file(slashAt100));
    assertThat(block[99]).isNotEqualTo((byte) '/');
    assertThat(block[156]).isEqualTo((byte) '0');
  }

  /** The synthetic sparse name, whatever the PID's digits, is cut safely too. */
  @Test
  void sparseFakeNamesAreCutSafely() {
    for (int pid = 1; pid < 10_000_000; pid *= 10) {
      String fake = "d".repeat(60) + "/GNUSparseFile." + pid + "/" + "f".repeat(40);
      byte[] block = TarHeaders.ustar(file(fake));
      int end = 0;
      while (end < 100 && block[end] != 0) {
        end++;
      }
      assertThat(block[end - 1]).as("pid %d", pid).isNotEqualTo((byte) '/');
    }
  }

  @Test
  void theUstarBlockIsGnuTars() throws IOException {
    byte[] archive = gunzip("gnu-tar-1.34-posix-ranges.tar.gz");
    // ranges/year-2243: mtime 8600000000 does not fit 11 octal digits, so 0 as GNU tar writes
    TarHeaders.Header h =
        new TarHeaders.Header(
            (byte) '0',
            bytes("ranges/year-2243"),
            new byte[0],
            2,
            0644,
            0,
            0,
            "root",
            "root",
            Instant.ofEpochSecond(8600000000L),
            0,
            0);
    assertThat(TarHeaders.ustar(h)).isEqualTo(Arrays.copyOfRange(archive, 5 * 512, 6 * 512));
    assertThat(TarHeaders.paxHeader(h.name(), 70, h.mtime()))
        .isEqualTo(Arrays.copyOfRange(archive, 3 * 512, 4 * 512));
  }

  @Test
  void aNonUtf8NameInTheUstarFieldIsGnuTars() throws IOException {
    byte[] archive = gunzip("gnu-tar-1.34-posix-names.tar.gz");
    TarHeaders.Header h =
        new TarHeaders.Header(
            (byte) '0',
            bytes("names/c2-latin1/caf\u00e9.txt"),
            new byte[0],
            8,
            0644,
            0,
            0,
            "root",
            "root",
            Instant.ofEpochSecond(1600000000),
            0,
            0);
    assertThat(TarHeaders.ustar(h)).isEqualTo(Arrays.copyOfRange(archive, 8 * 512, 9 * 512));
  }

  static byte[] gunzip(String resource) throws IOException {
    try (InputStream in =
        new GZIPInputStream(TarHeadersTest.class.getResourceAsStream("/archives/" + resource))) {
      return in.readAllBytes();
    }
  }
}
