package io.custos.agent.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command takes. */
final class CommonOptions {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description =
          "Configuration file (default: /etc/custos/agent.yml if it exists, else built-in"
              + " defaults).")
  Path config;

  @Option(
      names = "--root",
      paramLabel = "DIR",
      description =
          "Where the node's / is, for /proc and mount points (default: /; e.g. /host in a"
              + " container).")
  Path root;
}
