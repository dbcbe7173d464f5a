package io.custos.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.agent.config.AgentConfigLoader;
import io.custos.common.wire.BackupEvent;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scheduled backups in a real child JVM ({@code java -cp <test class path> AgentMain backup run}),
 * as the daemon makes them through the launcher script: the event and the {@code Backup <set>}
 * service come from the child's result, or from how it died.
 */
class ChildProcessBackupLauncherTest {
  @TempDir Path dir;

  private final TestClock clock = new TestClock("2026-11-29T00:59:00Z"); // Sunday: full

  /** What the launcher script would run, without its flags. */
  private static List<String> javaCommand() {
    return List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp",
        System.getProperty("java.class.path"),
        "io.custos.agent.cli.AgentMain");
  }

  private Path config(String setName, String extra) throws Exception {
    Path tree = Files.createDirectories(dir.resolve("src/tree/sub"));
    Files.writeString(tree.resolve("a.txt"), "a");
    Files.writeString(tree.getParent().resolve("b.txt"), "bb");
    Path cfg = dir.resolve("agent.yml");
    Files.writeString(
        cfg,
        "node: n1\n"
            + "backups:\n"
            + "  directory: "
            + dir.resolve("out")
            + "\n"
            + "  sets:\n"
            + "    - name: "
            + setName
            + "\n"
            + "      root: "
            + dir.resolve("src")
            + "\n"
            + "      paths: [tree]\n"
            + extra);
    return cfg;
  }

  private BackupScheduler scheduler(BackupsConfig backups, List<String> command, Path cfg) {
    BackupScheduler s =
        new BackupScheduler(
            "n1",
            backups,
            clock,
            new BackupSchedulerTest.DirectExecutor(),
            new ChildProcessBackupLauncher(command, cfg, backups.directory(), clock));
    clock.set("2026-11-29T01:00:00Z"); // due now
    return s;
  }

  private static BackupsConfig sets(Path cfg) throws Exception {
    return AgentConfigLoader.load(cfg).backups();
  }

  private BackupsConfig wwwOnly() {
    return new BackupsConfig(
        dir.resolve("out"),
        List.of(
            new BackupSetConfig(
                "www",
                dir.resolve("src"),
                List.of(Path.of("tree")),
                null,
                null,
                null,
                null,
                "01:00",
                null,
                null,
                null,
                null,
                null,
                null)));
  }

  private static BackupEvent onlyEvent(BackupScheduler s) {
    List<BackupEvent> events = s.drainEvents();
    assertThat(events).hasSize(1);
    return events.get(0);
  }

  private static CheckResult onlyResult(BackupScheduler s) {
    List<CheckResult> r = s.results();
    assertThat(r).hasSize(1);
    return r.get(0);
  }

  @Test
  void aRunInAChildJvmIsReportedWithTheArchiveItWrote() throws Exception {
    Path cfg = config("www", "");
    BackupScheduler s = scheduler(sets(cfg), javaCommand(), cfg);
    assertThat(s.tick()).containsExactly("www");

    BackupEvent e = onlyEvent(s);
    assertThat(e.result()).as(e.message()).isEqualTo(Status.OK);
    assertThat(e.level()).isEqualTo("full");
    assertThat(e.archive()).matches("n1\\.www\\.\\d{8}T\\d{6}Z\\.full\\.tar\\.gz");
    assertThat(e.files()).isEqualTo(4); // tree, tree/b.txt, tree/sub, tree/sub/a.txt
    assertThat(Files.size(dir.resolve("out").resolve(e.archive()))).isEqualTo(e.bytes());
    // The child timed its run by the real clock; look at the service a minute after.
    clock.set(java.time.Instant.ofEpochMilli(e.finished()).plusSeconds(60).toString());
    assertThat(onlyResult(s).status()).isEqualTo(Status.OK);
    assertThat(onlyResult(s).output())
        .startsWith("BACKUP OK - " + e.archive() + ", ")
        .endsWith(", 1m old");
    assertThat(dir.resolve("out/.www.result.json")).doesNotExist();
  }

  @Test
  void aFailingBeforeHookInTheChildIsCriticalWithItsReason() throws Exception {
    Path cfg = config("www", "      before: ['echo fs busy >&2; exit 4']\n");
    BackupScheduler s = scheduler(sets(cfg), javaCommand(), cfg);
    s.tick();

    BackupEvent e = onlyEvent(s);
    assertThat(e.result()).isEqualTo(Status.CRITICAL);
    assertThat(e.archive()).isNull();
    assertThat(e.message())
        .isEqualTo("before hook \"echo fs busy >&2; exit 4\" failed (exit 4): fs busy");
    assertThat(onlyResult(s).status()).isEqualTo(Status.CRITICAL);
    assertThat(onlyResult(s).output()).endsWith("ago: " + e.message());
  }

  @Test
  void aSetTheChildsConfigurationNoLongerHasIsCriticalWithTheChildsReason() throws Exception {
    // The daemon's configuration has www; the file the child reads does not.
    Path cfg = config("other", "");
    BackupScheduler s = scheduler(wwwOnly(), javaCommand(), cfg);
    s.tick();

    BackupEvent e = onlyEvent(s);
    assertThat(e.result()).isEqualTo(Status.CRITICAL);
    assertThat(e.level()).isEqualTo("full");
    assertThat(e.message()).isEqualTo("no backup set \"www\" in " + cfg + " (sets: other)");
    assertThat(onlyResult(s).status()).isEqualTo(Status.CRITICAL);
  }

  @Test
  void aKilledChildIsCriticalNamingTheSignal() throws Exception {
    Path cfg = config("www", "");
    // Stands in for the kernel's OOM killer: the "JVM" says something and dies of SIGKILL.
    List<String> dying = List.of("/bin/sh", "-c", "echo heap full >&2; kill -KILL $$", "sh");
    BackupScheduler s = scheduler(sets(cfg), dying, cfg);
    s.tick();

    BackupEvent e = onlyEvent(s);
    assertThat(e.result()).isEqualTo(Status.CRITICAL);
    assertThat(e.message())
        .isEqualTo(
            "backup www: child process exited with 137 (killed: SIGKILL, e.g. the kernel's OOM"
                + " killer): heap full");
    assertThat(onlyResult(s).output())
        .startsWith("BACKUP CRITICAL - last run failed 0s ago: backup www: child process exited");
  }

  @Test
  void aChildThatLeavesNoResultIsQuotedByItsFirstAndLastLines() throws Exception {
    Path cfg = config("www", "");
    List<String> talky = List.of("/bin/sh", "-c", "echo Error: bad flag; seq 1 10; exit 3", "sh");
    BackupScheduler s = scheduler(sets(cfg), talky, cfg);
    s.tick();

    assertThat(onlyEvent(s).message())
        .isEqualTo("backup www: child process exited with 3: Error: bad flag | ... | 8 | 9 | 10");
  }

  @Test
  void theChildGetsTheSetTheLevelTheResultFileAndTheDaemonsConfig() {
    var l =
        new ChildProcessBackupLauncher(
            List.of("/opt/custos/bin/custos-agent"),
            Path.of("/etc/custos/agent.yml"),
            Path.of("/var/backups/custos"),
            clock);
    assertThat(l.commandLine("www", Level.DIFF, Path.of("/var/backups/custos/.www.result.json")))
        .containsExactly(
            "/opt/custos/bin/custos-agent",
            "backup",
            "run",
            "--set",
            "www",
            "--level",
            "diff",
            "--result-json",
            "/var/backups/custos/.www.result.json",
            "--config",
            "/etc/custos/agent.yml");
    var noFile =
        new ChildProcessBackupLauncher(List.of("custos-agent"), null, Path.of("/b"), clock);
    assertThat(noFile.commandLine("www", null, Path.of("/b/r.json")))
        .containsExactly(
            "custos-agent", "backup", "run", "--set", "www", "--result-json", "/b/r.json");
  }
}
