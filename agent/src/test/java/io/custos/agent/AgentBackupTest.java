package io.custos.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.custos.agent.backup.BackupSetConfig;
import io.custos.agent.backup.BackupsConfig;
import io.custos.agent.backup.Compression;
import io.custos.agent.backup.TestClock;
import io.custos.agent.check.CheckRunner;
import io.custos.agent.config.AgentConfig;
import io.custos.common.units.ByteSize;
import io.custos.common.wire.BackupEvent;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Report;
import io.custos.common.wire.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon runs a set at its time on the backup thread and reports it. */
class AgentBackupTest {
  @TempDir Path dir;

  @Test
  void aScheduledBackupRunsOnItsOwnThreadAndIsReportedWithItsService() throws Exception {
    Path tree = Files.createDirectories(dir.resolve("src/tree"));
    Files.writeString(tree.resolve("a.txt"), "a");
    BackupSetConfig set =
        new BackupSetConfig(
            "www",
            dir.resolve("src"),
            List.of(Path.of("tree")),
            null,
            Compression.ZSTD,
            null,
            null,
            "01:00",
            null,
            null,
            null,
            null,
            null,
            null);
    AgentConfig config =
        new AgentConfig(
            "web01",
            null,
            null,
            Duration.ofSeconds(30),
            new AgentConfig.Spool(dir.resolve("spool"), ByteSize.parse("1MB")),
            List.of(),
            new BackupsConfig(dir.resolve("backups"), List.of(set)));
    TestClock clock = new TestClock("2026-11-29T00:59:30Z");
    AgentTest.FakeCollector collector = new AgentTest.FakeCollector();
    try (Agent agent =
        new Agent(config, clock, new CheckRunner(List.of(), Path.of("/"), clock), collector)) {
      Report first = agent.cycle();
      assertThat(first.results())
          .extracting(CheckResult::service, CheckResult::status, CheckResult::output)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  "Backup www", Status.OK, "BACKUP OK - no backup yet, next at 2026-11-29T01:00Z"));
      assertThat(first.backups()).isEmpty();

      clock.advance(Duration.ofSeconds(30));
      List<BackupEvent> events = new ArrayList<>();
      events.addAll(agent.cycle().backups());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                Report r = agent.cycle();
                events.addAll(r.backups());
                return !events.isEmpty();
              });
      assertThat(events).hasSize(1);
      BackupEvent e = events.get(0);
      assertThat(e.set()).isEqualTo("www");
      assertThat(e.level()).isEqualTo("full");
      assertThat(e.result()).isEqualTo(Status.OK);
      assertThat(e.archive()).isEqualTo("web01.www.20261129T010000Z.full.tar.zst");
      assertThat(e.files()).isEqualTo(2);
      assertThat(Files.exists(dir.resolve("backups").resolve(e.archive()))).isTrue();
      assertThat(agent.cycle().results().get(0).output())
          .startsWith("BACKUP OK - web01.www.20261129T010000Z.full.tar.zst, ");
    }
  }
}
