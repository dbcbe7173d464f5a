package io.custos.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

/**
 * Issue 9, kind 9: nothing a backup runs can hang it forever. A {@code before} hook or a dump that
 * never ends ({@code pg_dumpall} waiting on a lock, {@code mysqldump} on a locked table, stood in
 * for by {@code sleep} in a child of the shell) is killed with its process tree at its timeout, the
 * run fails naming the command and the time, and the {@code Backup <set>} service says so.
 */
class HungCommandTest {
  @TempDir Path dir;

  private final TestClock clock = new TestClock("2026-11-29T01:00:00Z");

  /** A command that starts a grandchild that would sleep for 10 minutes, noting its pid. */
  private String hangs(String pidFile) {
    return "sleep 600 & echo $! > " + dir.resolve(pidFile) + "; wait";
  }

  private BackupSetConfig set(
      List<String> before, List<BackupSetConfig.Dump> dumps, Duration hookTimeout)
      throws IOException {
    Path tree = Files.createDirectories(dir.resolve("src/tree"));
    Files.writeString(tree.resolve("a.txt"), "a");
    return new BackupSetConfig(
        "db",
        dir.resolve("src"),
        List.of(Path.of("tree")),
        null,
        Compression.GZIP,
        1,
        null,
        "01:00",
        null,
        null,
        before,
        List.of("touch " + dir.resolve("after-ran")),
        dumps,
        hookTimeout);
  }

  private void assertKilled(String pidFile) throws IOException {
    long pid = Long.parseLong(Files.readString(dir.resolve(pidFile)).trim());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), alive -> !alive);
  }

  @Test
  void aHungBeforeHookIsKilledWithItsChildrenAndTheRunFailsNamingItAndItsTimeout()
      throws IOException {
    String hook = hangs("hook.pid");
    BackupSetConfig s = set(List.of(hook), null, Duration.ofSeconds(2));

    BackupRunner.Outcome o = new BackupRunner("n1", dir.resolve("out"), clock).run(s, Level.FULL);

    assertThat(o.ok()).isFalse();
    assertThat(o.message())
        .startsWith(
            "before hook \""
                + hook
                + "\" timed out after 2s and was killed with its child"
                + " processes");
    assertKilled("hook.pid");
    assertThat(dir.resolve("after-ran")).exists(); // after hooks run whatever happened
  }

  @Test
  void aHungDumpIsKilledAtItsOwnTimeoutAndTheServiceSaysSo() throws IOException {
    String dump = "echo 'pg_dumpall: waiting for lock' >&2; " + hangs("dump.pid");
    BackupSetConfig s =
        set(null, List.of(new BackupSetConfig.Dump("all.sql", dump, Duration.ofSeconds(2))), null);
    clock.set("2026-11-29T00:59:00Z");
    BackupScheduler scheduler =
        new BackupScheduler(
            "n1", new BackupsConfig(dir.resolve("out"), List.of(s)), clock, new DirectExecutor());
    clock.set("2026-11-29T01:00:00Z");

    assertThat(scheduler.tick()).containsExactly("db");

    assertKilled("dump.pid");
    BackupEvent e = scheduler.drainEvents().get(0);
    assertThat(e.result()).isEqualTo(Status.CRITICAL);
    assertThat(e.message())
        .startsWith("dump all.sql (\"" + dump + "\") timed out after 2s and was killed")
        .endsWith(": pg_dumpall: waiting for lock");
    CheckResult service = scheduler.results().get(0);
    assertThat(service.status()).isEqualTo(Status.CRITICAL);
    assertThat(service.output())
        .startsWith("BACKUP CRITICAL - last run failed 0s ago: dump all.sql (")
        .contains("timed out after 2s");
    assertThat(dir.resolve("out/.db.dumps")).doesNotExist();
  }

  @Test
  void timeoutsHaveGenerousDefaults() throws IOException {
    BackupSetConfig s =
        set(List.of("true"), List.of(new BackupSetConfig.Dump("x.sql", "true")), null);
    assertThat(s.hookTimeout()).isEqualTo(Duration.ofHours(1));
    assertThat(s.dumps().get(0).timeout()).isEqualTo(Duration.ofHours(12));
  }

  /**
   * A manual {@code backup run} counts like a scheduled one: the daemon takes its outcome over at
   * its next tick (service, event for the collector's catalog), where it used to say "no backup
   * yet".
   */
  @Test
  void aManualRunUpdatesTheServiceAndTheCatalogLikeAScheduledOne() throws IOException {
    BackupSetConfig s = set(null, null, null);
    Path out = dir.resolve("out");
    BackupScheduler daemon =
        new BackupScheduler("n1", new BackupsConfig(out, List.of(s)), clock, new DirectExecutor());
    clock.set("2026-11-29T12:00:00Z");
    assertThat(daemon.results().get(0).output()).startsWith("BACKUP OK - no backup yet");

    BackupRunner.Outcome manual = new BackupRunner("n1", out, clock).run(s, Level.FULL);
    BackupScheduler.handOver(out, manual);
    clock.set("2026-11-29T12:00:30Z");
    assertThat(daemon.tick()).isEmpty(); // nothing scheduled; the manual run is taken over

    assertThat(daemon.results().get(0).output())
        .startsWith("BACKUP OK - n1.db.20261129T120000Z.full.tar.gz, ")
        .endsWith(", 30s old");
    List<BackupEvent> events = daemon.drainEvents();
    assertThat(events)
        .singleElement()
        .extracting(BackupEvent::archive)
        .isEqualTo("n1.db.20261129T120000Z.full.tar.gz");
    try (var files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".manual."));
    }
    // A daemon started later (state on disk) still knows it.
    BackupScheduler restarted =
        new BackupScheduler("n1", new BackupsConfig(out, List.of(s)), clock, new DirectExecutor());
    assertThat(restarted.results().get(0).status()).isEqualTo(Status.OK);
    assertThat(restarted.results().get(0).output()).doesNotContain("no backup yet");
    assertThat(restarted.drainEvents()).isEmpty();
  }

  /** Runs tasks on the calling thread. */
  private static final class DirectExecutor extends AbstractExecutorService {
    @Override
    public void execute(Runnable r) {
      r.run();
    }

    @Override
    public void shutdown() {}

    @Override
    public List<Runnable> shutdownNow() {
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return false;
    }

    @Override
    public boolean isTerminated() {
      return false;
    }

    @Override
    public boolean awaitTermination(long t, TimeUnit u) {
      return true;
    }
  }
}
