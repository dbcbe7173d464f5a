package io.custos.agent.check.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.agent.check.CheckContext;
import io.custos.agent.check.Schedule;
import io.custos.agent.check.ToolOutput;
import io.custos.common.units.Percent;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibvirtCheckTest {
  private static final long T0 = 1_700_000_000_000L;

  private static LibvirtConfig expect(List<String> running, Percent cpuWarning) {
    return new LibvirtConfig(null, running, cpuWarning, null, null);
  }

  private static List<LibvirtCheck.Domain> domstats(String file) throws Exception {
    return LibvirtCheck.parse(ToolOutput.read("libvirt", file));
  }

  @Test
  void parsesDomstats() throws Exception {
    List<LibvirtCheck.Domain> d = domstats("cockpit-machines-49-virsh-domstats-windows-server.txt");
    assertThat(d)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.name()).isEqualTo("windows-server-2022");
              assertThat(x.state()).isEqualTo(1);
              assertThat(x.number("cpu.time", 0)).isEqualTo(325812524000L);
              assertThat(x.number("balloon.maximum", 0)).isEqualTo(16777216L);
            });
  }

  @Test
  void runningAsExpectedWithBalloonMetrics() throws Exception {
    CheckResult r =
        LibvirtCheck.judge(
            "Libvirt",
            domstats("cockpit-machines-49-virsh-domstats-windows-server.txt"),
            new HashMap<>(),
            expect(List.of("windows-server-2022"), null),
            T0);
    assertThat(r.status()).isEqualTo(Status.OK);
    assertThat(r.output()).isEqualTo("LIBVIRT OK - 1 domain, 1 running");
    Map<String, String> l = Map.of("domain", "windows-server-2022");
    assertThat(r.metrics())
        .contains(
            Metric.of("libvirt_domain_balloon_current_bytes", l, 8388608 * 1024.0, "B"),
            Metric.of("libvirt_domain_balloon_maximum_bytes", l, 16777216 * 1024.0, "B"),
            Metric.of("libvirt_domain_vcpus", l, 8, null),
            Metric.of("libvirt_domain_cpu_time_seconds_total", l, 325.812524, "s"));
  }

  @Test
  void expectedDomainShutOffIsCriticalAndCpuIsARateBetweenRuns() throws Exception {
    Map<String, LibvirtCheck.Sample> previous = new HashMap<>();
    LibvirtConfig config = expect(List.of("win11", "db", "mail"), Percent.of(40));
    LibvirtCheck.judge(
        "Libvirt", domstats("glances-1531-virsh-domstats-win11.txt"), previous, config, T0);
    // 60 s later win11 used 120 s of CPU on 4 vCPUs: 50%.
    CheckResult r =
        LibvirtCheck.judge(
            "Libvirt",
            domstats("synthetic-from-glances-1531-domstats-db-shut-off.txt"),
            previous,
            config,
            T0 + 60_000);
    assertThat(r.status()).isEqualTo(Status.CRITICAL);
    assertThat(r.output())
        .isEqualTo(
            "LIBVIRT CRITICAL - db shut off (expected running), mail not defined (expected running),"
                + " win11 50.0% CPU of 4 vCPUs (warning 40%); 2 domains, 1 running");
    assertThat(r.metrics())
        .contains(Metric.of("libvirt_domain_state", Map.of("domain", "db"), 5, null))
        .filteredOn(m -> m.name().equals("libvirt_domain_cpu_usage_percent"))
        .singleElement()
        .extracting(Metric::value)
        .isEqualTo(50.0);
  }

  @Test
  void pausedIsWarning() {
    CheckResult r =
        LibvirtCheck.judge(
            "Libvirt",
            LibvirtCheck.parse("Domain: 'web'\n  state.state=3\n  state.reason=1\n"),
            new HashMap<>(),
            expect(List.of("web"), null),
            T0);
    assertThat(r.status()).isEqualTo(Status.WARNING);
    assertThat(r.output()).startsWith("LIBVIRT WARNING - web paused (expected running)");
  }

  @Test
  void endToEndThroughAFakeVirsh(@TempDir Path bin) throws Exception {
    ToolOutput.script(
        bin,
        "virsh",
        "echo \"$*\" > "
            + bin.resolve("argv.log")
            + "\ncat '"
            + ToolOutput.path("libvirt", "synthetic-from-glances-1531-domstats-db-shut-off.txt")
            + "'");
    LibvirtConfig config = new LibvirtConfig("qemu:///system", List.of("db"), null, null, null);
    CheckContext context =
        new CheckContext(Path.of("/"), Clock.fixed(Instant.ofEpochMilli(T0), ZoneOffset.UTC));
    List<CheckResult> r = new LibvirtCheck(config, ToolOutput.onPath(bin)).run(context);
    assertThat(r).singleElement().extracting(CheckResult::status).isEqualTo(Status.CRITICAL);
    assertThat(Files.readString(bin.resolve("argv.log")).strip())
        .isEqualTo("-c qemu:///system domstats --raw --state --cpu-total --balloon --vcpu");
  }

  @Test
  void aHungVirshIsKilledAndUnknown(@TempDir Path bin) throws Exception {
    ToolOutput.script(bin, "virsh", "exec sleep 60");
    LibvirtConfig config = LibvirtConfig.defaults();
    List<CheckResult> r =
        new LibvirtCheck(
                config,
                new Schedule(null, Duration.ofSeconds(1), null, null, null),
                ToolOutput.onPath(bin))
            .run(new CheckContext(Path.of("/"), Clock.systemUTC()));
    assertThat(r)
        .singleElement()
        .extracting(CheckResult::output)
        .isEqualTo("LIBVIRT UNKNOWN - virsh timed out after 950ms (killed)");
  }

  @Test
  void withoutVirshItSaysWhichPackage(@TempDir Path emptyBin) throws Exception {
    List<CheckResult> r =
        new LibvirtCheck(LibvirtConfig.defaults(), ToolOutput.onPath(emptyBin))
            .run(new CheckContext(Path.of("/"), Clock.systemUTC()));
    assertThat(r)
        .extracting(CheckResult::output)
        .containsExactly("LIBVIRT UNKNOWN - virsh not found (package libvirt-clients)");
  }
}
