package io.custos.agent.cli;

import io.custos.agent.Agent;
import io.custos.agent.AgentVersion;
import io.custos.agent.backup.BackupLauncher;
import io.custos.agent.backup.BackupScheduler;
import io.custos.agent.backup.Uploader;
import io.custos.agent.config.AgentConfig;
import io.custos.agent.config.AgentConfigLoader;
import io.custos.agent.ship.ArchiveClient;
import io.custos.agent.ship.HttpReportSender;
import io.custos.agent.ship.TlsFiles;
import io.custos.common.config.ConfigException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent service as {@code custos-agent run} keeps it: the running {@link Agent} and what to do
 * on {@code SIGHUP} ({@link #reload()}).
 *
 * <p>A reload reads the same file again ({@code --config}, else {@code /etc/custos/agent.yml}) and
 * the token, and validates both completely before anything is touched. An invalid file or a missing
 * token is refused: the reason (file, line, key) is logged and the agent goes on with the
 * configuration it had. A valid one replaces the running agent: the cycle in progress finishes, the
 * new checks, interval, collector and spool take over, and the next report is sent at once. When
 * the node name and the {@code backups} section are unchanged, the backup scheduler is handed over,
 * so a backup running during the reload goes on; otherwise the old scheduler is closed like at a
 * stop (a running backup is given 30 seconds).
 *
 * <p>The old agent is closed before the new one is built: it holds the spool's lock (one agent per
 * spool) until then, and its last cycle finishes spooling first.
 *
 * <p>Failure: if the new agent cannot be built although its file is valid (its spool directory
 * cannot be created), the reason is logged and an agent with the previous configuration is started
 * again. Thread-safe; reloads and {@link #close()} are serialized.
 */
final class AgentDaemon implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AgentDaemon.class);

  private final Path option;
  private final AgentMain.Env env;
  private final Path root;
  private final Clock clock;
  private AgentConfigFiles.Loaded loaded;
  private Agent agent;
  private boolean closed;

  private AgentDaemon(Path option, AgentMain.Env env, Path root, Clock clock) {
    this.option = option;
    this.env = env;
    this.root = root;
    this.clock = clock;
  }

  /**
   * Reads the configuration and starts the agent.
   *
   * @param option the {@code --config} file, or null for the default
   * @param root the node's {@code /}
   * @throws ConfigException when the file or the token is unusable
   * @throws IOException when the spool cannot be opened
   */
  static AgentDaemon start(Path option, AgentMain.Env env, Path root, Clock clock)
      throws ConfigException, IOException {
    AgentDaemon daemon = new AgentDaemon(option, env, root, clock);
    AgentConfigFiles.Loaded loaded = AgentConfigFiles.load(option, env.defaultConfig());
    AgentConfigLoader.requireDistinctServices(loaded.config(), loaded.source());
    daemon.agent = daemon.create(loaded, null);
    daemon.loaded = loaded;
    daemon.agent.start();
    return daemon;
  }

  private Agent create(AgentConfigFiles.Loaded loaded, BackupScheduler running)
      throws ConfigException, IOException {
    AgentConfig config = loaded.config();
    String token = AgentConfigLoader.token(config, env.variables(), loaded.source());
    var sender = new HttpReportSender(config.collector().url(), token, AgentVersion.userAgent());
    // The child gets the file this daemon read (never a different default found later).
    BackupLauncher backups =
        BackupLauncher.forDaemon(
            loaded.file() == null ? null : loaded.file().toAbsolutePath(),
            config.node(),
            config.backups().directory(),
            clock);
    BackupScheduler scheduler = running;
    if (scheduler == null && !config.backups().sets().isEmpty()) {
      ArchiveClient client =
          new ArchiveClient(
              config.collector().url(),
              token,
              AgentVersion.userAgent(),
              TlsFiles.socketFactory(
                  config.collector().caFile(),
                  config.collector().certificate(),
                  config.collector().key()));
      scheduler =
          BackupScheduler.create(config.node(), config.backups(), clock, backups)
              .uploadingWith(
                  new Uploader(
                      config.node(),
                      config.backups().directory(),
                      ArchiveClient.remote(client),
                      clock));
    }
    return new Agent(config, clock, root, sender, backups, scheduler);
  }

  /**
   * Reads the configuration again and, when it is valid, runs it; when it is not, logs why and
   * keeps the running one.
   *
   * @return true when the new configuration runs, false when it was refused or failed
   */
  synchronized boolean reload() {
    if (closed) {
      return false;
    }
    String source = loaded.source();
    AgentConfigFiles.Loaded next;
    try {
      next = AgentConfigFiles.load(option, env.defaultConfig());
      AgentConfigLoader.requireDistinctServices(next.config(), next.source());
      AgentConfigLoader.token(next.config(), env.variables(), next.source());
    } catch (ConfigException e) {
      LOG.error(
          "reload refused, still running the configuration from {}: {}", source, e.getMessage());
      return false;
    }
    AgentConfig old = loaded.config();
    boolean keepBackups =
        old.node().equals(next.config().node())
            && Objects.equals(old.backups(), next.config().backups());
    BackupScheduler running;
    if (keepBackups) {
      running = agent.closeKeepingBackups();
    } else {
      agent.close();
      running = null;
    }
    try {
      agent = create(next, running);
      loaded = next;
      agent.start();
      LOG.info("reloaded the configuration from {}", next.source());
      return true;
    } catch (ConfigException | IOException | RuntimeException e) {
      LOG.error(
          "reload failed, starting again with the previous configuration from {}: {}",
          source,
          e.toString());
    }
    try {
      agent = create(loaded, running);
      agent.start();
    } catch (ConfigException | IOException | RuntimeException e) {
      // What ran a moment ago no longer starts (its token file was removed, say): stop, and let
      // the service manager report and restart the daemon.
      LOG.error("cannot start the previous configuration again either; stopping: {}", e.toString());
      if (running != null) {
        running.close();
      }
      agent = null;
      closed = true;
      notifyAll();
    }
    return false;
  }

  /** Blocks until {@link #close()} or a reload that could not run any configuration. */
  synchronized void awaitStop() throws InterruptedException {
    while (!closed) {
      wait();
    }
  }

  /** Whether the daemon stopped because no configuration could run after a reload. */
  synchronized boolean failed() {
    return closed && agent == null;
  }

  /** The configuration running now. */
  synchronized AgentConfig config() {
    return loaded.config();
  }

  /** Stops the agent (waiting for a running cycle) and its backups. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    agent.close();
    notifyAll();
  }
}
