package io.custos.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload queue, driven by a clock: what goes up and in which order, HEAD skipping, backoff,
 * restart, the deadline in {@code Backup <set>}, and retention keeping what is not uploaded. The
 * collector itself is exercised end to end in the packaging module ({@code
 * ArchiveUploadEndToEndTest}); here the {@link Uploader.Remote} seam is an in-memory store.
 */
class UploaderTest {
  @TempDir Path dir;

  private final TestClock clock = new TestClock("2026-11-28T12:00:00Z"); // a Saturday noon

  /** An in-memory store that can be told to fail. */
  static final class MemoryRemote implements Uploader.Remote {
    final Map<String, String> objects = new LinkedHashMap<>();
    final Map<String, Map<String, String>> headers = new LinkedHashMap<>();
    final List<String> puts = new ArrayList<>();
    int failures;

    @Override
    public Optional<String> sha256(String node, String object) throws IOException {
      if (failures > 0) {
        failures--;
        throw new IOException("connection refused");
      }
      return Optional.ofNullable(objects.get(node + "/" + object));
    }

    @Override
    public void put(String node, String object, Path file, Map<String, String> index, String sha256)
        throws IOException {
      String actual = Trees.sha(file);
      if (sha256 != null && !sha256.equalsIgnoreCase(actual)) {
        // What the collector answers: the bytes are not what the uploader vouched for.
        throw new IOException("400 sha256 mismatch for " + object);
      }
      puts.add(object);
      objects.put(node + "/" + object, actual);
      headers.put(object, index);
    }
  }

  private BackupsConfig config(Integer keepLocal, Duration deadline) throws IOException {
    Path tree = Files.createDirectories(dir.resolve("src/tree"));
    Files.writeString(tree.resolve("a.txt"), "a");
    BackupSetConfig s =
        new BackupSetConfig(
            "www",
            dir.resolve("src"),
            List.of(Path.of("tree")),
            null,
            Compression.GZIP,
            1,
            null,
            "01:00",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            deadline == null ? null : new BackupSetConfig.Upload(true, deadline),
            keepLocal);
    return new BackupsConfig(dir.resolve("out"), List.of(s));
  }

  private Uploader uploader(MemoryRemote remote) {
    // no jitter: every wait is the ceiling, so the test can name the retry time exactly
    return new Uploader(
        "n1",
        dir.resolve("out"),
        remote,
        clock,
        new BackupSchedulerTest.DirectExecutor(),
        () -> 0L);
  }

  private static CheckResult only(BackupScheduler s) {
    return s.results().get(0);
  }

  @Test
  void eachBackupGoesUpWithItsManifestAndTheIndexHeaders() throws IOException {
    MemoryRemote remote = new MemoryRemote();
    BackupScheduler s =
        new BackupScheduler(
                "n1", config(null, null), clock, new BackupSchedulerTest.DirectExecutor())
            .uploadingWith(uploader(remote));
    clock.set("2026-11-29T01:00:00Z");
    assertThat(s.tick()).containsExactly("www");
    clock.set("2026-11-30T01:00:00Z");
    assertThat(s.tick()).containsExactly("www");
    assertThat(remote.puts)
        .containsExactly(
            "n1.www.20261129T010000Z.full.tar.gz.manifest.json",
            "n1.www.20261129T010000Z.full.tar.gz",
            "n1.www.20261130T010000Z.diff.tar.gz.manifest.json",
            "n1.www.20261130T010000Z.diff.tar.gz");
    assertThat(remote.headers.get("n1.www.20261130T010000Z.diff.tar.gz"))
        .containsEntry("X-Custos-Set", "www")
        .containsEntry("X-Custos-Level", "diff")
        .containsEntry("X-Custos-Base", "n1.www.20261129T010000Z.full.tar.gz")
        .containsEntry("X-Custos-Created", "2026-11-30T01:00:00Z")
        .containsEntry("X-Custos-Encrypted", "none")
        .containsEntry("X-Custos-Manifest", "n1.www.20261130T010000Z.diff.tar.gz.manifest.json");
    assertThat(remote.headers.get("n1.www.20261129T010000Z.full.tar.gz"))
        .doesNotContainKey("X-Custos-Base");
    assertThat(remote.headers.get("n1.www.20261129T010000Z.full.tar.gz.manifest.json")).isEmpty();
    assertThat(remote.objects.get("n1/n1.www.20261130T010000Z.diff.tar.gz"))
        .isEqualTo(Trees.sha(dir.resolve("out/n1.www.20261130T010000Z.diff.tar.gz")));
    assertThat(only(s).status()).isEqualTo(Status.OK);
  }

  @Test
  void whatTheCollectorHasIsNotSentAgain() throws IOException {
    MemoryRemote remote = new MemoryRemote();
    BackupRunner.Outcome o =
        new BackupRunner("n1", dir.resolve("out"), clock)
            .run(config(null, null).sets().get(0), Level.FULL);
    String name = o.archive().getFileName().toString();
    remote.objects.put("n1/" + name, Trees.sha(o.archive()));
    remote.objects.put("n1/" + name + ".manifest.json", "x");
    Uploader u = uploader(remote);
    u.enqueue("www", o.archive());
    assertThat(u.drain()).isEqualTo(1);
    assertThat(remote.puts).isEmpty();
    assertThat(u.pending()).isEmpty();
    assertThat(u.lastUploaded("www")).isEqualTo(name);
  }

  @Test
  void anArchiveDamagedOnDiskSinceItsBackupIsNeverStoredAsGood() throws IOException {
    MemoryRemote remote = new MemoryRemote();
    BackupRunner.Outcome o =
        new BackupRunner("n1", dir.resolve("out"), clock)
            .run(config(null, null).sets().get(0), Level.FULL);
    String name = o.archive().getFileName().toString();
    // one byte flipped after the backup wrote it and recorded its sha256 in the manifest
    byte[] bytes = Files.readAllBytes(o.archive());
    bytes[bytes.length / 2] ^= 1;
    Files.write(o.archive(), bytes);
    Uploader u = uploader(remote);
    u.enqueue("www", o.archive());
    assertThat(u.drain()).isZero();
    assertThat(remote.objects).doesNotContainKey("n1/" + name);
    assertThat(u.pending().get(0).lastError()).contains("sha256 mismatch").contains(name);
  }

  @Test
  void aFailedUploadBacksOffDoublingTo15MinutesSurvivesARestartAndCompletes() throws IOException {
    assertThat(Uploader.backoff(1)).isEqualTo(Duration.ofSeconds(30));
    assertThat(Uploader.backoff(2)).isEqualTo(Duration.ofMinutes(1));
    assertThat(Uploader.backoff(5)).isEqualTo(Duration.ofMinutes(8));
    assertThat(Uploader.backoff(6)).isEqualTo(Duration.ofMinutes(15));
    assertThat(Uploader.backoff(60)).isEqualTo(Duration.ofMinutes(15));

    MemoryRemote remote = new MemoryRemote();
    remote.failures = 2;
    BackupRunner.Outcome o =
        new BackupRunner("n1", dir.resolve("out"), clock)
            .run(config(null, null).sets().get(0), Level.FULL);
    Uploader u = uploader(remote);
    u.enqueue("www", o.archive());
    assertThat(u.drain()).isZero();
    Uploader.Pending p = u.pending().get(0);
    assertThat(p.attempts()).isEqualTo(1);
    assertThat(p.nextAttempt()).isEqualTo(clock.millis() + 30_000);
    assertThat(p.lastError()).isEqualTo("connection refused");
    assertThat(u.drain()).as("not before its time").isZero();
    assertThat(u.pending().get(0).attempts()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(30));
    assertThat(u.drain()).isZero();
    assertThat(u.pending().get(0).nextAttempt()).isEqualTo(clock.millis() + 60_000);

    // the daemon restarts: the queue is read back and the upload completes once due
    Uploader again = uploader(remote);
    assertThat(again.pending()).extracting(Uploader.Pending::attempts).containsExactly(2);
    clock.advance(Duration.ofMinutes(1));
    assertThat(again.drain()).isEqualTo(1);
    assertThat(again.pending()).isEmpty();
    assertThat(remote.puts).hasSize(2);
    assertThat(uploader(remote).pending()).isEmpty();
  }

  @Test
  void anArchiveNotUploadedPastTheDeadlineIsWarningThenCriticalAtTwice() throws IOException {
    MemoryRemote remote = new MemoryRemote();
    remote.failures = Integer.MAX_VALUE;
    BackupScheduler s =
        new BackupScheduler(
                "n1",
                config(null, Duration.ofHours(10)),
                clock,
                new BackupSchedulerTest.DirectExecutor())
            .uploadingWith(uploader(remote));
    clock.set("2026-11-29T01:00:00Z");
    assertThat(s.tick()).containsExactly("www");
    clock.set("2026-11-29T10:59:00Z");
    assertThat(only(s).status()).isEqualTo(Status.OK);
    clock.set("2026-11-29T11:01:00Z");
    assertThat(only(s).status()).isEqualTo(Status.WARNING);
    assertThat(only(s).output())
        .startsWith(
            "BACKUP WARNING - n1.www.20261129T010000Z.full.tar.gz not on the collector 10h 1m"
                + " after it was made (last attempt: connection refused); BACKUP OK - ");
    clock.set("2026-11-29T21:01:00Z");
    assertThat(only(s).status()).isEqualTo(Status.CRITICAL);
    assertThat(only(s).output()).startsWith("BACKUP CRITICAL - n1.www.20261129T010000Z");
    remote.failures = 0;
    s.tick(); // retries what is due
    assertThat(only(s).status()).isEqualTo(Status.OK);
  }

  @Test
  void keepLocalKeepsTheNewestChainsButNeverWhatIsNotUploaded() throws IOException {
    MemoryRemote remote = new MemoryRemote();
    BackupsConfig c = config(1, null);
    Uploader u = uploader(remote);
    BackupScheduler s =
        new BackupScheduler("n1", c, clock, new BackupSchedulerTest.DirectExecutor())
            .uploadingWith(u);
    remote.failures = Integer.MAX_VALUE; // nothing goes up
    for (String day : List.of("2026-11-29", "2026-11-30")) {
      clock.set(day + "T01:00:00Z");
      s.tick();
    }
    BackupRunner runner = new BackupRunner("n1", c.directory(), clock);
    clock.set("2026-12-01T02:00:00Z");
    BackupRunner.Outcome full2 = runner.run(c.sets().get(0), Level.FULL);
    assertThat(full2.ok()).isTrue();
    clock.set("2026-12-01T03:00:00Z");
    assertThat(s.tick()).containsExactly("www"); // Tuesday's diff, on the new full
    // a second chain exists, but nothing is uploaded: retention after the run deleted nothing
    assertThat(Catalog.list(c.directory(), "n1", "www")).hasSize(4);

    remote.failures = 0;
    clock.advance(Duration.ofHours(1));
    assertThat(u.drain()).isEqualTo(3);
    Retention.Decision d =
        Retention.decide(
            Catalog.list(c.directory(), "n1", "www"),
            c.sets().get(0).keep(),
            1,
            clock.instant(),
            u.pendingNames());
    assertThat(d.keep())
        .extracting(Catalog.Item::fileName)
        .containsExactly(
            full2.archive().getFileName().toString(), "n1.www.20261201T030000Z.diff.tar.gz");
    assertThat(d.delete()).hasSize(2);
  }

  @Test
  void archivesMadeBeforeUploadsWereOnAreQueuedWhenTheUploaderIsAttached() throws IOException {
    BackupsConfig c = config(null, null);
    BackupRunner runner = new BackupRunner("n1", c.directory(), clock);
    BackupRunner.Outcome full = runner.run(c.sets().get(0), Level.FULL);
    clock.advance(Duration.ofHours(1));
    BackupRunner.Outcome incr = runner.run(c.sets().get(0), Level.INCR);
    MemoryRemote remote = new MemoryRemote();
    Uploader u = uploader(remote);
    new BackupScheduler("n1", c, clock, new BackupSchedulerTest.DirectExecutor()).uploadingWith(u);
    assertThat(u.pending())
        .extracting(Uploader.Pending::archive)
        .containsExactly(
            full.archive().getFileName().toString(), incr.archive().getFileName().toString());
    assertThat(u.drain()).isEqualTo(2);
    // attached again (a restart): nothing older than the last upload is queued again
    new BackupScheduler("n1", c, clock, new BackupSchedulerTest.DirectExecutor())
        .uploadingWith(uploader(remote));
    assertThat(uploader(remote).pending()).isEmpty();
  }
}
