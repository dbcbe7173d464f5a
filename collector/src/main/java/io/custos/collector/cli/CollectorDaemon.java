package io.custos.collector.cli;

import io.custos.collector.Collector;
import io.custos.collector.config.CollectorConfig;
import io.custos.collector.store.StoreException;
import io.custos.common.config.ConfigException;
import java.io.PrintWriter;
import java.time.Clock;

/**
 * The collector service as {@code custos-collector run} keeps it: the running {@link Collector} and
 * what to do on {@code SIGHUP} ({@link #reload()}).
 *
 * <p>A reload reads the same file again and validates it completely, as {@code check-config} does,
 * before anything is touched. An invalid file is refused: the reason (file, line, key) is logged
 * and the collector goes on with the configuration it had. A valid one is applied by restarting the
 * collector inside this process: requests in flight are answered, the store is closed and opened
 * again, the listener bound again. Nothing is lost meanwhile: alert state and undelivered
 * notifications are in the store, and agents spool what they cannot send for the moment this takes
 * (well under a second with SQLite). This is also where later parts that follow SIGHUP (say,
 * re-reading TLS certificates) take part, through what {@link Collector#start} builds.
 *
 * <p>Failure: when the new configuration is valid but cannot start (its address is taken, its store
 * cannot be opened), the reason is logged and the previous configuration is started again; if even
 * that fails the daemon stops with {@link #failed()} true, so that the service manager reports it
 * and restarts it. Thread-safe; reloads and {@link #close()} are serialized.
 */
final class CollectorDaemon implements AutoCloseable {
  private final ConfigOption source;
  private final Clock clock;
  private final PrintWriter log;
  private CollectorConfig config;
  private Collector collector;
  private boolean closed;

  private CollectorDaemon(ConfigOption source, Clock clock, PrintWriter log) {
    this.source = source;
    this.clock = clock;
    this.log = log;
  }

  /**
   * Reads the configuration and starts the collector.
   *
   * @param log where the daemon's messages go (stderr, so the journal)
   * @throws ConfigException when the file is invalid
   * @throws StoreException when the store cannot be opened
   * @throws IllegalStateException when the address cannot be bound
   */
  static CollectorDaemon start(ConfigOption source, Clock clock, PrintWriter log)
      throws ConfigException {
    CollectorDaemon daemon = new CollectorDaemon(source, clock, log);
    daemon.config = source.load();
    daemon.collector = Collector.start(daemon.config, clock, daemon::requestReload);
    return daemon;
  }

  private volatile Runnable reloadRequests;

  /**
   * Where {@code POST /api/v1/reload} hands its requests: the SIGHUP handler's reload thread (one
   * reload at a time, requests coalesced). Until set, a request runs on a thread of its own.
   */
  void reloadThrough(Runnable requests) {
    this.reloadRequests = requests;
  }

  /** Asks for a reload from the API; returns at once, never on the server's own threads. */
  private void requestReload() {
    Runnable r = reloadRequests;
    if (r != null) {
      r.run();
    } else {
      Thread t = new Thread(this::reload, "custos-reload-api");
      t.setDaemon(true);
      t.start();
    }
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
    CollectorConfig next;
    try {
      next = source.load();
    } catch (ConfigException e) {
      log.println(
          "custos-collector: reload refused, still running the configuration from "
              + source.describe()
              + ": "
              + e.getMessage());
      return false;
    }
    collector.close();
    try {
      collector = Collector.start(next, clock, this::requestReload);
      config = next;
      log.println("custos-collector: reloaded the configuration from " + source.describe());
      log.println("custos-collector: listening on " + address());
      return true;
    } catch (StoreException | IllegalStateException | IllegalArgumentException e) {
      log.println(
          "custos-collector: reload failed, starting again with the previous configuration: "
              + e.getMessage());
    }
    try {
      collector = Collector.start(config, clock, this::requestReload);
    } catch (StoreException | IllegalStateException | IllegalArgumentException e) {
      log.println(
          "custos-collector: cannot start the previous configuration again either; stopping: "
              + e.getMessage());
      collector = null;
      closed = true;
      notifyAll();
    }
    return false;
  }

  /** The running collector's API address, {@code http://127.0.0.1:8480}. */
  synchronized String address() {
    String host =
        config.listenHost().contains(":") ? "[" + config.listenHost() + "]" : config.listenHost();
    return (config.tls() == null ? "http" : "https") + "://" + host + ":" + collector.port();
  }

  /** The running collector; changes on every successful reload. */
  synchronized Collector collector() {
    return collector;
  }

  /** Blocks until {@link #close()} or a reload after which no configuration could run. */
  synchronized void awaitStop() throws InterruptedException {
    while (!closed) {
      wait();
    }
  }

  /** Whether the daemon stopped because no configuration could run after a reload. */
  synchronized boolean failed() {
    return closed && collector == null;
  }

  /** Stops the collector: requests in flight are answered, the store is closed. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    collector.close();
    notifyAll();
  }
}
