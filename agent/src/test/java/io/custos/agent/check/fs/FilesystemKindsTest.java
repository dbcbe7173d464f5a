package io.custos.agent.check.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.custos.agent.check.CheckContext;
import io.custos.agent.check.CommandRunner;
import io.custos.agent.check.Fixtures;
import io.custos.agent.check.os.FsUsage;
import io.custos.agent.check.os.Mounts;
import io.custos.agent.check.os.StatFs;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hung mounts, mountinfo under {@code --root /host}, and excludes by mount path (issue 10). */
class FilesystemKindsTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochMilli(1_795_000_000_000L), ZoneOffset.UTC);
  private static final long GIB = 1L << 30;

  private static FilesystemConfig config(List<String> exclude, Duration statTimeout) {
    return new FilesystemConfig(null, null, null, null, exclude, statTimeout);
  }

  private static String mount(Path root, Path p) {
    return "/" + root.relativize(p).toString();
  }

  @Test
  void theHostsMountTableIsReadAndABindMountOfASubdirectoryDoesNotReplaceTheRealMount()
      throws Exception {
    Path root = Fixtures.root("docker-host-root");

    List<Mounts.Mount> selected =
        Mounts.select(
            FilesystemCheck.readMounts(new CheckContext(root, CLOCK)),
            FilesystemConfig.defaults()::excludes);

    assertThat(selected)
        .extracting(Mounts.Mount::mountPoint)
        .containsExactly("/", "/var/lib/docker", "/mnt/nfs share", "/mnt/backup");
  }

  @Test
  void oneHungStatfsIsUnknownByNameAndTheOthersReport() throws Exception {
    Path root = Fixtures.root("docker-host-root");
    CountDownLatch nfsServerBack = new CountDownLatch(1);
    AtomicInteger nfsCalls = new AtomicInteger();
    StatFs statFs =
        p -> {
          if (mount(root, p).equals("/mnt/nfs share")) {
            nfsCalls.incrementAndGet();
            boolean back = false;
            while (!back) {
              try {
                nfsServerBack.await();
                back = true;
              } catch (InterruptedException e) {
                // a hard NFS mount ignores interrupts; so does this
              }
            }
          }
          return new FsUsage(100 * GIB, 50 * GIB, 50 * GIB, 1000, 500);
        };
    FilesystemCheck check =
        new FilesystemCheck(config(List.of("/mnt/backup"), Duration.ofMillis(200)), statFs);
    try {
      List<CheckResult> first = check.run(new CheckContext(root, CLOCK));
      List<CheckResult> second = check.run(new CheckContext(root, CLOCK));

      assertThat(first)
          .extracting(CheckResult::service, CheckResult::status)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("Filesystem /", Status.OK),
              org.assertj.core.groups.Tuple.tuple("Filesystem /var/lib/docker", Status.OK),
              org.assertj.core.groups.Tuple.tuple("Filesystem /mnt/nfs share", Status.UNKNOWN));
      assertThat(first.get(2).output())
          .isEqualTo(
              "DISK UNKNOWN - /mnt/nfs share: statfs did not return within 200ms (a dead network"
                  + " file system?)");
      assertThat(second.get(2).output()).contains("still hung from an earlier run");
      assertThat(nfsCalls).hasValue(1);
    } finally {
      nfsServerBack.countDown();
    }
  }

  @Test
  void networkAndFuseMountsAreReadByAChildProcessSoAHungOneCannotHoldTheAgent() throws Exception {
    assertThat(FilesystemCheck.remote("nfs4")).isTrue();
    assertThat(FilesystemCheck.remote("fuse.sshfs")).isTrue();
    assertThat(FilesystemCheck.remote("ext4")).isFalse();
    // stat --file-system reads what statvfs(2) reads
    FsUsage child =
        StatFs.inChildProcess(CommandRunner.SYSTEM, Duration.ofSeconds(10)).stat(Path.of("/"));
    FsUsage direct = StatFs.system().stat(Path.of("/"));
    assertThat(child.totalBytes()).isEqualTo(direct.totalBytes());
    assertThat(child.totalInodes()).isEqualTo(direct.totalInodes());
  }

  @Test
  void aStatfsChildThatHangsIsAbandonedAtTheTimeout() {
    // the child is "stat" replaced by a sleep, as a statfs on a dead hard mount sleeps
    CommandRunner hangs =
        (argv, timeout) -> CommandRunner.SYSTEM.run(List.of("sleep", "60"), timeout);
    assertThatThrownBy(
            () -> StatFs.inChildProcess(hangs, Duration.ofMillis(300)).stat(Path.of("/mnt/nfs")))
        .isInstanceOf(java.io.IOException.class)
        .hasMessage("statfs did not return within 300ms (a dead network file system?)");
  }

  @Test
  void excludesTakeExactMountPointsAndGlobs() {
    FilesystemConfig c = config(List.of("/mnt/backup", "/run/*", "/snap/*"), null);

    assertThat(c.excludesMount("/mnt/backup")).isTrue();
    assertThat(c.excludesMount("/mnt/backup2")).isFalse();
    assertThat(c.excludesMount("/run/user/1000")).isTrue();
    assertThat(c.excludesMount("/snap/core20/2015")).isTrue();
    assertThat(c.excludesMount("/")).isFalse();
    assertThat(c.statTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aMountPointThatIsNotUtf8DoesNotHideTheOthers(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("proc"));
    byte[] latin1 = "/dev/sdb1 /srv/caf\u00e9 ext4 rw 0 0\n".getBytes("ISO-8859-1");
    byte[] rest = "/dev/sda1 / ext4 rw 0 0\n".getBytes("UTF-8");
    byte[] all = new byte[latin1.length + rest.length];
    System.arraycopy(rest, 0, all, 0, rest.length);
    System.arraycopy(latin1, 0, all, rest.length, latin1.length);
    Files.write(root.resolve("proc/mounts"), all);

    assertThat(FilesystemCheck.readMounts(new CheckContext(root, CLOCK)))
        .extracting(Mounts.Mount::mountPoint)
        .containsExactly("/", "/srv/caf\uFFFD");
  }
}
