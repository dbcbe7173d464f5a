package io.custos.agent.check.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.custos.agent.check.CheckContext;
import io.custos.agent.check.Fixtures;
import io.custos.common.units.Percent;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemoryCheckTest {
  private static final long NOW = 1_795_783_507_801L;
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
  private final MemoryConfig config = MemoryConfig.defaults();

  @Test
  void parsesMeminfoInBytes() throws Exception {
    Map<String, Long> info =
        MemoryCheck.parseMemInfo(Fixtures.lines("debian-server", "proc/meminfo"));

    assertThat(info)
        .containsEntry("MemTotal", 16314124L * 1024)
        .containsEntry("MemAvailable", 10842316L * 1024)
        .containsEntry("SwapTotal", 4194300L * 1024)
        .containsEntry("HugePages_Total", 0L);
  }

  @Test
  void serverWithSwap() throws Exception {
    List<CheckResult> r =
        new MemoryCheck(config).run(new CheckContext(Fixtures.root("debian-server"), CLOCK));

    assertThat(r).extracting(CheckResult::service).containsExactly("Memory", "Swap");
    assertThat(r.get(0).status()).isEqualTo(Status.OK);
    assertThat(r.get(0).output())
        .isEqualTo("MEMORY OK - 34% used (5.2 GiB of 15.6 GiB, 10.3 GiB available)");
    assertThat(r.get(0).metrics())
        .extracting(Metric::name)
        .containsExactly("memory_used_percent", "memory_available_bytes", "memory_total_bytes");
    assertThat(r.get(0).metrics().get(0).warn()).isEqualTo(90.0);
    assertThat(r.get(1).status()).isEqualTo(Status.OK);
    assertThat(r.get(1).output()).isEqualTo("SWAP OK - 13% used (0.5 GiB of 4.0 GiB)");
    assertThat(r.get(1).metrics())
        .extracting(Metric::name)
        .containsExactly("swap_used_percent", "swap_free_bytes", "swap_total_bytes");
  }

  @Test
  void smallVmWithoutSwapIsCriticalOnMemoryAndOkOnSwap() throws Exception {
    List<CheckResult> r =
        new MemoryCheck(config).run(new CheckContext(Fixtures.root("no-swap"), CLOCK));

    assertThat(r.get(0).status()).isEqualTo(Status.CRITICAL);
    assertThat(r.get(0).output()).startsWith("MEMORY CRITICAL - 96% used (");
    assertThat(r.get(1).status()).isEqualTo(Status.OK);
    assertThat(r.get(1).output()).isEqualTo("SWAP OK - no swap");
  }

  @Test
  void swapThresholdsAreSeparate() {
    Map<String, Long> info = Map.of("SwapTotal", 1000L, "SwapFree", 400L);
    assertThat(MemoryCheck.swap(info, config, NOW).status()).isEqualTo(Status.WARNING);
    MemoryConfig lax = new MemoryConfig(null, null, Percent.parse("70%"), Percent.parse("90%"));
    assertThat(MemoryCheck.swap(info, lax, NOW).status()).isEqualTo(Status.OK);
  }

  @Test
  void oldKernelsWithoutMemAvailableUseFreePlusCaches() {
    Map<String, Long> info =
        Map.of("MemTotal", 1000L, "MemFree", 100L, "Buffers", 50L, "Cached", 350L);
    CheckResult r = MemoryCheck.memory(info, config, NOW);
    assertThat(r.metrics().get(0).value()).isEqualTo(50.0);
  }

  @Test
  void meminfoWithoutMemTotalIsAnError() {
    assertThatThrownBy(() -> MemoryCheck.memory(Map.of(), config, NOW))
        .hasMessageContaining("MemTotal");
  }

  @Test
  void warningMustBeBelowCritical() {
    assertThatThrownBy(
            () -> new MemoryConfig(Percent.parse("95%"), Percent.parse("90%"), null, null))
        .hasMessage("warning (95%) must be below critical (90%)");
  }
}
