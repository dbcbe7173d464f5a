package io.custos.agent.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** The default node name: this host's name. */
final class HostName {
  private HostName() {}

  /**
   * The host name as Java resolves it, else the first line of {@code /etc/hostname}, else {@code
   * localhost} (a node name the collector will show, so the operator notices and sets {@code
   * node}).
   */
  static String local() {
    try {
      String name = InetAddress.getLocalHost().getHostName();
      if (name != null && !name.isBlank()) {
        return name;
      }
    } catch (IOException e) {
      // An unresolvable host name is common on fresh machines; /etc/hostname still has it.
    }
    try {
      String name = Files.readString(Path.of("/etc/hostname")).strip();
      if (!name.isEmpty()) {
        return name.lines().findFirst().orElse(name).strip();
      }
    } catch (IOException e) {
      // fall through
    }
    return "localhost";
  }
}
