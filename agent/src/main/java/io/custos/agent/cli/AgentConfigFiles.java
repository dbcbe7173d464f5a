package io.custos.agent.cli;

import io.custos.agent.config.AgentConfig;
import io.custos.agent.config.AgentConfigLoader;
import io.custos.common.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which configuration a command uses: {@code --config FILE} when given; else {@code
 * /etc/custos/agent.yml} when it exists, so that {@code custos-agent check} by hand sees what the
 * service sees; else every default.
 */
final class AgentConfigFiles {
  static final Path DEFAULT = AgentConfigLoader.DEFAULT_FILE;

  /**
   * A configuration and where it came from.
   *
   * @param config the configuration
   * @param source the file, or {@code (defaults)} when none was read
   * @param file the file read, null when none was
   */
  record Loaded(AgentConfig config, String source, Path file) {}

  private AgentConfigFiles() {}

  static Loaded load(Path option, Path defaultFile) throws ConfigException {
    Path file = option != null ? option : Files.exists(defaultFile) ? defaultFile : null;
    if (file == null) {
      return new Loaded(AgentConfig.defaults(), "(defaults)", null);
    }
    return new Loaded(AgentConfigLoader.load(file), file.toString(), file);
  }
}
