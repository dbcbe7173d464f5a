package io.custos.collector;

import io.custos.collector.config.CollectorConfig;
import io.custos.collector.http.CollectorServer;
import io.custos.collector.metrics.CollectorMetrics;
import io.custos.collector.status.HostGroups;
import io.custos.collector.status.StatusBoard;
import io.custos.collector.store.Role;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Store;
import io.custos.collector.store.Stores;
import io.custos.collector.store.Tokens;
import io.custos.collector.store.history.HistoryMaintenance;
import java.time.Clock;

/**
 * A running collector: the store opened and migrated, the HTTP API listening. This is the whole
 * wiring; {@code main} and tests start it the same way.
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
  /** How often downsampling and retention run. */
  static final long MAINTENANCE_PERIOD_MS = 60_000;

  private final Store store;
  private final CollectorServer server;
  private final HistoryMaintenance maintenance;
  private final Tokens tokens = new Tokens();
  private boolean closed;

  private Collector(Store store, CollectorServer server, HistoryMaintenance maintenance) {
    this.store = store;
    this.server = server;
    this.maintenance = maintenance;
  }

  /** Opens the store, binds the server and returns once it is listening. */
  public static Collector start(CollectorConfig config, Clock clock) {
    StatePolicy policy =
        new StatePolicy(config.defaults().maxAttempts(), config.hosts().absentAfter());
    Store store = Stores.open(config, clock);
    try {
      CollectorMetrics metrics = new CollectorMetrics();
      metrics.watchStore(store);
      CollectorServer server =
          CollectorServer.start(
              config.listenHost(),
              config.listenPort(),
              config.http().maxBodyBytes(),
              store,
              new StatusBoard(store, clock, policy, new HostGroups(config.groups())),
              metrics);
      return new Collector(
          store, server, HistoryMaintenance.start(store.history(), MAINTENANCE_PERIOD_MS));
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** The port the API listens on (useful with {@code listen: host:0}). */
  public int port() {
    return server.port();
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
      server.close();
      maintenance.close();
    } finally {
      store.close();
    }
  }
}
