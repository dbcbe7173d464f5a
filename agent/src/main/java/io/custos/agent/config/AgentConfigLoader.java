package io.custos.agent.config;

import io.custos.agent.backup.BackupHeap;
import io.custos.agent.backup.BackupSetConfig;
import io.custos.agent.check.CheckConfig;
import io.custos.agent.check.CheckRegistry;
import io.custos.common.config.ConfigException;
import io.custos.common.config.ConfigReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads and validates {@code agent.yml}, and finds the node's token.
 *
 * <p>Failure behaviour: every problem is a {@link ConfigException} naming the file, the line when
 * known, the key and the value.
 */
public final class AgentConfigLoader {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(AgentConfigLoader.class);

  /** Where packages install the configuration; used when {@code --config} is not given. */
  public static final Path DEFAULT_FILE = Path.of("/etc/custos/agent.yml");

  /** The environment variable holding the token when {@code collector.token_file} is not set. */
  public static final String TOKEN_ENV = "CUSTOS_TOKEN";

  private AgentConfigLoader() {}

  /** Reads {@code file} strictly; every absent key takes its default. */
  public static AgentConfig load(Path file) throws ConfigException {
    return new ConfigReader().read(file, AgentConfig.class);
  }

  /** Reads YAML text; {@code source} names it in errors. */
  public static AgentConfig parse(String yaml, String source) throws ConfigException {
    return new ConfigReader().read(yaml, source, AgentConfig.class);
  }

  /**
   * What {@code check-config} checks beyond reading: that the token file, when set, is a readable
   * file holding a token, and that each backup set's compression fits in this machine's memory.
   */
  public static void validate(AgentConfig config, String source) throws ConfigException {
    validate(config, source, Path.of("/"));
  }

  /**
   * Like {@link #validate(AgentConfig, String)}, reading the machine's memory from {@code
   * root/proc/meminfo} (a machine whose memory cannot be read is not checked for it).
   */
  public static void validate(AgentConfig config, String source, Path root) throws ConfigException {
    requireDistinctServices(config, source);
    Path tokenFile = config.collector().tokenFile();
    if (tokenFile != null) {
      readTokenFile(tokenFile, source);
    }
    OptionalLong ram;
    try {
      ram = BackupHeap.memTotal(Files.readAllLines(root.resolve("proc/meminfo")));
    } catch (IOException e) {
      ram = OptionalLong.empty();
    }
    List<BackupSetConfig> sets = config.backups().sets();
    for (int i = 0; ram.isPresent() && i < sets.size(); i++) {
      Optional<String> why = BackupHeap.beyondMachine(sets.get(i), ram.getAsLong());
      if (why.isPresent()) {
        throw new ConfigException(
            source, 0, "backups.sets[" + i + "] (" + sets.get(i).name() + ").level", why.get());
      }
    }
  }

  /**
   * Refuses two checks that would report the same service name (the {@code name} key, else the
   * check's own name such as {@code "Load"} or {@code "TCP db01:5432"}): the collector keeps one
   * state per (node, service), so their results would overwrite each other every cycle and the
   * service would flap between them.
   *
   * @throws ConfigException naming both checks' positions and the service
   */
  public static void requireDistinctServices(AgentConfig config, String source)
      throws ConfigException {
    Map<String, Integer> seen = new HashMap<>();
    List<CheckConfig> checks = config.checks();
    for (int i = 0; i < checks.size(); i++) {
      CheckConfig c = checks.get(i);
      String service;
      try {
        service = c.name() != null ? c.name() : CheckRegistry.create(c).name();
      } catch (RuntimeException e) {
        continue; // the check's own validation reports what is wrong with it
      }
      Integer first = seen.putIfAbsent(service, i);
      if (first != null) {
        throw new ConfigException(
            source,
            0,
            "checks[" + i + "]",
            "checks["
                + first
                + "] and checks["
                + i
                + "] both report the service \""
                + service
                + "\"; give one of them another name (or merge them)");
      }
    }
  }

  /**
   * The bearer token: the first line of {@code collector.token_file} when set, else {@code
   * CUSTOS_TOKEN} from {@code env}.
   *
   * @throws ConfigException when neither gives a token; {@code run} cannot work without one
   */
  public static String token(AgentConfig config, Map<String, String> env, String source)
      throws ConfigException {
    Path tokenFile = config.collector().tokenFile();
    if (tokenFile != null) {
      tokenFileWarning(tokenFile).ifPresent(LOG::warn);
      return readTokenFile(tokenFile, source);
    }
    String token = env.get(TOKEN_ENV);
    if (token == null || token.isBlank()) {
      throw new ConfigException(
          source,
          0,
          "collector.token_file",
          "no token: set collector.token_file or the " + TOKEN_ENV + " environment variable");
    }
    return token.strip();
  }

  /**
   * A warning when the token file may be read by others than its owner (group or other permission
   * bits): whoever reads it can report as this node and upload its archives. Empty when private or
   * when the file system has no POSIX permissions.
   */
  static java.util.Optional<String> tokenFileWarning(Path file) {
    java.util.Set<java.nio.file.attribute.PosixFilePermission> perms;
    try {
      perms = Files.getPosixFilePermissions(file);
    } catch (IOException | UnsupportedOperationException e) {
      return java.util.Optional.empty();
    }
    String mode = java.nio.file.attribute.PosixFilePermissions.toString(perms);
    if (mode.substring(3).equals("------")) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        "collector.token_file \""
            + file
            + "\" is readable by others than its owner ("
            + mode
            + "): anyone who reads it can report as this node; chmod 600 it");
  }

  private static String readTokenFile(Path file, String source) throws ConfigException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(
          source, 0, "collector.token_file", "cannot read \"" + file + "\": " + describe(e));
    }
    String token = text.strip().lines().findFirst().orElse("").strip();
    if (token.isEmpty()) {
      throw new ConfigException(source, 0, "collector.token_file", "\"" + file + "\" is empty");
    }
    return token;
  }

  private static String describe(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
