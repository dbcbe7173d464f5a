package io.custos.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
  private static final long NOW = 1_795_783_507_801L;
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
  private static final long BIG = 64L * 1024 * 1024;

  @TempDir Path dir;

  /** Answers from a script; once the script is used up, answers 200. Records what it got. */
  static final class ScriptedSender implements ReportSender {
    final Deque<Object> script = new ArrayDeque<>();
    final List<String> received = new ArrayList<>();

    ScriptedSender then(int status, String body) {
      script.add(new Reply(status, body));
      return this;
    }

    ScriptedSender thenUnreachable() {
      script.add(new IOException("Connection refused"));
      return this;
    }

    @Override
    public Reply send(byte[] json) throws IOException {
      Object next = script.isEmpty() ? new Reply(200, "{}") : script.poll();
      if (next instanceof IOException e) {
        throw e;
      }
      received.add(new String(json, StandardCharsets.UTF_8));
      return (Reply) next;
    }
  }

  private static byte[] report(long seq) {
    return ("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void flushSendsInSequenceOrderAndDeletesWhatWasAccepted() throws Exception {
    Spool spool = new Spool(dir, BIG, CLOCK);
    spool.add(12, report(12));
    spool.add(3, report(3));
    spool.add(100, report(100));
    ScriptedSender sender = new ScriptedSender();

    assertThat(spool.flush(sender)).isEqualTo(3);

    assertThat(sender.received).containsExactly("{\"seq\":3}", "{\"seq\":12}", "{\"seq\":100}");
    assertThat(spool.depth()).isZero();
  }

  @Test
  void filesAreNamedByZeroPaddedSeq() throws Exception {
    Spool spool = new Spool(dir, BIG, CLOCK);
    spool.add(42, report(42));

    assertThat(dir.resolve("00000000000000000042.json")).hasContent("{\"seq\":42}");
    assertThat(Spool.seqOf(dir.resolve("00000000000000000042.json"))).isEqualTo(42);
  }

  @Test
  void unavailableCollectorKeepsEverythingAndStopsAtTheFirstFailure() throws Exception {
    Spool spool = new Spool(dir, BIG, CLOCK);
    spool.add(1, report(1));
    spool.add(2, report(2));
    spool.add(3, report(3));
    ScriptedSender sender = new ScriptedSender().then(200, "{}").then(503, "{\"error\":\"busy\"}");

    assertThat(spool.flush(sender)).isEqualTo(1);
    assertThat(sender.received).hasSize(2);
    assertThat(spool.depth()).isEqualTo(2);

    assertThat(spool.flush(sender)).isEqualTo(2);
    assertThat(spool.depth()).isZero();
    assertThat(sender.received)
        .containsExactly("{\"seq\":1}", "{\"seq\":2}", "{\"seq\":2}", "{\"seq\":3}");
  }

  @Test
  void connectionErrorsAndAuthAndRateLimitsAreRetriedLater() throws Exception {
    Spool spool = new Spool(dir, BIG, CLOCK);
    spool.add(1, report(1));
    ScriptedSender sender =
        new ScriptedSender().thenUnreachable().then(401, "").then(403, "").then(429, "");

    for (int i = 0; i < 4; i++) {
      assertThat(spool.flush(sender)).isZero();
      assertThat(spool.depth()).isEqualTo(1);
    }
    assertThat(spool.flush(sender)).isEqualTo(1);
  }

  @Test
  void reportsTheCollectorRefusesAreMovedAsideAndDoNotBlockTheQueue() throws Exception {
    Spool spool = new Spool(dir, BIG, CLOCK);
    spool.add(1, report(1));
    spool.add(2, report(2));
    spool.add(3, report(3));
    ScriptedSender sender =
        new ScriptedSender()
            .then(200, "")
            .then(400, "{\"error\":\"results[3].status: expected OK|WARNING|CRITICAL|UNKNOWN\"}")
            .then(413, "too large");

    assertThat(spool.flush(sender)).isEqualTo(1);

    assertThat(spool.depth()).isZero();
    assertThat(dir.resolve("rejected"))
        .isDirectoryContaining(p -> p.getFileName().toString().equals("00000000000000000002.json"))
        .isDirectoryContaining(p -> p.getFileName().toString().equals("00000000000000000003.json"));
  }

  @Test
  void aReportOverANodeLimitIs422AndMovedAsideNotRetriedForever() throws Exception {
    Spool spool = new Spool(dir, BIG, CLOCK);
    spool.add(1, report(1));
    spool.add(2, report(2));
    ScriptedSender sender =
        new ScriptedSender()
            .then(
                422,
                "{\"error\":\"node \\\"web01\\\" has 10000 services ... limits.services_per_node\"}")
            .then(200, "");

    assertThat(spool.flush(sender)).isEqualTo(1);

    assertThat(spool.depth()).isZero();
    assertThat(dir.resolve("rejected"))
        .isDirectoryContaining(p -> p.getFileName().toString().equals("00000000000000000001.json"));
  }

  @Test
  void errorMessageIsTakenFromTheJsonBody() throws Exception {
    Spool spool = new Spool(dir, BIG, CLOCK);
    assertThat(spool.errorOf("{\"error\":\"seq: must not be negative\"}"))
        .isEqualTo("seq: must not be negative");
    assertThat(spool.errorOf("<html>Bad\n Gateway</html>")).isEqualTo("<html>Bad Gateway</html>");
    assertThat(spool.errorOf("")).isEmpty();
  }

  @Test
  void boundDropsTheOldestReportsFirst() throws Exception {
    Spool spool = new Spool(dir, 100, CLOCK);
    byte[] thirty = new byte[30];
    for (long seq = 1; seq <= 5; seq++) {
      spool.add(seq, thirty);
    }

    assertThat(spool.reports()).extracting(Spool::seqOf).containsExactly(3L, 4L, 5L);
  }

  @Test
  void seqPersistsAcrossRestarts() throws Exception {
    long a;
    long b;
    try (Spool first = new Spool(dir, BIG, CLOCK)) {
      a = first.nextSeq();
      b = first.nextSeq();
    }
    Spool second = new Spool(dir, BIG, CLOCK);
    long c = second.nextSeq();

    assertThat(b).isEqualTo(a + 1);
    assertThat(c).isEqualTo(b + 1);
  }

  @Test
  void aNewSpoolStartsAtTheCurrentTimeSoLostStateNeverReusesNumbers() throws Exception {
    assertThat(new Spool(dir, BIG, CLOCK).nextSeq()).isEqualTo(NOW);
  }

  @Test
  void seqStaysAboveSpooledReportsWhenTheSeqFileIsLost() throws Exception {
    try (Spool spool = new Spool(dir, BIG, CLOCK)) {
      spool.add(NOW + 500, report(1));
    }
    Files.deleteIfExists(dir.resolve("seq"));

    assertThat(new Spool(dir, BIG, CLOCK).nextSeq()).isEqualTo(NOW + 501);
  }

  @Test
  void aSecondAgentOnTheSameSpoolIsRefusedWithThePidOfTheFirst() throws Exception {
    try (Spool first = new Spool(dir, BIG, CLOCK)) {
      assertThatThrownBy(() -> new Spool(dir, BIG, CLOCK))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("another custos-agent (pid " + ProcessHandle.current().pid() + ")")
          .hasMessageContaining("the spool " + dir)
          .hasMessageContaining(dir.resolve(".lock").toString());
    }
    // Released on close (and by the OS when the process dies): the next agent may use it.
    new Spool(dir, BIG, CLOCK).close();
  }

  @Test
  void onAFullDiskTheSeqIsWrittenInPlaceAndNeverReusedAfterARestart() throws Exception {
    List<Long> handedOut = new ArrayList<>();
    try (Spool spool = new Spool(dir, BIG, CLOCK)) {
      handedOut.add(spool.nextSeq());
      // No new file can be created in the spool any more (as on a full disk): the temporary
      // file's name is taken by a directory that cannot be replaced.
      Files.createDirectories(dir.resolve(".tmp-seq").resolve("full"));
      handedOut.add(spool.nextSeq());
      handedOut.add(spool.nextSeq());
    }
    Files.delete(dir.resolve(".tmp-seq").resolve("full"));
    try (Spool restarted = new Spool(dir, BIG, CLOCK)) {
      handedOut.add(restarted.nextSeq());
    }

    assertThat(handedOut).doesNotHaveDuplicates().isSorted();
    assertThat(handedOut.get(3)).isEqualTo(handedOut.get(2) + 1);
  }

  @Test
  void aSeqThatCannotBePersistedIsNotHandedOut() throws Exception {
    List<Long> handedOut = new ArrayList<>();
    try (Spool spool = new Spool(dir, BIG, CLOCK)) {
      handedOut.add(spool.nextSeq());
      // Neither a new file nor the old one can be written: the seq file's place is taken.
      Files.delete(dir.resolve("seq"));
      Files.createDirectories(dir.resolve("seq").resolve("blocked"));
      Files.createDirectories(dir.resolve(".tmp-seq").resolve("full"));

      assertThatThrownBy(spool::nextSeq)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("cannot persist the next report sequence number " + (NOW + 2))
          .hasMessageContaining("no number is handed out");
      assertThatThrownBy(spool::nextSeq).isInstanceOf(IOException.class);
    }
    assertThat(handedOut).containsExactly(NOW);
  }

  @Test
  void corruptSeqFileFallsBackToTheClock() throws Exception {
    Files.writeString(dir.resolve("seq"), "garbage");
    assertThat(new Spool(dir, BIG, CLOCK).nextSeq()).isEqualTo(NOW);
  }

  @Test
  void temporaryFilesLeftByACrashAreRemoved() throws Exception {
    Files.writeString(dir.resolve(".tmp-00000000000000000007.json"), "{\"se");
    Spool spool = new Spool(dir, BIG, CLOCK);

    assertThat(dir.resolve(".tmp-00000000000000000007.json")).doesNotExist();
    assertThat(spool.depth()).isZero();
  }

  @Test
  void rejectedReportsAreBounded() throws Exception {
    Spool spool = new Spool(dir, BIG, CLOCK);
    ScriptedSender sender = new ScriptedSender();
    for (int i = 1; i <= Spool.KEEP_REJECTED + 5; i++) {
      spool.add(i, report(i));
      sender.then(400, "{\"error\":\"bad\"}");
    }

    spool.flush(sender);

    try (var files = Files.list(dir.resolve("rejected"))) {
      assertThat(files.count()).isEqualTo(Spool.KEEP_REJECTED);
    }
    assertThat(dir.resolve("rejected/00000000000000000001.json")).doesNotExist();
  }

  @Test
  void theSpoolAndItsReportsArePrivateWhateverTheUmask() throws Exception {
    Path fresh = dir.resolve("fresh");
    Spool spool = new Spool(fresh, BIG, CLOCK);
    spool.add(12, report(12));
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(fresh)))
        .isEqualTo("rwx------");
    try (var files = Files.list(fresh)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
        assertThat(
                java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(f)))
            .as(f.toString())
            .isEqualTo("rw-------");
      }
    }
    spool.close();

    // a spool made 0755 by an earlier version (or by hand) is made private when opened
    Path old = Files.createDirectory(dir.resolve("old"));
    Files.setPosixFilePermissions(
        old, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    new Spool(old, BIG, CLOCK).close();
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(old)))
        .isEqualTo("rwx------");
  }

  @Test
  void aFullSpoolDiskLeavesNoTemporaryFileBehind() throws Exception {
    Path fullDevice = Path.of("/dev/full");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isWritable(fullDevice), "needs /dev/full (writes fail with ENOSPC)");
    Spool spool = new Spool(dir, BIG, CLOCK);
    // the temporary file of report 13 lands on /dev/full: its write fails with ENOSPC, as on a
    // spool disk that is full
    Files.createSymbolicLink(dir.resolve(AtomicFiles.TEMP_PREFIX + Spool.nameOf(13)), fullDevice);

    assertThatThrownBy(() -> spool.add(13, report(13)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("No space left on device");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith(AtomicFiles.TEMP_PREFIX));
    }
    spool.close();
  }
}
