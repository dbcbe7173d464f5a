package io.custos.collector;

import io.custos.collector.alert.AlertEngine;
import io.custos.collector.alert.Dispatcher;
import io.custos.collector.alert.notify.EmailNotifier;
import io.custos.collector.alert.notify.Notifier;
import io.custos.collector.alert.notify.WebhookNotifier;
import io.custos.collector.archive.ArchiveRetention;
import io.custos.collector.archive.ArchiveStore;
import io.custos.collector.config.CollectorConfig;
import io.custos.collector.config.NotifySection;
import io.custos.collector.http.CollectorServer;
import io.custos.collector.http.ServerOptions;
import io.custos.collector.http.TlsContext;
import io.custos.collector.ingest.IngestGuard;
import io.custos.collector.metrics.CollectorMetrics;
import io.custos.collector.status.HostGroups;
import io.custos.collector.status.ServiceGroups;
import io.custos.collector.status.StatusBoard;
import io.custos.collector.store.Role;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Store;
import io.custos.collector.store.StoreException;
import io.custos.collector.store.StoreHealth;
import io.custos.collector.store.Stores;
import io.custos.collector.store.Tokens;
import io.custos.collector.store.history.HistoryMaintenance;
import io.custos.collector.traps.TrapReceiver;
import io.custos.common.lock.LockFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running collector: the store opened and migrated, the alert engine ticking, one notifier thread
 * per transport, the HTTP API listening. This is the whole wiring; {@code main} and tests start it
 * the same way.
 *
 * <pre>{@code
 * try (Collector c = Collector.start(CollectorConfig.ofDefaults().withListen("127.0.0.1:0")
 *     .withSqlite(dir.resolve("c.db")), Clock.systemDefaultZone())) {
 *   String token = c.createToken("web01");
 *   // POST http://127.0.0.1:{c.port()}/api/v1/reports
 * }
 * }</pre>
 *
 * <p>Failure: {@link #start} throws {@link io.custos.collector.store.StoreException} when the store
 * cannot be opened and {@link IllegalStateException} when the address cannot be bound, having
 * released whatever it had opened.
 */
public final class Collector implements AutoCloseable {
  /** How often the alert engine looks at host liveness and re-notification. */
  static final long TICK_MS = 1_000;

  /** How often downsampling and retention run. */
  static final long MAINTENANCE_PERIOD_MS = 60_000;

  /** How often archive retention runs (and once at start). */
  static final long ARCHIVE_RETENTION_PERIOD_MS = 3_600_000;

  private static final Logger LOG = LoggerFactory.getLogger(Collector.class);

  private final Store store;
  private final CollectorServer server;
  private final TlsContext tls;
  private final HistoryMaintenance maintenance;
  private final AlertEngine engine;
  private final Dispatcher dispatcher;
  private final ScheduledExecutorService ticker;
  private final ScheduledExecutorService archiveRetention;
  private final Tokens tokens = new Tokens();
  private final LockFile lock;
  private final TrapReceiver traps;
  private final ArchiveStore archives;
  private boolean closed;

  private Collector(
      Store store,
      CollectorServer server,
      TlsContext tls,
      HistoryMaintenance maintenance,
      AlertEngine engine,
      Dispatcher dispatcher,
      ScheduledExecutorService ticker,
      ScheduledExecutorService archiveRetention,
      LockFile lock,
      TrapReceiver traps,
      ArchiveStore archives) {
    this.archives = archives;
    this.archiveRetention = archiveRetention;
    this.lock = lock;
    this.traps = traps;
    this.store = store;
    this.server = server;
    this.tls = tls;
    this.maintenance = maintenance;
    this.engine = engine;
    this.dispatcher = dispatcher;
    this.ticker = ticker;
  }

  /** Opens the store, binds the server and returns once it is listening. */
  public static Collector start(CollectorConfig config, Clock clock) {
    return start(config, clock, null);
  }

  /**
   * As {@link #start(CollectorConfig, Clock)}, serving {@code POST /api/v1/reload} (admin) which
   * calls {@code reload}; that must return at once (the reload restarts this server).
   */
  public static Collector start(CollectorConfig config, Clock clock, Runnable reload) {
    StatePolicy policy =
        new StatePolicy(config.defaults().maxAttempts(), config.hosts().absentAfter());
    LockFile lock = lockStore(config);
    Store store;
    try {
      store = Stores.open(config, clock);
    } catch (RuntimeException e) {
      if (lock != null) {
        lock.close();
      }
      throw e;
    }
    Dispatcher dispatcher = null;
    ScheduledExecutorService ticker = null;
    ScheduledExecutorService retentionThread = null;
    TlsContext tls;
    try {
      CollectorMetrics metrics = new CollectorMetrics();
      metrics.watchStore(store);
      Map<String, Notifier> notifiers = notifiers(config);
      dispatcher = new Dispatcher(store, clock, notifiers, config.dashboardUrl());
      AlertEngine engine =
          new AlertEngine(
              store, clock, config, new ArrayList<>(notifiers.keySet()), dispatcher::wake);
      // Hosts' silence counts from when the server first listens, not from now: opening the
      // store and binding can take seconds under load while agents spool.
      engine.notHearingYet();
      dispatcher.start();
      ticker =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "custos-alert-tick");
                t.setDaemon(true);
                return t;
              });
      // Background work (alert tick, history maintenance) logs store failures once per kind; a
      // tick that wrote nothing proves nothing, so only time ends a run of failures here.
      StoreHealth backgroundFailures = new StoreHealth(clock);
      ticker.scheduleWithFixedDelay(
          () -> {
            try {
              engine.tick();
            } catch (StoreException e) {
              backgroundFailures.failed("alert tick", e);
            } catch (RuntimeException e) {
              LOG.warn("alert tick failed; next one in {} ms", TICK_MS, e);
            }
          },
          TICK_MS,
          TICK_MS,
          TimeUnit.MILLISECONDS);
      ArchiveStore archives =
          new ArchiveStore(
              config.archiveStore(),
              config.backups().maxObjectSize().bytes(),
              config.backups().nodeQuota().bytes(),
              config.backups().reserve().bytes(),
              ArchiveStore.Volume.DISK,
              clock);
      try {
        archives.open();
      } catch (java.io.UncheckedIOException e) {
        // Reports and alerts matter more than uploads: start, and say so (log, /healthz, service).
        LOG.error("archive store {} cannot be opened: {}", archives.root(), e.getMessage());
      }
      if (archives.health().probe()) {
        LOG.info(
            "archive store {} (node_quota {}, reserve {})",
            archives.root(),
            config.backups().nodeQuota(),
            config.backups().reserve());
      }
      ticker.scheduleWithFixedDelay(
          new SelfReport(engine, archives, clock), 0, SelfReport.INTERVAL_S, TimeUnit.SECONDS);
      ArchiveRetention retention =
          new ArchiveRetention(
              archives,
              config.backups().keep().days(),
              config.backups().keep().minFull(),
              clock,
              (node, set, object, why) ->
                  store.alerts(
                      tx -> {
                        tx.event(
                            node,
                            set == null ? "Backup" : "Backup " + set,
                            clock.millis(),
                            "OK",
                            why);
                        return null;
                      }));
      // Its own thread: deleting many large files must not delay the alert tick.
      retentionThread =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "custos-archive-retention");
                t.setDaemon(true);
                return t;
              });
      retentionThread.scheduleWithFixedDelay(
          () -> {
            try {
              retention.run();
            } catch (StoreException e) {
              backgroundFailures.failed("archive retention", e);
            } catch (RuntimeException e) {
              LOG.warn("archive retention failed; next run in an hour", e);
            }
          },
          0,
          ARCHIVE_RETENTION_PERIOD_MS,
          TimeUnit.MILLISECONDS);
      tls = config.tls() == null ? null : TlsContext.load(config.tls());
      ServerOptions options =
          new ServerOptions(
              config.http().maxBodyBytes(),
              config.http().maxConnections(),
              config.http().headerTimeout(),
              tls,
              sessionKeyFile(config),
              config.http().maxConnectionsPerAddress(),
              config.http().reservedConnections(),
              config.http().bodyMinRate().bytes(),
              config.http().shedQueue(),
              config.http().maxQueueWait(),
              reload);
      CollectorServer server =
          CollectorServer.start(
              config.listenHost(),
              config.listenPort(),
              options,
              store,
              new StatusBoard(
                  store,
                  clock,
                  policy,
                  new HostGroups(config.groups()),
                  new ServiceGroups(config.servicegroups()),
                  engine),
              metrics,
              engine,
              new IngestGuard(config.limits(), store, clock),
              archives);
      engine.startHearing();
      if (tls != null) {
        LOG.info("listening with {}", tls.describe());
      }
      TrapReceiver traps = null;
      if (config.snmpTraps() != null) {
        try {
          traps = TrapReceiver.start(config.snmpTraps(), engine, store, clock);
        } catch (RuntimeException e) {
          server.close();
          throw e;
        }
      }
      return new Collector(
          store,
          server,
          tls,
          HistoryMaintenance.start(store.history(), MAINTENANCE_PERIOD_MS, backgroundFailures),
          engine,
          dispatcher,
          ticker,
          retentionThread,
          lock,
          traps,
          archives);
    } catch (RuntimeException e) {
      if (ticker != null) {
        ticker.shutdownNow();
      }
      if (retentionThread != null) {
        retentionThread.shutdownNow();
      }
      if (dispatcher != null) {
        dispatcher.close();
      }
      store.close();
      if (lock != null) {
        lock.close();
      }
      throw e;
    }
  }

  /**
   * Where the key signing dashboard session cookies lives: beside an SQLite store ({@code
   * <file>.session-key}); none (a new key per start) with PostgreSQL, whose collectors keep no
   * local state.
   */
  public static Path sessionKeyFile(CollectorConfig config) {
    if (config.store().postgresql() != null) {
      return null;
    }
    Path db = config.store().sqlitePath().toAbsolutePath();
    return db.resolveSibling(db.getFileName() + ".session-key");
  }

  /**
   * Locks an SQLite store for this collector ({@code <file>.lock}), so that a second collector on
   * the same file is refused instead of both alerting and maintaining history; null for PostgreSQL,
   * which several collectors share by design. The {@code token} and {@code host} commands do not
   * take it: they may run beside the collector.
   *
   * @throws IllegalStateException naming the file and the other collector's pid when it is held
   */
  private static LockFile lockStore(CollectorConfig config) {
    if (config.store().postgresql() != null) {
      return null;
    }
    Path db = config.store().sqlitePath().toAbsolutePath();
    Path file = db.resolveSibling(db.getFileName() + ".lock");
    try {
      return LockFile.acquire(file, "the SQLite store " + db, "custos-collector");
    } catch (IOException e) {
      throw new StoreException("cannot lock the store " + db + " with " + file + ": " + e, e);
    }
  }

  /** The configured transports by name: {@code email}, {@code webhook:1}, ... */
  public static Map<String, Notifier> notifiers(CollectorConfig config) {
    Map<String, Notifier> out = new LinkedHashMap<>();
    NotifySection.Email email = config.notifications().effectiveEmail();
    if (email != null) {
      EmailNotifier n = EmailNotifier.of(email);
      LOG.info("notify: email via {}", n.describe());
      out.put("email", n);
    } else {
      LOG.info(
          "notify: no email ({} not found and no notify.email configured)",
          NotifySection.DEFAULT_SENDMAIL);
    }
    int i = 1;
    for (NotifySection.Webhook w : config.notifications().webhooks()) {
      out.put("webhook:" + i++, new WebhookNotifier(w));
    }
    return out;
  }

  /** The alert engine: acknowledgements, downtimes, ticks (tests call {@code tick()}). */
  public AlertEngine alerts() {
    return engine;
  }

  /**
   * Re-reads the TLS certificate, key and client CA named in the configuration (for SIGHUP after a
   * renewal): connections opened afterwards use them. Does nothing without {@code tls:}.
   *
   * @throws IllegalArgumentException naming the file and the problem; the old certificate stays
   */
  public void reloadTls() {
    if (tls != null) {
      tls.reload();
    }
  }

  /**
   * Applies the {@code tls:} section of a reloaded configuration: its files are read and, if they
   * are usable, new connections use them.
   *
   * @throws IllegalArgumentException naming the file and the problem, or when the new configuration
   *     switches between HTTP and HTTPS (which needs a restart); the old certificate stays in use
   */
  public void reloadTls(CollectorConfig config) {
    if ((config.tls() == null) != (tls == null)) {
      throw new IllegalArgumentException(
          "tls: switching between HTTP and HTTPS needs a restart of the collector");
    }
    if (tls != null) {
      tls.replaceWith(TlsContext.load(config.tls()));
    }
  }

  /** The port the API listens on (useful with {@code listen: host:0}). */
  public int port() {
    return server.port();
  }

  /** Dashboard event streams open now ({@code GET /api/v1/stream}). */
  public int dashboardStreams() {
    return server.streams();
  }

  /** The archive store nodes upload their backups to. */
  public ArchiveStore archives() {
    return archives;
  }

  /** The SNMP trap receiver, or null when {@code snmp_traps:} is not configured. */
  public TrapReceiver traps() {
    return traps;
  }

  /** The store, for inspection; owned by this collector. */
  public Store store() {
    return store;
  }

  /** Creates a node token for {@code node}, stores its hash and returns the token. */
  public String createToken(String node) {
    return tokens.issue(store, Role.NODE, node);
  }

  /** Creates an operator or admin token and returns it. */
  public String createRoleToken(Role role) {
    if (role == Role.NODE) {
      throw new IllegalArgumentException("a node token needs a node; use createToken(node)");
    }
    return tokens.issue(store, role, null);
  }

  /** Creates a token for role {@code operator} or {@code admin}. */
  public String createRoleToken(String role) {
    return createRoleToken(Role.parse(role));
  }

  /**
   * Stops accepting connections, finishes requests in flight, closes connections and the store.
   * Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (traps != null) {
        traps.close();
      }
      server.close();
      maintenance.close();
      ticker.shutdownNow();
      archiveRetention.shutdownNow();
      dispatcher.close();
    } finally {
      try {
        store.close();
      } finally {
        if (lock != null) {
          lock.close();
        }
      }
    }
  }
}
