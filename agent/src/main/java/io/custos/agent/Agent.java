package io.custos.agent;

import io.custos.agent.backup.BackupLauncher;
import io.custos.agent.backup.BackupScheduler;
import io.custos.agent.check.CheckRunner;
import io.custos.agent.config.AgentConfig;
import io.custos.agent.config.AgentConfigLoader;
import io.custos.agent.ship.HttpReportSender;
import io.custos.agent.ship.ReportSender;
import io.custos.agent.ship.Spool;
import io.custos.common.config.ConfigException;
import io.custos.common.wire.BackupEvent;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Report;
import io.custos.common.wire.WireCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent daemon: every interval it runs all checks, builds one {@link Report}, writes it to the
 * spool and flushes the spool to the collector. When {@code backups.sets} are configured, each
 * cycle also starts the sets that are due (on their own thread, each run in a child JVM in
 * production, see {@link BackupScheduler} and {@link BackupLauncher}), adds a {@code Backup <set>}
 * result per set and the backup events finished since the last report.
 *
 * <p>Failure behaviour: nothing in a cycle stops the schedule. Checks that throw or hang become
 * UNKNOWN results; a collector outage leaves reports in the spool for later; a report that cannot
 * be spooled (disk full) is still sent once directly; anything else unexpected is logged and the
 * next cycle runs as planned.
 */
public final class Agent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

  private final AgentConfig config;
  private final Clock clock;
  private final CheckRunner checks;
  private final Spool spool;
  private final ReportSender sender;
  private final WireCodec codec = new WireCodec();
  private final String agentName = AgentVersion.userAgent();
  private final ScheduledExecutorService scheduler;
  private final BackupScheduler backups;

  /**
   * An agent running the configured checks.
   *
   * @param root the node's {@code /}; checks read {@code proc/...} under it
   * @param sender where reports go
   * @throws IOException when the spool directory cannot be created or read, or another agent uses
   *     it
   */
  public Agent(AgentConfig config, Clock clock, Path root, ReportSender sender) throws IOException {
    this(
        config,
        clock,
        CheckRunner.of(config.checks(), root, clock),
        sender,
        BackupLauncher.inProcess(config.node(), config.backups().directory(), clock));
  }

  /**
   * An agent running the configured checks and making its backups with {@code launcher} (the
   * daemon's: {@link BackupLauncher#forDaemon}).
   *
   * @param root the node's {@code /}; checks read {@code proc/...} under it
   * @param sender where reports go
   * @throws IOException when the spool directory cannot be created or read, or another agent uses
   *     it
   */
  public Agent(
      AgentConfig config, Clock clock, Path root, ReportSender sender, BackupLauncher launcher)
      throws IOException {
    this(config, clock, CheckRunner.of(config.checks(), root, clock), sender, launcher);
  }

  /**
   * An agent for a reload: like {@link #Agent(AgentConfig, Clock, Path, ReportSender,
   * BackupLauncher)}, but adopting the backup scheduler a previous agent handed over with {@link
   * #closeKeepingBackups()}, so that a backup running during the reload goes on and is reported.
   *
   * @param running the previous agent's scheduler, or null to create one from {@code config}; only
   *     pass it when the node and the {@code backups} section are unchanged
   * @throws IOException when the spool directory cannot be created or read, or another agent uses
   *     it (the previous agent must be closed first: it holds the spool's lock until then)
   */
  public Agent(
      AgentConfig config,
      Clock clock,
      Path root,
      ReportSender sender,
      BackupLauncher launcher,
      BackupScheduler running)
      throws IOException {
    this(config, clock, CheckRunner.of(config.checks(), root, clock), sender, launcher, running);
  }

  /** An agent running the given checks; for tests that need checks the registry does not know. */
  Agent(AgentConfig config, Clock clock, CheckRunner checks, ReportSender sender)
      throws IOException {
    this(
        config,
        clock,
        checks,
        sender,
        BackupLauncher.inProcess(config.node(), config.backups().directory(), clock));
  }

  private Agent(
      AgentConfig config,
      Clock clock,
      CheckRunner checks,
      ReportSender sender,
      BackupLauncher launcher)
      throws IOException {
    this(config, clock, checks, sender, launcher, null);
  }

  private Agent(
      AgentConfig config,
      Clock clock,
      CheckRunner checks,
      ReportSender sender,
      BackupLauncher launcher,
      BackupScheduler running)
      throws IOException {
    this.config = config;
    this.clock = clock;
    this.checks = checks;
    this.sender = sender;
    this.spool = new Spool(config.spool().directory(), config.spool().maxSize().bytes(), clock);
    try {
      this.backups =
          running != null || config.backups().sets().isEmpty()
              ? running
              : BackupScheduler.create(config.node(), config.backups(), clock, launcher);
    } catch (RuntimeException e) {
      spool.close();
      throw e;
    }
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "custos-agent-cycle");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * The production agent: real clock, real {@code /}, HTTP to {@code collector.url} with the token
   * from {@code collector.token_file} or {@code CUSTOS_TOKEN}.
   *
   * @param source names the configuration in errors
   * @throws ConfigException when there is no token
   * @throws IOException when the spool directory cannot be created or read, or another agent uses
   *     it
   */
  public static Agent create(AgentConfig config, Map<String, String> env, String source)
      throws ConfigException, IOException {
    String token = AgentConfigLoader.token(config, env, source);
    ReportSender sender = HttpReportSender.of(config.collector(), token, AgentVersion.userAgent());
    return new Agent(config, Clock.systemDefaultZone(), Path.of("/"), sender);
  }

  /**
   * Runs every check once, spools the report and flushes the spool.
   *
   * @return the report built in this cycle, whether or not the collector has it yet; null when no
   *     sequence number could be persisted for it, so that it was not sent (logged)
   */
  public synchronized Report cycle() {
    List<CheckResult> results = new ArrayList<>(checks.runAll());
    List<BackupEvent> events = List.of();
    if (backups != null) {
      try {
        backups.tick();
        results.addAll(backups.results());
        events = backups.drainEvents();
      } catch (RuntimeException e) {
        LOG.error("backup scheduling failed; checks go on", e);
      }
    }
    long seq;
    try {
      seq = spool.nextSeq();
    } catch (IOException e) {
      // Sending it with a number that may be handed out again after a restart would have the
      // collector drop a later report as a duplicate; the collector sees the host go silent.
      LOG.error("report not sent: {}", e.getMessage());
      spool.flush(sender);
      return null;
    }
    Report report =
        new Report(
            Report.VERSION,
            config.node(),
            agentName,
            seq,
            clock.millis(),
            (int) Math.max(1, config.interval().toSeconds()),
            config.tags(),
            results,
            events);
    byte[] json = codec.encode(report);
    boolean spooled = true;
    try {
      spool.add(report.seq(), json);
    } catch (IOException e) {
      spooled = false;
      LOG.error("cannot spool report {}: {}; sending it once directly", report.seq(), e.toString());
    }
    spool.flush(sender);
    if (!spooled) {
      spool.sendUnspooled(sender, report.seq(), json);
    }
    return report;
  }

  /** Runs {@link #cycle()} now and then every interval on one daemon thread. */
  public void start() {
    long period = config.interval().toMillis();
    scheduler.scheduleAtFixedRate(this::guardedCycle, 0, period, TimeUnit.MILLISECONDS);
    LOG.info(
        "custos agent {} started: node {}, {} check(s) every {}s, collector {}, spool {}",
        AgentVersion.get(),
        config.node(),
        config.checks().size(),
        config.interval().toSeconds(),
        config.collector().url(),
        spool.directory());
  }

  // An exception escaping a scheduled task cancels all later runs, so none may escape.
  private void guardedCycle() {
    try {
      cycle();
    } catch (Throwable t) {
      LOG.error("check cycle failed; the next one runs as planned", t);
    }
  }

  /** The number of reports waiting in the spool for the collector. */
  public int spooled() {
    return spool.depth();
  }

  /** The configuration this agent runs. */
  public AgentConfig config() {
    return config;
  }

  /**
   * Stops the schedule, waits up to 30 seconds for a running cycle, then stops the checks and the
   * backups and releases the spool (its lock).
   */
  @Override
  public void close() {
    BackupScheduler running = closeKeepingBackups();
    if (running != null) {
      running.close();
    }
  }

  /**
   * Stops the schedule and the checks and releases the spool like {@link #close()}, so that the
   * agent replacing this one on a reload can take the spool's lock, but leaves the backup scheduler
   * and any backup it is running alone, and returns it for the agent that replaces this one on a
   * reload.
   *
   * @return the backup scheduler, null when no backup sets are configured
   */
  public BackupScheduler closeKeepingBackups() {
    scheduler.shutdown();
    try {
      if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
        scheduler.shutdownNow();
      }
    } catch (InterruptedException e) {
      scheduler.shutdownNow();
      Thread.currentThread().interrupt();
    }
    checks.close();
    // Released before this returns, so the agent replacing this one on a reload can lock it.
    spool.close();
    return backups;
  }
}
