package io.custos.collector.store.jdbc;

import io.custos.collector.store.AlertStateRecord;
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
import io.custos.collector.store.history.SeriesIdCache;
import io.custos.collector.store.history.SqlRunner;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Report;
import io.custos.common.wire.Status;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A {@link Store} in SQL that SQLite and PostgreSQL both speak: every query, every update and the
 * ingest of one report are here, written once. A subclass supplies what the two databases do
 * differently: how a connection and a transaction are had ({@link #write}, {@link #read}), how the
 * ingest path's statements are prepared ({@link #statements}), the row lock clause ({@link
 * #forUpdate}), the {@link AlertTx} of a transaction, the size on disk and closing.
 *
 * <p>Thread-safe as far as the subclass's {@link #write} and {@link #read} are. Every SQL error
 * becomes a {@link StoreException} naming the database (a file, or a URL without password) and the
 * operation; the transaction it happened in is rolled back.
 */
public abstract class JdbcStore implements Store {
  /** Names the database in errors: a file, or a URL without password. */
  protected final String name;

  /** The store's clock: report receipt times, token creation. */
  protected final Clock clock;

  private final StatePolicy policy;
  private final JdbcRows rows;
  private final JdbcHistory history;

  /**
   * @param name the database as named in errors and {@link #describe()}'s second word
   * @param clock receipt times of reports, creation times of tokens
   * @param policy when a host is DOWN and a state is hard
   * @param retention how long metric history is kept at each resolution
   */
  protected JdbcStore(String name, Clock clock, StatePolicy policy, HistoryRetention retention) {
    this.name = name;
    this.clock = clock;
    this.policy = policy;
    this.rows = new JdbcRows(name);
    this.history =
        new JdbcHistory(
            new SqlRunner() {
              @Override
              public <T> T write(String what, Work<T> work) {
                return JdbcStore.this.write(what, work);
              }

              @Override
              public <T> T read(String what, Work<T> work) {
                return JdbcStore.this.read(what, work);
              }
            },
            clock,
            retention);
  }

  /**
   * How the ingest path runs one statement: PostgreSQL prepares and closes it, SQLite's single
   * writer reuses a cached one. Parameters are cleared before {@code work} binds them.
   */
  public interface Statements {
    <T> T with(String sql, StatementWork<T> work) throws SQLException;
  }

  /** Binds and runs one statement. */
  public interface StatementWork<T> {
    T run(PreparedStatement ps) throws SQLException;
  }

  /**
   * Runs {@code work} in one write transaction: commits if it returns, rolls back and throws if it
   * throws; an {@link SQLException} becomes a {@link StoreException} naming {@code what}.
   */
  protected abstract <T> T write(String what, SqlRunner.Work<T> work);

  /** As {@link #write}, for work that only reads; it may see a snapshot a moment old. */
  protected abstract <T> T read(String what, SqlRunner.Work<T> work);

  /** How the ingest path runs its statements on {@code c}, the write transaction's connection. */
  protected abstract Statements statements(Connection c);

  /** The alert engine's view of the write transaction on {@code c}. */
  protected abstract AlertTx alertTx(Connection c);

  /**
   * The clause that locks the rows a statement reads until the transaction ends ({@code " FOR
   * UPDATE"}), or empty where one writer at a time is the lock.
   */
  protected abstract String forUpdate();

  /**
   * Stores one report in one transaction and runs {@code hook} in it after the results are stored;
   * a hook that throws rolls the report back and its exception reaches the caller.
   */
  @Override
  public IngestResult ingest(Report report, IngestHook hook) {
    long now = clock.millis();
    return write(
        "store report " + report.node() + " seq " + report.seq(),
        c -> ingest(c, report, hook, now));
  }

  @Override
  public IngestResult ingest(Report report) {
    return ingest(report, IngestHook.NONE);
  }

  /**
   * Writes one report received at {@code now} on {@code c}, inside the caller's transaction: the
   * report row (a replay of a stored {@code (node, seq)} stores nothing), the host row, the backup
   * runs, the results unless the report is late, the metric samples, then {@code hook}.
   */
  protected final IngestResult ingest(Connection c, Report report, IngestHook hook, long now)
      throws SQLException {
    Statements st = statements(c);
    if (!insertReport(st, report, now)) {
      return new IngestResult(false, report.seq());
    }
    boolean late = upsertHost(st, report, now).isLate(report.seq());
    JdbcRows.insertBackups(st, report, now);
    List<CheckResult> applied = new ArrayList<>();
    for (CheckResult result : report.results()) {
      if (!late && rows.applyResult(st, report.node(), result, policy, forUpdate())) {
        applied.add(result);
      }
    }
    history.append(c, report, now);
    hook.ingested(report, applied, alertTx(c));
    return new IngestResult(true, report.seq());
  }

  private static boolean insertReport(Statements st, Report r, long now) throws SQLException {
    return st.with(
        "INSERT INTO reports (node, seq, received, sent, results) VALUES (?, ?, ?, ?, ?)"
            + " ON CONFLICT DO NOTHING",
        ps -> {
          JdbcRows.bindReport(ps, r, now);
          return ps.executeUpdate() == 1;
        });
  }

  private JdbcRows.HostPrior upsertHost(Statements st, Report r, long now) throws SQLException {
    // With PostgreSQL this row lock is also the alert engine's per-host lock (AlertTx.lockHost):
    // the ingest hook runs under it, so two collectors storing reports of one host, or a report
    // and a tick, run the host's state machines one after the other, each on the other's
    // committed states. For a new host the INSERT below waits on the concurrent insert instead.
    JdbcRows.HostPrior prior =
        st.with(
            JdbcRows.SELECT_HOST_PRIOR + forUpdate(),
            ps -> {
              ps.setString(1, r.node());
              try (ResultSet rs = ps.executeQuery()) {
                return JdbcRows.hostPrior(rs, policy, now, r.node(), r.agent());
              }
            });
    st.with(
        "INSERT INTO hosts (name, agent, tags, interval_s, first_seen, last_report, up_since,"
            + " last_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
            + " agent = excluded.agent, tags = excluded.tags, interval_s = excluded.interval_s,"
            + " last_report = excluded.last_report, up_since = excluded.up_since, last_seq ="
            + " CASE WHEN hosts.agent LIKE ? AND excluded.agent NOT LIKE ? THEN excluded.last_seq"
            + " WHEN hosts.last_seq > excluded.last_seq THEN hosts.last_seq"
            + " ELSE excluded.last_seq END",
        ps -> {
          rows.bindHost(ps, r, now, prior.upSince());
          ps.setString(9, HostRecord.COLLECTOR_AGENT + "%");
          ps.setString(10, HostRecord.COLLECTOR_AGENT + "%");
          return ps.executeUpdate();
        });
    return prior;
  }

  @Override
  public <T> T alerts(Function<AlertTx, T> work) {
    return write("update alert state", c -> work.apply(alertTx(c)));
  }

  @Override
  public List<HostRecord> hosts() {
    return read("list hosts", c -> hosts(c, null));
  }

  /**
   * All hosts by name; or only {@code lock}'s row, locked for the transaction where the dialect
   * locks rows. For {@link #alertTx}: an {@link SQLException} becomes a {@link StoreException}.
   */
  protected final List<HostRecord> hostsIn(Connection c, String lock) {
    try {
      return hosts(c, lock);
    } catch (SQLException e) {
      throw new StoreException(
          "cannot "
              + (lock == null ? "list hosts" : "lock host " + lock)
              + " in "
              + name
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private List<HostRecord> hosts(Connection c, String lock) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            JdbcRows.SELECT_HOSTS
                + (lock == null ? " ORDER BY name" : " WHERE name = ?" + forUpdate()))) {
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
    return read(
        "list services",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  JdbcRows.SELECT_SERVICES
                      + " WHERE CAST(? AS TEXT) IS NULL OR host = ? ORDER BY host, service")) {
            filter(ps, host);
            try (ResultSet rs = ps.executeQuery()) {
              return rows.services(rs);
            }
          }
        });
  }

  @Override
  public List<ServiceRecord> services(String host, Set<Status> statuses) {
    if (statuses.isEmpty()) {
      return List.of();
    }
    // A plain IN list (no "? IS NULL OR" form) so that both dialects use service_state_by_status.
    String in = String.join(", ", Collections.nCopies(statuses.size(), "?"));
    return read(
        "list services by status",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  JdbcRows.SELECT_SERVICES
                      + " WHERE status IN ("
                      + in
                      + ")"
                      + (host == null ? "" : " AND host = ?")
                      + " ORDER BY host, service")) {
            int i = 1;
            for (Status st : new TreeSet<>(statuses)) {
              ps.setString(i++, st.name());
            }
            if (host != null) {
              ps.setString(i, host);
            }
            try (ResultSet rs = ps.executeQuery()) {
              return rows.services(rs);
            }
          }
        });
  }

  @Override
  public Map<String, Map<Status, Integer>> serviceCounts(String host) {
    return read(
        "count services",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT host, status, COUNT(*) FROM service_state"
                      + (host == null ? "" : " WHERE host = ?")
                      + " GROUP BY host, status")) {
            if (host != null) {
              ps.setString(1, host);
            }
            try (ResultSet rs = ps.executeQuery()) {
              Map<String, Map<Status, Integer>> out = new HashMap<>();
              while (rs.next()) {
                out.computeIfAbsent(rs.getString(1), h -> new EnumMap<>(Status.class))
                    .put(Status.valueOf(rs.getString(2)), rs.getInt(3));
              }
              return out;
            }
          }
        });
  }

  @Override
  public List<AlertStateRecord> alertStates() {
    return read(
        "read alert states",
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT host, service, state FROM alert_state ORDER BY host, service");
              ResultSet rs = ps.executeQuery()) {
            List<AlertStateRecord> out = new ArrayList<>();
            while (rs.next()) {
              out.add(new AlertStateRecord(rs.getString(1), rs.getString(2), rs.getString(3)));
            }
            return out;
          }
        });
  }

  @Override
  public List<EventRecord> events(String host, long since) {
    return read(
        "list events",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  JdbcRows.SELECT_EVENTS
                      + " WHERE (CAST(? AS TEXT) IS NULL OR host = ?) AND time >= ?"
                      + " ORDER BY time, id")) {
            ps.setLong(filter(ps, host), since);
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
    return read(
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

  /**
   * Binds each filter value twice, for {@code (CAST(? AS TEXT) IS NULL OR column = ?)}; returns the
   * next parameter index.
   */
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
    write(
        "add a " + role.id() + " token",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(JdbcRows.INSERT_TOKEN)) {
            JdbcRows.bindToken(ps, sha256Hex, node, role, now);
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public Optional<TokenOwner> findToken(String sha256Hex) {
    return read(
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
    return read("list tokens", JdbcOperations::tokens);
  }

  @Override
  public void touchToken(String sha256Hex, long when) {
    write(
        "record a token's use",
        c -> {
          JdbcOperations.touchToken(c, sha256Hex, when);
          return null;
        });
  }

  @Override
  public List<TokenRecord> revokeToken(String idPrefix) {
    return write("revoke a token", c -> JdbcOperations.revokeToken(c, idPrefix));
  }

  @Override
  public Optional<HostRemoval> removeHost(String host, boolean history) {
    return write(
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

  /**
   * Lets the history keep series ids between reports in {@code cache}; only for a store whose
   * single writer clears it on every rollback and host removal (SQLite).
   */
  protected final void cacheSeriesIds(SeriesIdCache cache) {
    history.cacheSeriesIds(cache);
  }

  /** Reads the schema history, so a database that lost its tables fails the health check. */
  @Override
  public void ping() {
    read(
        "check the schema",
        c -> {
          try (Statement st = c.createStatement();
              ResultSet rs =
                  st.executeQuery("SELECT MAX(installed_rank) FROM flyway_schema_history")) {
            return rs.next() ? rs.getInt(1) : 0;
          }
        });
  }
}
