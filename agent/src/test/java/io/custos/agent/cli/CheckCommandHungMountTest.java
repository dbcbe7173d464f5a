package io.custos.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code custos-agent check}, one shot as cron runs it, on a machine with a mount whose statfs
 * never returns (issue 25). A FUSE file system that answers INIT and nothing else ({@code
 * /fuse/hangfs.py}, raw {@code /dev/fuse}) stands in for a dead hard NFS server: a statfs on it
 * waits in the kernel ({@code request_wait_answer}) and cannot be killed, which kept the agent's
 * process from exiting when the statfs ran in it. Runs the agent in its own JVM; needs root, {@code
 * /dev/fuse} and python3, and skips, saying so, without them.
 */
class CheckCommandHungMountTest {
  @Test
  void aOneShotCheckExitsOnTimeWhenAMountsStatfsHangs(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")), "needs root to mount a FUSE file system");
    Assumptions.assumeTrue(Files.exists(Path.of("/dev/fuse")), "needs /dev/fuse");
    Path script = dir.resolve("hangfs.py");
    try (InputStream in = getClass().getResourceAsStream("/fuse/hangfs.py")) {
      Files.copy(in, script);
    }
    Path mnt = Files.createDirectories(dir.resolve("hung"));
    Process fs;
    try {
      fs =
          new ProcessBuilder("python3", script.toString(), mnt.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("hangfs.log").toFile())
              .start();
    } catch (java.io.IOException e) {
      Assumptions.abort("needs python3: " + e.getMessage());
      return;
    }
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> !fs.isAlive() || mounted(mnt));
      Assumptions.assumeTrue(
          mounted(mnt), "cannot mount FUSE here: " + Files.readString(dir.resolve("hangfs.log")));
      Path cfg = dir.resolve("agent.yml");
      Files.writeString(cfg, "checks:\n  - { type: filesystem, stat_timeout: 1s }\n");
      Path out = dir.resolve("check.out");
      Process agent =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  AgentMain.class.getName(),
                  "check",
                  "--all",
                  "--sample-gap",
                  "0",
                  "-c",
                  cfg.toString())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      boolean exited = agent.waitFor(60, TimeUnit.SECONDS);
      if (!exited) {
        agent.destroyForcibly();
      }

      assertThat(exited)
          .as("custos-agent check exited; it printed %s", Files.readString(out))
          .isTrue();
      assertThat(agent.exitValue()).isEqualTo(3);
      assertThat(Files.readString(out))
          .contains(
              "Filesystem "
                  + mnt
                  + ": DISK UNKNOWN - "
                  + mnt
                  + ": statfs did not return within 1s (a dead network file system?)");
    } finally {
      // Closing /dev/fuse aborts the connection, which releases every statfs still waiting on it.
      fs.destroy();
      fs.waitFor(10, TimeUnit.SECONDS);
      new ProcessBuilder("umount", "-l", mnt.toString()).start().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static boolean mounted(Path mnt) throws java.io.IOException {
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .anyMatch(l -> l.contains(" " + mnt + " "));
  }
}
