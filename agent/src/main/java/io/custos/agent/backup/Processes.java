package io.custos.agent.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The few things Java cannot do itself, done by running the standard tool. */
final class Processes {

  private Processes() {}

  /** True when this process runs as uid 0 (Linux: {@code /proc/self} belongs to the euid). */
  static boolean isRoot() {
    try {
      return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
    } catch (IOException | RuntimeException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  /**
   * Runs {@code command} and waits for it.
   *
   * @throws IOException with the command and its error output if it fails
   */
  static void run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    try {
      int rc = p.waitFor();
      if (rc != 0) {
        throw new IOException(String.join(" ", command) + " failed (exit " + rc + "): " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command.get(0), e);
    }
  }
}
