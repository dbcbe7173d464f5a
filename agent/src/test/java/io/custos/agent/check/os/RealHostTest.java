package io.custos.agent.check.os;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.agent.check.CheckRegistry;
import io.custos.agent.check.CheckRunner;
import io.custos.agent.check.fs.FilesystemConfig;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Runs the real checks once against this machine's {@code /}. */
@EnabledOnOs(OS.LINUX)
class RealHostTest {
  @Test
  void defaultChecksReportThisMachine() throws Exception {
    List<CheckResult> results;
    try (CheckRunner runner =
        CheckRunner.of(CheckRegistry.defaults(), Path.of("/"), Clock.systemUTC())) {
      results = runner.runAll();
    }

    assertThat(results).extracting(CheckResult::service).contains("Load", "Memory", "Swap");
    assertThat(results)
        .filteredOn(r -> r.service().equals("Load") || r.service().equals("Memory"))
        .extracting(CheckResult::status)
        .doesNotContain(Status.UNKNOWN);
    List<Mounts.Mount> expected =
        Mounts.select(
            Mounts.parse(Files.readAllLines(Path.of("/proc/mounts"))),
            FilesystemConfig.defaults()::excludes);
    if (!expected.isEmpty()) {
      assertThat(results)
          .filteredOn(r -> r.service().startsWith("Filesystem "))
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r.output()).startsWith("DISK "));
    }
  }

  @Test
  void statvfsOfTheRootFileSystemGivesPlausibleNumbers() throws Exception {
    FsUsage u = StatFs.system().stat(Path.of("/"));

    assertThat(u.totalBytes()).isPositive();
    assertThat(u.availableBytes()).isBetween(0L, u.totalBytes());
    assertThat(u.freeBytes()).isBetween(u.availableBytes(), u.totalBytes());
  }
}
