package io.custos.agent.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.agent.config.AgentConfigLoader;
import io.custos.common.config.ConfigException;
import io.custos.common.wire.BackupEvent;
import io.custos.common.wire.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 9, kind 8: compression settings never run out of memory. {@code compression: xz, level: 9}
 * died with OutOfMemoryError under the default 1 GiB backup heap: its encoder alone takes 674 MiB
 * (XZ for Java's own figure), in arrays that must fit Serial GC's old generation. The heap is sized
 * from each codec's documented needs, a run that cannot fit is refused before it starts, and a
 * setting no heap on this machine could hold is refused by {@code check-config}.
 */
class CompressionMemoryTest {
  private static final long GIB = 1L << 30;
  private static final long MIB = 1L << 20;

  @TempDir Path dir;

  private BackupSetConfig set(Compression c, Integer level, Integer workers) {
    return new BackupSetConfig(
        "big",
        dir,
        List.of(Path.of("tree")),
        null,
        c,
        level,
        workers,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  @Test
  void xzLevel9NeedsItsDocumented674MiBAndMoreThanTheDefaultHeap() {
    BackupSetConfig xz9 = set(Compression.XZ, 9, null);
    assertThat(Compression.XZ.encoderMemory(9, 0).heapBytes()).isEqualTo(689_082L * 1024);

    assertThat(BackupHeap.shortfall(xz9, GIB))
        .hasValueSatisfying(
            why ->
                assertThat(why)
                    .startsWith("compression xz level 9 needs 1.1 GiB of heap for its encoder")
                    .contains("more than this JVM's 1.0 GiB")
                    .contains("CUSTOS_BACKUP_HEAP=2034m"));
    assertThat(BackupHeap.required(xz9, GIB)).isEqualTo(GIB + 689_082L * 1024 * 3 / 2);
    assertThat(BackupHeap.shortfall(xz9, BackupHeap.required(xz9, GIB))).isEmpty();
  }

  /** Every codec at its default level, and every level up to xz 8, fits the default heap. */
  @ParameterizedTest
  @EnumSource(Compression.class)
  void everyDefaultLevelFitsTheDefaultHeapAsBefore(Compression c) {
    BackupSetConfig s = set(c, null, null);
    assertThat(BackupHeap.shortfall(s, GIB)).isEmpty();
    assertThat(BackupHeap.required(s, GIB)).isEqualTo(GIB);
  }

  /** The codecs whose encoders live in native memory run in a tiny heap, as before. */
  @ParameterizedTest
  @EnumSource(
      value = Compression.class,
      names = {"GZIP", "ZSTD", "NONE"})
  void nativeEncodersFitATinyHeap(Compression c) {
    assertThat(BackupHeap.shortfall(set(c, null, null), 24 * MIB)).isEmpty();
  }

  /** Whatever the level, the heap sized for it holds its encoder, from a small base up. */
  @Test
  void theHeapSizedForEveryLevelHoldsItsEncoder() {
    for (Compression c : Compression.values()) {
      int from = c == Compression.XZ ? 0 : 1;
      int to = c == Compression.ZSTD ? 22 : c == Compression.LZ4 || c == Compression.NONE ? 0 : 9;
      for (int level = from; level <= to; level++) {
        BackupSetConfig s = set(c, to == 0 ? null : level, null);
        long heap = BackupHeap.required(s, 256 * MIB);
        assertThat(BackupHeap.shortfall(s, heap)).as("%s level %d", c, level).isEmpty();
        assertThat(heap - 256 * MIB)
            .as("%s level %d", c, level)
            .isLessThanOrEqualTo(
                c.encoderMemory(level == 0 && to == 0 ? -1 : level, 0).heapBytes() * 3 / 2);
      }
    }
  }

  @Test
  void aRunThatCannotFitItsJvmIsRefusedBeforeAnythingRuns() throws IOException {
    Files.createDirectories(dir.resolve("tree"));
    BackupSetConfig xz9 =
        new BackupSetConfig(
            "big",
            dir,
            List.of(Path.of("tree")),
            null,
            Compression.XZ,
            9,
            null,
            null,
            null,
            null,
            List.of("touch " + dir.resolve("before-ran")),
            null,
            null,
            null);

    BackupRunner.Outcome o =
        new BackupRunner(
                "n1",
                dir.resolve("out"),
                new TestClock("2026-11-29T01:00:00Z"),
                new Progress(),
                GIB)
            .run(xz9, Level.FULL);

    assertThat(o.ok()).isFalse();
    assertThat(o.message()).startsWith("not started: compression xz level 9 needs");
    assertThat(dir.resolve("before-ran")).doesNotExist();
  }

  @Test
  void theDaemonRaisesTheChildsHeapFromItsBase() {
    Map<String, String> env = new HashMap<>();
    ChildProcessBackupLauncher.sizeHeap(set(Compression.ZSTD, 3, 2), env);
    assertThat(env).doesNotContainKey(BackupHeap.ENV);

    ChildProcessBackupLauncher.sizeHeap(set(Compression.XZ, 9, null), env);
    assertThat(env).containsEntry(BackupHeap.ENV, "2034m");

    env.put(BackupHeap.ENV, "4g");
    ChildProcessBackupLauncher.sizeHeap(set(Compression.XZ, 9, null), env);
    assertThat(env).containsEntry(BackupHeap.ENV, "4g");

    env.put(BackupHeap.ENV, "512m");
    ChildProcessBackupLauncher.sizeHeap(set(Compression.XZ, 9, null), env);
    assertThat(env).containsEntry(BackupHeap.ENV, "1522m");
  }

  /**
   * The real thing, through a stand-in for the launcher script ({@code -Xmx$CUSTOS_BACKUP_HEAP},
   * Serial GC, a small 256m default): xz level 9 in a child JVM whose heap the daemon sized. With
   * the script's own heap it ran out of memory.
   */
  @Test
  void xzLevel9RunsInAChildJvmWhoseHeapTheDaemonSized() throws Exception {
    Path tree = Files.createDirectories(dir.resolve("src/tree"));
    Files.write(tree.resolve("data.bin"), Trees.bytes(64 << 10, 7));
    Path cfg = dir.resolve("agent.yml");
    Files.writeString(
        cfg,
        "node: n1\nbackups:\n  directory: "
            + dir.resolve("out")
            + "\n  sets:\n"
            + "    - { name: big, root: "
            + dir.resolve("src")
            + ", paths: [tree],"
            + " compression: xz, level: 9 }\n");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> script =
        List.of(
            "/bin/sh",
            "-c",
            "exec \"$0\" -Xmx${CUSTOS_BACKUP_HEAP:-256m} -XX:+UseSerialGC"
                + " -XX:+ExitOnOutOfMemoryError -cp '"
                + System.getProperty("java.class.path")
                + "' io.custos.agent.cli.AgentMain \"$@\"",
            java);
    TestClock clock = new TestClock("2026-11-29T00:59:00Z");
    BackupsConfig backups = AgentConfigLoader.load(cfg).backups();
    BackupScheduler s =
        new BackupScheduler(
            "n1",
            backups,
            clock,
            new BackupSchedulerTest.DirectExecutor(),
            new ChildProcessBackupLauncher(script, cfg, backups.directory(), clock));
    clock.set("2026-11-29T01:00:00Z");

    assertThat(s.tick()).containsExactly("big");

    BackupEvent e = s.drainEvents().get(0);
    assertThat(e.result()).as(e.message()).isEqualTo(Status.OK);
    assertThat(e.archive()).endsWith(".full.tar.xz");
  }

  @Test
  void checkConfigRefusesACompressionThisMachineCannotHold() throws IOException {
    Path root = Files.createDirectories(dir.resolve("small/proc"));
    Files.write(
        root.resolve("meminfo"),
        List.of("MemTotal:         524288 kB", "MemFree:          262144 kB"));
    String yaml =
        "backups:\n  sets:\n    - { name: www, paths: [/srv], compression: zstd, level: 22,"
            + " workers: 4 }\n";

    assertThat(
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    AgentConfigLoader.validate(
                        AgentConfigLoader.parse(yaml, "agent.yml"), "agent.yml", root.getParent())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("backups.sets[0] (www).level")
        .hasMessageContaining("compression zstd level 22 with 4 workers needs about")
        .hasMessageContaining("more than this machine's 512.0 MiB of memory");
  }

  @Test
  void memTotalIsReadFromRealMeminfo() throws IOException {
    List<String> debian =
        Files.readAllLines(Path.of("src/test/resources/fixtures/debian-server/proc/meminfo"));
    assertThat(BackupHeap.memTotal(debian)).isPresent();
    assertThat(BackupHeap.memTotal(List.of("MemTotal:       16323540 kB")))
        .hasValue(16323540L * 1024);
    assertThat(BackupHeap.memTotal(List.of("MemFree: 1 kB"))).isEmpty();
  }
}
