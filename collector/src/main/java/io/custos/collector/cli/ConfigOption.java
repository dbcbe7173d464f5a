package io.custos.collector.cli;

import io.custos.collector.config.CollectorConfig;
import io.custos.collector.http.TlsContext;
import io.custos.common.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE}, shared by every command. Without it, {@code /etc/custos/collector.yml} is
 * read if it exists and built-in defaults apply otherwise; a file named explicitly must exist.
 */
final class ConfigOption {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "Configuration file (default: ${DEFAULT-VALUE} if it exists, else defaults).",
      defaultValue = "/etc/custos/collector.yml",
      showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER)
  Path file;

  private boolean explicit() {
    return !file.equals(CollectorConfig.DEFAULT_FILE);
  }

  /** Whether a file will be read, else defaults apply. */
  boolean hasFile() {
    return explicit() || Files.exists(file);
  }

  /** What {@link #load} reads, for messages. */
  String describe() {
    return hasFile() ? file.toString() : "built-in defaults (no " + file + ")";
  }

  /**
   * Reads and validates the configuration completely, including that the {@code tls:} files hold a
   * usable certificate and key (which the config package, holding only values, cannot check).
   *
   * @throws ConfigException naming the file, key and value of the first problem
   */
  CollectorConfig load() throws ConfigException {
    CollectorConfig config = hasFile() ? CollectorConfig.load(file) : CollectorConfig.ofDefaults();
    if (config.tls() != null) {
      try {
        TlsContext.load(config.tls());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(file.toString(), 0, "", e.getMessage());
      }
    }
    return config;
  }
}
