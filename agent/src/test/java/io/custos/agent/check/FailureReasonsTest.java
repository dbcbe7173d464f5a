package io.custos.agent.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.agent.check.host.MemoryConfig;
import io.custos.agent.check.raid.RaidConfig;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failure reasons name the file and what was wrong, never a bare "Is a directory". */
class FailureReasonsTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochMilli(1_795_000_000_000L), ZoneOffset.UTC);

  @TempDir Path root;

  private CheckResult runOnce(CheckConfig config) {
    try (CheckRunner runner = CheckRunner.of(List.of(config), root, CLOCK)) {
      return runner.runAll().get(0);
    }
  }

  @Test
  void aDirectoryWhereAFileShouldBeIsNamed() throws Exception {
    Files.createDirectories(root.resolve("proc/mdstat"));

    CheckResult r = runOnce(CheckConfig.of(RaidConfig.defaults()));

    assertThat(r.status()).isEqualTo(Status.UNKNOWN);
    assertThat(r.output())
        .isEqualTo("RAID UNKNOWN - " + root.resolve("proc/mdstat") + ": is a directory");
  }

  @Test
  void bytesThatAreNotUtf8DoNotFailTheRead() throws Exception {
    Path meminfo = root.resolve("proc/meminfo");
    Files.createDirectories(meminfo.getParent());
    Files.write(
        meminfo, "MemTotal: 1000 kB\nMemAvailable: 900 kB\nX\u00ff: 1 kB\n".getBytes("ISO-8859-1"));

    CheckResult r = runOnce(CheckConfig.of(MemoryConfig.defaults()));

    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.output()).startsWith("MEMORY OK - 10% used");
  }
}
