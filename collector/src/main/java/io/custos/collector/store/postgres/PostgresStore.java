package io.custos.collector.store.postgres;

import io.custos.collector.store.AlertTx;
import io.custos.collector.store.BackupPage;
import io.custos.collector.store.BackupRecord;
import io.custos.collector.store.EventRecord;
import io.custos.collector.store.HostRecord;
import io.custos.collector.store.HostRemoval;
import io.custos.collector.store.IngestHook;
import io.custos.collector.store.IngestResult;
import io.custos.collector.store.Role;
import io.custos.collector.store.ServiceRecord;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Store;
import io.custos.collector.store.StoreException;
import io.custos.collector.store.TokenOwner;
import io.custos.collector.store.TokenRecord;
import io.custos.collector.store.history.HistoryRetention;
import io.custos.collector.store.history.JdbcHistory;
import io.custos.collector.store.history.MetricHistory;
import io.custos.collector.store.history.SqlRunner;
import io.custos.collector.store.jdbc.JdbcOperations;
import io.custos.collector.store.jdbc.JdbcRows;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Report;
import io.custos.common.wire.Status;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The {@link Store} for fleets: PostgreSQL, shared by any number of collectors.
 *
 * <p>No state lives in memory, so collectors sharing one database never diverge: a report is stored
 * once by whichever collector commits its {@code (node, seq)} row first ({@code ON CONFLICT DO
 * NOTHING}; a concurrent second insert waits for the first and then finds the row), the host and
 * service rows a report updates are locked ({@code SELECT … FOR UPDATE}) for its transaction, the
 * alert engine decides about a host only while holding that host row's lock ({@link
 * PostgresAlertTx#lockHost}), and history maintenance claims work with conditional deletes and
 * updates ({@link JdbcHistory}).
 *
 * <p>Durability: each report is one transaction, committed (with the server's {@code
 * synchronous_commit}, on by default) before {@link #ingest} returns.
 *
 * <p>Connections: a fixed pool of {@value #POOL} autocommit-off connections; a broken one is
 * replaced on its next use. Every SQL error becomes a {@link StoreException} naming the database
 * (the URL, never the password) and the operation, after rolling back.
 */
public final class PostgresStore implements Store {
  static final int POOL = 4;

  private final String url;
  private final Properties props;
  private final Clock clock;
  private final StatePolicy policy;
  private final JdbcRows rows;
  private final BlockingQueue<Connection> pool = new ArrayBlockingQueue<>(POOL);
  private final JdbcHistory history;

  /** This store instance's name in outbox claims (see {@link PostgresAlertTx}). */
  private final String claimer = UUID.randomUUID().toString();

  private volatile boolean closed;

  private PostgresStore(
      String url, Properties props, Clock clock, StatePolicy policy, HistoryRetention retention) {
    this.url = url;
    this.props = props;
    this.clock = clock;
    this.policy = policy;
    this.rows = new JdbcRows(url);
    this.history = new JdbcHistory(new Runner(), clock, retention);
  }

  /**
   * Connects, migrates the schema and fills the connection pool.
   *
   * @param user user name, or null
   * @param password password, or null
   * @throws StoreException naming the URL when the server cannot be reached or the schema is newer
   *     than this code
   */
  public static PostgresStore open(
      String url,
      String user,
      String password,
      Clock clock,
      StatePolicy policy,
      HistoryRetention retention) {
    Properties props = new Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("ApplicationName", "custos-collector");
    props.setProperty("reWriteBatchedInserts", "true");
    PostgresStore store = new PostgresStore(url, props, clock, policy, retention);
    try {
      for (int i = 0; i < POOL; i++) {
        store.pool.add(store.connect());
      }
      Connection c = store.pool.take();
      try {
        PostgresSchema.migrate(c, url, clock.millis());
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        store.pool.add(c);
      }
      return store;
    } catch (SQLException | RuntimeException | InterruptedException e) {
      store.closeConnections();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      if (e instanceof StoreException se) {
        throw se;
      }
      throw new StoreException("cannot open store " + url + ": " + e.getMessage(), e);
    }
  }

  private Connection connect() throws SQLException {
    Connection c = DriverManager.getConnection(url, props);
    c.setAutoCommit(false);
    return c;
  }

  @Override
  public IngestResult ingest(Report report) {
    return ingest(report, IngestHook.NONE);
  }

  /**
   * Stores one report in one transaction and runs {@code hook} in it after the results are stored;
   * a hook that throws rolls the report back and its exception reaches the caller.
   */
  @Override
  public IngestResult ingest(Report report, IngestHook hook) {
    long now = clock.millis();
    return tx(
        "store report " + report.node() + " seq " + report.seq(),
        c -> {
          if (!insertReport(c, report, now)) {
            return new IngestResult(false, report.seq());
          }
          boolean late = upsertHost(c, report, now).isLate(report.seq());
          JdbcRows.Statements st = statements(c);
          JdbcRows.insertBackups(st, report, now);
          List<CheckResult> applied = new ArrayList<>();
          for (CheckResult result : report.results()) {
            if (!late && rows.applyResult(st, report.node(), result, policy, " FOR UPDATE")) {
              applied.add(result);
            }
          }
          history.append(c, report, now);
          hook.ingested(report, applied, alertTx(c));
          return new IngestResult(true, report.seq());
        });
  }

  @Override
  public <T> T alerts(Function<AlertTx, T> work) {
    return tx("update alert state", c -> work.apply(alertTx(c)));
  }

  private AlertTx alertTx(Connection c) {
    return new PostgresAlertTx(
        c,
        claimer,
        () -> {
          try {
            return hosts(c);
          } catch (SQLException e) {
            throw new StoreException("cannot list hosts in " + url + ": " + e.getMessage(), e);
          }
        },
        host -> {
          try {
            List<HostRecord> rows = hosts(c, host);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
          } catch (SQLException e) {
            throw new StoreException(
                "cannot lock host " + host + " in " + url + ": " + e.getMessage(), e);
          }
        });
  }

  /** Prepares each statement on {@code c} and closes it after use. */
  private static JdbcRows.Statements statements(Connection c) {
    return new JdbcRows.Statements() {
      @Override
      public <T> T with(String sql, JdbcRows.StatementWork<T> work) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          return work.run(ps);
        }
      }
    };
  }

  private static boolean insertReport(Connection c, Report r, long now) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO reports (node, seq, received, sent, results) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
      JdbcRows.bindReport(ps, r, now);
      return ps.executeUpdate() == 1;
    }
  }

  private JdbcRows.HostPrior upsertHost(Connection c, Report r, long now) throws SQLException {
    // This row lock is also the alert engine's per-host lock (AlertTx.lockHost): the ingest hook
    // runs under it, so two collectors storing reports of one host, or a report and a tick, run
    // the host's state machines one after the other, each on the other's committed states. For a
    // new host the INSERT below waits on the concurrent insert of the same name instead.
    JdbcRows.HostPrior prior;
    try (PreparedStatement ps = c.prepareStatement(JdbcRows.SELECT_HOST_PRIOR + " FOR UPDATE")) {
      ps.setString(1, r.node());
      try (ResultSet rs = ps.executeQuery()) {
        prior = JdbcRows.hostPrior(rs, policy, now);
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO hosts (name, agent, tags, interval_s, first_seen, last_report, up_since,"
                + " last_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
                + " agent = excluded.agent, tags = excluded.tags, interval_s ="
                + " excluded.interval_s, last_report = excluded.last_report, up_since ="
                + " excluded.up_since, last_seq = GREATEST(hosts.last_seq, excluded.last_seq)")) {
      rows.bindHost(ps, r, now, prior.upSince());
      ps.executeUpdate();
    }
    return prior;
  }

  @Override
  public List<HostRecord> hosts() {
    return tx("list hosts", this::hosts);
  }

  private List<HostRecord> hosts(Connection c) throws SQLException {
    return hosts(c, null);
  }

  /** All hosts by name; or only {@code lock}'s row, locked for the transaction. */
  private List<HostRecord> hosts(Connection c, String lock) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            JdbcRows.SELECT_HOSTS
                + (lock == null ? " ORDER BY name" : " WHERE name = ? FOR UPDATE"))) {
      if (lock != null) {
        ps.setString(1, lock);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rows.hosts(rs);
      }
    }
  }

  @Override
  public List<ServiceRecord> services(String host) {
    return tx(
        "list services",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  JdbcRows.SELECT_SERVICES
                      + " WHERE CAST(? AS TEXT) IS NULL OR host = ? ORDER BY host, service")) {
            ps.setString(1, host);
            ps.setString(2, host);
            try (ResultSet rs = ps.executeQuery()) {
              return rows.services(rs);
            }
          }
        });
  }

  @Override
  public List<EventRecord> events(String host, long since) {
    return tx(
        "list events",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  JdbcRows.SELECT_EVENTS
                      + " WHERE (CAST(? AS TEXT) IS NULL OR host = ?) AND time >= ?"
                      + " ORDER BY time, id")) {
            ps.setString(1, host);
            ps.setString(2, host);
            ps.setLong(3, since);
            try (ResultSet rs = ps.executeQuery()) {
              return JdbcRows.events(rs);
            }
          }
        });
  }

  @Override
  public BackupPage backups(String node, String set, Status result, int limit, int offset) {
    String where =
        " FROM backups WHERE (CAST(? AS TEXT) IS NULL OR node = ?)"
            + " AND (CAST(? AS TEXT) IS NULL OR backup_set = ?)"
            + " AND (CAST(? AS TEXT) IS NULL OR result = ?)";
    String status = result == null ? null : result.name();
    return tx(
        "list backups",
        c -> {
          List<BackupRecord> out;
          try (PreparedStatement ps =
              c.prepareStatement(
                  JdbcRows.SELECT_BACKUPS
                      + where
                      + " ORDER BY started DESC, id DESC LIMIT ? OFFSET ?")) {
            int i = filter(ps, node, set, status);
            ps.setInt(i++, limit);
            ps.setInt(i, offset);
            try (ResultSet rs = ps.executeQuery()) {
              out = JdbcRows.backups(rs);
            }
          }
          try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*)" + where)) {
            filter(ps, node, set, status);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return new BackupPage(out, rs.getInt(1));
            }
          }
        });
  }

  /** Binds each filter value twice (null test, comparison); returns the next parameter index. */
  private static int filter(PreparedStatement ps, String... values) throws SQLException {
    int i = 1;
    for (String v : values) {
      ps.setString(i++, v);
      ps.setString(i++, v);
    }
    return i;
  }

  @Override
  public void addToken(String sha256Hex, Role role, String node) {
    new TokenOwner(role, node);
    long now = clock.millis();
    tx(
        "add a " + role.id() + " token",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(JdbcRows.INSERT_TOKEN)) {
            JdbcRows.bindToken(ps, sha256Hex, node, role, now);
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public Optional<TokenOwner> findToken(String sha256Hex) {
    return tx(
        "look up a token",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(JdbcRows.SELECT_TOKEN)) {
            ps.setString(1, sha256Hex);
            try (ResultSet rs = ps.executeQuery()) {
              return JdbcRows.token(rs);
            }
          }
        });
  }

  @Override
  public List<TokenRecord> tokens() {
    return tx("list tokens", JdbcOperations::tokens);
  }

  @Override
  public void touchToken(String sha256Hex, long when) {
    tx(
        "record a token's use",
        c -> {
          JdbcOperations.touchToken(c, sha256Hex, when);
          return null;
        });
  }

  @Override
  public List<TokenRecord> revokeToken(String idPrefix) {
    return tx("revoke a token", c -> JdbcOperations.revokeToken(c, idPrefix));
  }

  @Override
  public Optional<HostRemoval> removeHost(String host, boolean history) {
    return tx(
        "remove host " + host,
        c -> {
          // The host row's lock, as a report of the host or the alert tick would take it.
          hosts(c, host);
          return JdbcOperations.removeHost(c, host, history);
        });
  }

  @Override
  public MetricHistory history() {
    return history;
  }

  @Override
  public long sizeBytes() {
    return tx(
        "measure the database",
        c -> {
          try (Statement st = c.createStatement();
              ResultSet rs = st.executeQuery("SELECT pg_database_size(current_database())")) {
            return rs.next() ? rs.getLong(1) : 0L;
          }
        });
  }

  @Override
  public void ping() {
    tx(
        "check the schema",
        c -> {
          try (Statement st = c.createStatement();
              ResultSet rs = st.executeQuery("SELECT MAX(version) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
          }
        });
  }

  @Override
  public String describe() {
    return "postgresql " + url;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeConnections();
  }

  private void closeConnections() {
    // Connections in use are closed when returned (see tx).
    Connection c;
    while ((c = pool.poll()) != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // closing anyway
      }
    }
  }

  /** Gives {@link JdbcHistory} pooled connections in transactions. */
  private final class Runner implements SqlRunner {
    @Override
    public <T> T write(String what, SqlRunner.Work<T> work) {
      return tx(what, work);
    }

    @Override
    public <T> T read(String what, SqlRunner.Work<T> work) {
      return tx(what, work);
    }
  }

  /**
   * Runs {@code work} in one transaction on a pooled connection: commit, or roll back and throw.
   */
  private <T> T tx(String what, SqlRunner.Work<T> work) {
    if (closed) {
      throw new StoreException("store " + url + " is closed");
    }
    Connection c;
    try {
      c = pool.poll(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted waiting for a connection to " + url, e);
    }
    if (c == null) {
      throw new StoreException("no free connection to " + url + " after 30s to " + what);
    }
    boolean healthy = true;
    try {
      T result = work.run(c);
      c.commit();
      return result;
    } catch (SQLException e) {
      healthy = rollback(c, e);
      throw new StoreException("cannot " + what + " in " + url + ": " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      healthy = rollback(c, e);
      throw e;
    } finally {
      release(c, healthy);
    }
  }

  private static boolean rollback(Connection c, Throwable cause) {
    try {
      c.rollback();
      return true;
    } catch (SQLException e) {
      cause.addSuppressed(e);
      return false;
    }
  }

  private void release(Connection c, boolean healthy) {
    if (closed) {
      try {
        c.close();
      } catch (SQLException e) {
        // closing anyway
      }
      return;
    }
    if (!healthy) {
      try {
        c.close();
      } catch (SQLException e) {
        // replaced below
      }
      try {
        c = connect();
      } catch (SQLException e) {
        // Keep the pool at size: a dead connection fails its next use and is replaced then.
      }
    }
    pool.add(c);
  }
}
