package io.custos.agent.check.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.custos.agent.check.CheckContext;
import io.custos.agent.check.fs.FilesystemCheck;
import io.custos.agent.check.fs.FilesystemConfig;
import io.custos.agent.check.host.MemoryCheck;
import io.custos.agent.check.host.MemoryConfig;
import io.custos.agent.check.host.ProcessCheck;
import io.custos.agent.check.net.NicCheck;
import io.custos.agent.check.net.NicConfig;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import oshi.hardware.NetworkIF;
import oshi.hardware.NetworkIF.IfOperStatus;
import oshi.software.os.FileSystem;
import oshi.software.os.OSFileStore;

/** The OSHI adapters that stand in for {@code /proc} and {@code /sys} on FreeBSD and macOS. */
class OshiAdaptersTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochMilli(1_795_000_000_000L), ZoneOffset.UTC);

  private static OSFileStore store(
      String volume, String mount, String type, String options, long total, long free) {
    OSFileStore s = mock(OSFileStore.class);
    when(s.getVolume()).thenReturn(volume);
    when(s.getName()).thenReturn(volume);
    when(s.getMount()).thenReturn(mount);
    when(s.getType()).thenReturn(type);
    when(s.getOptions()).thenReturn(options);
    when(s.getTotalSpace()).thenReturn(total);
    when(s.getFreeSpace()).thenReturn(free);
    when(s.getUsableSpace()).thenReturn(free);
    when(s.getTotalInodes()).thenReturn(1000L);
    when(s.getFreeInodes()).thenReturn(100L);
    when(s.updateAttributes()).thenReturn(true);
    return s;
  }

  @Test
  void freeBsdFileStoresBecomeMountsAndUsage() throws Exception {
    FileSystem fs = mock(FileSystem.class);
    OSFileStore root =
        store("zroot/ROOT/default", "/", "zfs", "rw,nfsv4acls", 100L << 30, 5L << 30);
    OSFileStore dev = store("devfs", "/dev", "devfs", "rw,multilabel", 1024, 0);
    when(fs.getFileStores()).thenReturn(List.of(root, dev));

    OshiFileSystems snap = OshiFileSystems.snapshot(fs);
    List<Mounts.Mount> mounts = snap.mounts();
    FsUsage usage = snap.stat(Path.of("/"));
    List<CheckResult> results =
        new FilesystemCheck(FilesystemConfig.defaults(), null, () -> fs)
            .run(new CheckContext(Path.of("/fixture"), CLOCK), mounts, snap, false);

    assertThat(mounts)
        .containsExactly(
            new Mounts.Mount("zroot/ROOT/default", "/", "zfs", false),
            new Mounts.Mount("devfs", "/dev", "devfs", false));
    assertThat(usage.usedPercent()).isEqualTo(95.0);
    assertThat(usage.inodesUsedPercent()).isEqualTo(90.0);
    assertThat(results)
        .extracting(CheckResult::service, CheckResult::status)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("Filesystem /", Status.CRITICAL));
    assertThatThrownBy(() -> snap.stat(Path.of("/nowhere")))
        .isInstanceOf(IOException.class)
        .hasMessage("no file store mounted at /nowhere");
  }

  private static NetworkIF port(
      String name, int ifType, IfOperStatus status, long bitsPerSecond, long inErrors) {
    NetworkIF n = mock(NetworkIF.class);
    when(n.getName()).thenReturn(name);
    when(n.getIfType()).thenReturn(ifType);
    when(n.getIfOperStatus()).thenReturn(status);
    when(n.getSpeed()).thenReturn(bitsPerSecond);
    when(n.getInErrors()).thenReturn(inErrors);
    return n;
  }

  @Test
  void macOsPortsAreJudgedLikeSysfsOnes() {
    Map<String, Link> links =
        OshiNetworks.links(
            List.of(
                port("lo0", 24, IfOperStatus.UP, 0, 0),
                port("en0", 6, IfOperStatus.UP, 1_000_000_000L, 3),
                port("en1", 6, IfOperStatus.LOWER_LAYER_DOWN, 0, 0),
                port("en2", 6, IfOperStatus.DOWN, 0, 0)));

    List<CheckResult> r =
        new NicCheck(NicConfig.defaults(), context -> links)
            .run(new CheckContext(Path.of("/fixture"), CLOCK));

    assertThat(links).containsOnlyKeys("en0", "en1", "en2");
    assertThat(r)
        .extracting(CheckResult::service, CheckResult::status, CheckResult::output)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("NIC en0", Status.OK, "NIC OK - en0 up, 1000Mb/s"),
            org.assertj.core.groups.Tuple.tuple(
                "NIC en1",
                Status.CRITICAL,
                "NIC CRITICAL - en1 link down (operstate lower_layer_down, no carrier)"),
            org.assertj.core.groups.Tuple.tuple(
                "NIC en2", Status.OK, "NIC OK - en2 administratively down, not judged"));
    assertThat(r.get(0).metrics())
        .contains(Metric.of("nic_receive_errors_total", Map.of("interface", "en0"), 3, null));
  }

  @Test
  void macOsMemoryIsJudgedLikeMeminfo() {
    oshi.hardware.GlobalMemory memory = mock(oshi.hardware.GlobalMemory.class);
    oshi.hardware.VirtualMemory swap = mock(oshi.hardware.VirtualMemory.class);
    when(memory.getTotal()).thenReturn(16L << 30);
    when(memory.getAvailable()).thenReturn(1L << 30);
    when(memory.getVirtualMemory()).thenReturn(swap);
    when(swap.getSwapTotal()).thenReturn(4L << 30);
    when(swap.getSwapUsed()).thenReturn(1L << 30);

    Map<String, Long> info = OshiHost.meminfo(memory);

    assertThat(MemoryCheck.memory(info, MemoryConfig.defaults(), 1_795_000_000_000L).output())
        .isEqualTo("MEMORY WARNING - 94% used (15.0 GiB of 16.0 GiB, 1.0 GiB available)");
    assertThat(MemoryCheck.swap(info, MemoryConfig.defaults(), 1_795_000_000_000L).output())
        .isEqualTo("SWAP OK - 25% used (1.0 GiB of 4.0 GiB)");
  }

  @Test
  void freeBsdZombieIsNotRunningAndTimesMapToTicks() {
    oshi.software.os.OSProcess zombie = mock(oshi.software.os.OSProcess.class);
    when(zombie.getProcessID()).thenReturn(4242);
    when(zombie.getName()).thenReturn("nginx");
    when(zombie.getCommandLine()).thenReturn("nginx: master process");
    when(zombie.getState()).thenReturn(oshi.software.os.OSProcess.State.ZOMBIE);
    when(zombie.getStartTime()).thenReturn(1_794_999_000_000L);
    when(zombie.getUserTime()).thenReturn(1500L);
    when(zombie.getKernelTime()).thenReturn(500L);

    Proc p = OshiHost.proc(zombie);

    assertThat(p.gone()).isTrue();
    assertThat(p.cpuTicks()).isEqualTo(200);
    assertThat(p.startTicks() * 1000 / ProcessCheck.USER_HZ).isEqualTo(1_794_999_000_000L);
    assertThat(p.cmdline()).isEqualTo("nginx: master process");
  }
}
