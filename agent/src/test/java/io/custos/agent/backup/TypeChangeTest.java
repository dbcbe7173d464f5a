package io.custos.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22, kind "type change between scan and read": a file the walk saw as regular is a
 * directory, a symbolic link, a FIFO or a socket by the time it is read. GNU tar goes on with "file
 * changed as we read it" (exit 1); so does the writer: each is named in a warning and left out, the
 * archive is finished and verifies, and opening the FIFO never blocks.
 */
class TypeChangeTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-27T01:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  /**
   * Runs {@code action} once, when the first archive bytes reach the disk: after the walk, on the
   * writer's own thread (no compression thread), while {@code a-big} is copied.
   */
  private static OutputStream onFirstWrite(OutputStream out, Runnable action) {
    return new FilterOutputStream(out) {
      boolean done;

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (!done) {
          done = true;
          action.run();
        }
        out.write(b, off, len);
      }
    };
  }

  @Test
  void filesReplacedByOtherTypesAreNamedLeftOutAndTheArchiveFinishes() throws Exception {
    Path t = Files.createDirectories(dir.resolve("src/tree"));
    Files.write(t.resolve("a-big"), Trees.bytes(4 << 20, 1)); // larger than the writer's buffers
    for (String n : List.of("b-dir", "c-link", "d-fifo", "e-socket")) {
      Files.writeString(t.resolve(n), n + "\n");
    }
    Files.writeString(t.resolve("f-kept"), "kept\n");
    Path out = Files.createDirectories(dir.resolve("archives"));
    List<ServerSocketChannel> sockets = new java.util.ArrayList<>();
    List<Throwable> failed = new java.util.concurrent.CopyOnWriteArrayList<>();
    Runnable change =
        () -> {
          try {
            Files.delete(t.resolve("b-dir"));
            Files.createDirectory(t.resolve("b-dir"));
            Files.delete(t.resolve("c-link"));
            Files.createSymbolicLink(t.resolve("c-link"), Path.of("f-kept"));
            Files.delete(t.resolve("d-fifo"));
            Process p = new ProcessBuilder("mkfifo", t.resolve("d-fifo").toString()).start();
            assertThat(p.waitFor()).isZero();
            Files.delete(t.resolve("e-socket"));
            ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            s.bind(UnixDomainSocketAddress.of(t.resolve("e-socket")));
            sockets.add(s);
          } catch (Throwable e) {
            failed.add(e);
            throw new IllegalStateException(e);
          }
        };
    BackupSpec spec =
        BackupSpec.full(
            "n",
            "s",
            dir.resolve("src"),
            List.of(Path.of("tree")),
            List.of(),
            Compression.NONE,
            out);

    // a blocked open of the FIFO would hang here forever: bound it, without timing anything
    BackupResult r =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return new ArchiveWriter(CLOCK, os -> onFirstWrite(os, change)).write(spec);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                })
            .get(5, TimeUnit.MINUTES);
    for (ServerSocketChannel s : sockets) {
      s.close();
    }

    assertThat(failed).isEmpty();
    assertThat(r.warnings())
        .as(r.manifest().entries().stream().map(e -> e.path() + " " + e.type()).toList().toString())
        .contains(
            "tree/b-dir: file changed as we read it: now a directory; not stored",
            "tree/c-link: file changed as we read it: now a symbolic link; not stored",
            "tree/d-fifo: file changed as we read it: now a FIFO; not stored",
            "tree/e-socket: file changed as we read it: now a socket; not stored");
    assertThat(r.manifest().byPath()).doesNotContainKeys("tree/b-dir", "tree/c-link");
    new Verifier().verify(r.archive());
    Path restored = dir.resolve("restored");
    RestoreResult rr = new Restorer(RestoreOptions.defaults()).restore(r.archive(), restored);
    assertThat(rr.failures()).isEmpty();
    assertThat(restored.resolve("tree/f-kept")).hasContent("kept");
    assertThat(restored.resolve("tree/b-dir")).doesNotExist();
  }
}
