package io.custos.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.common.wire.BackupEvent;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's schedule and the Backup service, driven by advancing a clock. */
class BackupSchedulerTest {
  @TempDir Path dir;

  private final TestClock clock = new TestClock("2026-11-28T12:00:00Z"); // a Saturday noon

  private BackupsConfig config(String paths) throws IOException {
    Path tree = Files.createDirectories(dir.resolve("src/tree"));
    Files.writeString(tree.resolve("a.txt"), "a");
    BackupSetConfig s =
        new BackupSetConfig(
            "www",
            dir.resolve("src"),
            List.of(Path.of(paths)),
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
            null);
    return new BackupsConfig(dir.resolve("out"), List.of(s));
  }

  private BackupScheduler scheduler(BackupsConfig c) {
    return new BackupScheduler("n1", c, clock, new DirectExecutor());
  }

  private static CheckResult only(BackupScheduler s) {
    List<CheckResult> r = s.results();
    assertThat(r).hasSize(1);
    assertThat(r.get(0).service()).isEqualTo("Backup www");
    return r.get(0);
  }

  @Test
  void runsEachSetOnceADayAtItsTimeWithTheLevelOfTheDay() throws IOException {
    BackupScheduler s = scheduler(config("tree"));
    // First seen at noon: today's 01:00 has passed and is not caught up.
    assertThat(s.tick()).isEmpty();
    CheckResult before = only(s);
    assertThat(before.status()).isEqualTo(Status.OK);
    assertThat(before.output()).isEqualTo("BACKUP OK - no backup yet, next at 2026-11-29T01:00Z");

    clock.set("2026-11-29T00:59:59Z");
    assertThat(s.tick()).isEmpty();
    clock.set("2026-11-29T01:00:00Z");
    assertThat(s.tick()).containsExactly("www");
    assertThat(s.tick()).isEmpty(); // once a day
    List<BackupEvent> events = s.drainEvents();
    assertThat(events).hasSize(1);
    assertThat(events.get(0).level()).isEqualTo("full"); // Sunday
    assertThat(events.get(0).result()).isEqualTo(Status.OK);
    assertThat(events.get(0).archive()).isEqualTo("n1.www.20261129T010000Z.full.tar.gz");
    assertThat(s.drainEvents()).isEmpty();
    clock.set("2026-11-29T05:00:00Z");
    assertThat(only(s).output())
        .startsWith("BACKUP OK - n1.www.20261129T010000Z.full.tar.gz, ")
        .endsWith(", 4h old");

    clock.set("2026-11-30T01:30:00Z");
    assertThat(s.tick()).containsExactly("www");
    assertThat(s.drainEvents().get(0).level()).isEqualTo("diff"); // Monday
  }

  @Test
  void aFailedRunIsCriticalAndSoIsNoSuccessFor26Hours() throws IOException {
    BackupScheduler s = scheduler(config("missing"));
    clock.set("2026-11-29T01:00:00Z");
    assertThat(s.tick()).containsExactly("www");
    BackupEvent e = s.drainEvents().get(0);
    assertThat(e.result()).isEqualTo(Status.CRITICAL);
    assertThat(e.message()).contains("does not exist");
    assertThat(only(s).status()).isEqualTo(Status.CRITICAL);
    assertThat(only(s).output()).startsWith("BACKUP CRITICAL - last run failed 0s ago: ");
  }

  @Test
  void noBackupWithin26HoursOfFirstSightIsCritical() throws IOException {
    BackupsConfig c = config("tree");
    BackupSetConfig noDays =
        new BackupSetConfig(
            "www",
            dir.resolve("src"),
            List.of(Path.of("tree")),
            null,
            null,
            null,
            null,
            null,
            java.util.Map.of("wed", Level.FULL),
            null,
            null,
            null,
            null,
            null);
    BackupScheduler s = scheduler(new BackupsConfig(c.directory(), List.of(noDays)));
    clock.advance(Duration.ofHours(26));
    assertThat(only(s).status()).isEqualTo(Status.OK);
    clock.advance(Duration.ofSeconds(1));
    assertThat(only(s).status()).isEqualTo(Status.CRITICAL);
    assertThat(only(s).output())
        .isEqualTo("BACKUP CRITICAL - no successful backup since the set was configured 1d 2h ago");
  }

  @Test
  void aSuccessOlderThan26HoursIsCriticalAndTheStateSurvivesARestart() throws IOException {
    BackupsConfig c = config("tree");
    BackupScheduler s = scheduler(c);
    clock.set("2026-11-29T01:00:00Z");
    s.tick();
    s.close();

    BackupScheduler restarted = scheduler(c);
    clock.set("2026-11-30T00:30:00Z");
    assertThat(only(restarted).status()).isEqualTo(Status.OK);
    assertThat(restarted.tick()).isEmpty(); // Monday's run is not due yet
    clock.set("2026-11-30T03:00:01Z");
    // pretend Monday's run did not happen: no tick
    assertThat(only(restarted).status()).isEqualTo(Status.CRITICAL);
    assertThat(only(restarted).output())
        .startsWith("BACKUP CRITICAL - no successful backup for 1d 2h");
  }

  /** Runs tasks on the calling thread, so a tick finishes its backup before returning. */
  static final class DirectExecutor extends AbstractExecutorService {
    private boolean shutdown;

    @Override
    public void execute(Runnable command) {
      command.run();
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
      shutdown = true;
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }

  /**
   * Issue 22: a run whose clock went back behind an archive of the set succeeds with a warning, and
   * the set's service says so (WARNING) until a clean run.
   */
  @Test
  void aRunWithWarningsMakesTheServiceWarnUntilACleanRun() throws IOException {
    BackupScheduler s = scheduler(config("tree"));
    clock.set("2026-11-29T01:00:00Z");
    assertThat(s.tick()).containsExactly("www");
    assertThat(only(s).status()).isEqualTo(Status.OK);

    clock.set("2026-11-28T01:00:00Z"); // the node's clock steps back a day
    assertThat(s.tick()).containsExactly("www");
    CheckResult warned = only(s);
    assertThat(warned.status()).isEqualTo(Status.WARNING);
    assertThat(warned.output())
        .startsWith("BACKUP WARNING - n1.www.20261128T010000Z.")
        .contains("the clock went back: this run started at 2026-11-28T01:00:00Z");

    clock.set("2026-11-30T01:00:00Z");
    assertThat(s.tick()).containsExactly("www");
    assertThat(only(s).status()).isEqualTo(Status.OK);
  }
}
