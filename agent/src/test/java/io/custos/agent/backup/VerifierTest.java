package io.custos.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged archives fail verification naming the entry and offset; failed writes leave nothing. */
class VerifierTest {

  @TempDir Path dir;
  Path out;

  @BeforeEach
  void tree() throws IOException {
    Path t = Files.createDirectories(dir.resolve("src/tree"));
    Files.writeString(t.resolve("a.txt"), "a");
    Files.write(t.resolve("big.bin"), Trees.bytes(1_300_000, 9));
    Files.writeString(t.resolve("z.txt"), "z");
    out = Files.createDirectories(dir.resolve("out"));
  }

  private BackupSpec spec(Compression c) {
    return BackupSpec.full(
        "n", "s", dir.resolve("src"), List.of(Path.of("tree")), List.of(), c, out);
  }

  private BackupResult backup(Compression c) throws IOException {
    return new ArchiveWriter(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)).write(spec(c));
  }

  @Test
  void intactArchivePasses() throws IOException {
    BackupResult r = backup(Compression.GZIP);
    Verifier.Report report = new Verifier().verify(r.archive());
    assertThat(report.files()).isEqualTo(3);
    assertThat(report.contentBytes()).isEqualTo(1_300_002);
  }

  @Test
  void truncatedPlainArchiveNamesTheEntryAndOffset() throws IOException {
    BackupResult r = backup(Compression.NONE);
    try (FileChannel ch = FileChannel.open(r.archive(), StandardOpenOption.WRITE)) {
      ch.truncate(600_000);
    }
    assertThatThrownBy(() -> new Verifier().verify(r.archive()))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("entry 'tree/big.bin' truncated at offset")
        .hasMessageContaining("of 1,300,000");
  }

  @Test
  void truncatedCompressedArchiveNamesTheEntryAndCompressedOffset() throws IOException {
    BackupResult r = backup(Compression.XZ);
    long size = Files.size(r.archive());
    try (FileChannel ch = FileChannel.open(r.archive(), StandardOpenOption.WRITE)) {
      ch.truncate(size / 2);
    }
    assertThatThrownBy(() -> new Verifier().verify(r.archive()))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("entry 'tree/big.bin'")
        .hasMessageContaining("xz stream corrupt or truncated at compressed offset");
  }

  @Test
  void corruptedByteInGzipNamesTheEntryAndOffset() throws IOException {
    // compressible text, so the flipped byte lands in Huffman-coded data; depending on where it
    // lands inflate fails (codec error with compressed offset) or decodes garbage (sha256)
    Files.writeString(dir.resolve("src/tree/big.bin"), "All work and no play. ".repeat(60_000));
    BackupResult r = backup(Compression.GZIP);
    flip(r.archive(), Files.size(r.archive()) / 2);
    assertThatThrownBy(() -> new Verifier().verify(r.archive()))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("entry 'tree/big.bin'")
        .hasMessageContaining("offset");
  }

  @Test
  void corruptedGzipTrailerFailsTheArchiveChecksum() throws IOException {
    BackupResult r = backup(Compression.GZIP);
    flip(r.archive(), Files.size(r.archive()) - 6);
    assertThatThrownBy(() -> new Verifier().verify(r.archive()))
        .isInstanceOf(VerificationException.class)
        .hasMessageMatching("(?s).*(gzip stream corrupt|archive sha256 is).*");
  }

  @Test
  void corruptedContentByteInPlainTarFailsTheEntrysSha256() throws IOException {
    BackupResult r = backup(Compression.NONE);
    flip(r.archive(), 700_000);
    assertThatThrownBy(() -> new Verifier().verify(r.archive()))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("entry 'tree/big.bin' (header at archive offset")
        .hasMessageContaining("the manifest says");
  }

  /**
   * Issue 22: with a compressor thread (zstd, gzip), the disk-full error of an incremental surfaced
   * as "Self-suppression not permitted": the same exception was rethrown by a write and by close.
   */
  @Test
  void diskFullBehindTheCompressorIsReportedAsDiskFull() throws IOException {
    BackupResult full = backup(Compression.ZSTD);
    Files.writeString(dir.resolve("src/tree/z.txt"), "changed");
    Files.write(dir.resolve("src/tree/new.bin"), Trees.bytes(3 << 20, 7));
    for (Compression c : List.of(Compression.ZSTD, Compression.GZIP)) {
      ArchiveWriter failing =
          new ArchiveWriter(
              Clock.fixed(Instant.ofEpochSecond(86_400), ZoneOffset.UTC),
              os -> new FailAfter(os, 100_000));
      BackupSpec incr = spec(c).withLevel(Level.INCR, full.manifest());
      assertThatThrownBy(() -> failing.write(incr))
          .as(c.configName())
          .isInstanceOf(BackupException.class)
          .hasMessageContaining("No space left on device")
          .hasMessageNotContaining("Self-suppression");
    }
  }

  @Test
  void failedWriteLeavesNoPartAndNamesTheFile() {
    ArchiveWriter failing =
        new ArchiveWriter(
            Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), os -> new FailAfter(os, 200_000));
    assertThatThrownBy(() -> failing.write(spec(Compression.NONE)))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining("n.s.19700101T000000Z.full.tar.part")
        .hasMessageContaining("while adding 'tree/big.bin'")
        .hasMessageContaining("No space left on device");
    try (Stream<Path> s = Files.list(out)) {
      assertThat(s.toList()).isEmpty();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void fileShrinkingWhileReadIsPaddedAndReported() throws IOException {
    Path big = dir.resolve("src/tree/big.bin");
    ArchiveWriter shrinking =
        new ArchiveWriter(
            Clock.fixed(Instant.EPOCH, ZoneOffset.UTC),
            os ->
                new java.io.FilterOutputStream(os) {
                  boolean done;

                  @Override
                  public void write(byte[] b, int off, int len) throws IOException {
                    if (!done) {
                      done = true;
                      try (FileChannel ch = FileChannel.open(big, StandardOpenOption.WRITE)) {
                        ch.truncate(300_000);
                      }
                    }
                    out.write(b, off, len);
                  }
                });
    BackupResult r = shrinking.write(spec(Compression.NONE));
    assertThat(r.warnings())
        .anyMatch(w -> w.startsWith("tree/big.bin: file shrank by"))
        .contains("tree/big.bin: file changed as we read it");
    new Verifier().verify(r.archive());
    Path dest = dir.resolve("restored");
    new Restorer(RestoreOptions.defaults()).restore(r.archive(), dest);
    assertThat(Files.size(dest.resolve("tree/big.bin"))).isEqualTo(1_300_000);
    assertThat(Files.readString(dest.resolve("tree/z.txt"))).isEqualTo("z");
  }

  @Test
  void existingArchiveIsNeverReplaced() throws IOException {
    backup(Compression.NONE);
    assertThatThrownBy(() -> backup(Compression.NONE))
        .isInstanceOf(BackupException.class)
        .hasMessageContaining("already exists");
  }

  private static void flip(Path file, long at) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x5a);
    }
  }

  /** Simulates a full disk after {@code limit} bytes. */
  private static final class FailAfter extends OutputStream {
    private final OutputStream out;
    private long left;

    FailAfter(OutputStream out, long limit) {
      this.out = out;
      this.left = limit;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len > left) {
        throw new IOException("No space left on device");
      }
      left -= len;
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
