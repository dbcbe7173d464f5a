package io.custos.collector.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.custos.collector.store.BackupRecord;
import io.custos.collector.store.EventRecord;
import io.custos.collector.store.HostRecord;
import io.custos.collector.store.Role;
import io.custos.collector.store.ServiceRecord;
import io.custos.collector.store.ServiceTransition;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.StoreException;
import io.custos.collector.store.TokenOwner;
import io.custos.collector.store.jdbc.JdbcStore.Statements;
import io.custos.common.wire.BackupEvent;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Report;
import io.custos.common.wire.Status;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The statements, parameter binding and row mapping that the SQLite and PostgreSQL stores share:
 * each store keeps its own connections, transactions, locking and the statements whose dialects
 * differ, and uses this for the rest ({@link JdbcStore} is its only user). Thread-safe. Mapping a
 * row whose JSON column does not parse throws {@link StoreException} naming the database; SQL
 * errors reach the caller as thrown.
 */
final class JdbcRows {
  /** Every host, by name; a store appends its own WHERE or ORDER BY. */
  public static final String SELECT_HOSTS =
      "SELECT name, agent, tags, interval_s, first_seen, last_report, up_since, last_seq"
          + " FROM hosts";

  /** Every service; a store appends its dialect's host filter and order. */
  public static final String SELECT_SERVICES =
      "SELECT host, service, check_kind, status, output, long_output, last_check,"
          + " last_change, attempt, metrics FROM service_state";

  /** Every event; a store appends its dialect's filter and order. */
  public static final String SELECT_EVENTS =
      "SELECT host, service, time, old_status, new_status, output, kind FROM events";

  /** The columns {@link #backups} maps, in its order; a store appends FROM and WHERE. */
  public static final String SELECT_BACKUPS =
      "SELECT node, backup_set, level, archive, result, bytes, files, started,"
          + " finished, message, received";

  /** Run by {@link #insertBackups}; an archive already in the catalog for the node is kept. */
  private static final String INSERT_BACKUP =
      "INSERT INTO backups (node, backup_set, level, archive, result, bytes, files, started,"
          + " finished, message, received) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT DO NOTHING";

  /** A service's state, read by {@link #applyResult} before it applies a result. */
  private static final String SELECT_SERVICE_STATE =
      "SELECT status, attempt, last_change, last_check FROM service_state"
          + " WHERE host = ? AND service = ?";

  /** Run by {@link #applyResult}. */
  private static final String UPSERT_SERVICE_STATE =
      "INSERT INTO service_state (host, service, check_kind, status, output, long_output,"
          + " last_check, last_change, attempt, metrics) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
          + " ?) ON CONFLICT (host, service) DO UPDATE SET check_kind ="
          + " excluded.check_kind, status = excluded.status, output = excluded.output,"
          + " long_output = excluded.long_output, last_check = excluded.last_check,"
          + " last_change = excluded.last_change, attempt = excluded.attempt, metrics ="
          + " excluded.metrics";

  /** Run by {@link #applyResult}. */
  private static final String INSERT_EVENT =
      "INSERT INTO events (host, service, time, old_status, new_status, output)"
          + " VALUES (?, ?, ?, ?, ?, ?)";

  /** Bound by {@link #bindToken}. */
  public static final String INSERT_TOKEN =
      "INSERT INTO tokens (hash, node, role, created) VALUES (?, ?, ?, ?)";

  /** Mapped by {@link #token}; one parameter, the hash. */
  public static final String SELECT_TOKEN = "SELECT role, node FROM tokens WHERE hash = ?";

  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final TypeReference<List<Metric>> METRICS = new TypeReference<>() {};

  private final ObjectMapper json = new ObjectMapper();
  private final String database;

  /**
   * @param database names the database in errors (a file or URL, never a password)
   */
  public JdbcRows(String database) {
    this.database = database;
  }

  /** {@code value} as a JSON column. */
  private String toJson(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  private <T> T fromJson(String text, TypeReference<T> type) {
    try {
      return json.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new StoreException("corrupt JSON in " + database + ": " + e.getOriginalMessage(), e);
    }
  }

  /** The rows of {@link #SELECT_HOSTS}, in order. */
  public List<HostRecord> hosts(ResultSet rs) throws SQLException {
    List<HostRecord> out = new ArrayList<>();
    while (rs.next()) {
      out.add(
          new HostRecord(
              rs.getString(1),
              rs.getString(2),
              fromJson(rs.getString(3), STRINGS),
              rs.getInt(4),
              rs.getLong(5),
              rs.getLong(6),
              rs.getLong(7),
              rs.getLong(8)));
    }
    return out;
  }

  /** The rows of {@link #SELECT_SERVICES}, in order. */
  public List<ServiceRecord> services(ResultSet rs) throws SQLException {
    List<ServiceRecord> out = new ArrayList<>();
    while (rs.next()) {
      out.add(
          new ServiceRecord(
              rs.getString(1),
              rs.getString(2),
              rs.getString(3),
              Status.valueOf(rs.getString(4)),
              rs.getString(5),
              rs.getString(6),
              rs.getLong(7),
              rs.getLong(8),
              rs.getInt(9),
              fromJson(rs.getString(10), METRICS)));
    }
    return out;
  }

  /** The rows of {@link #SELECT_EVENTS}, in order. */
  public static List<EventRecord> events(ResultSet rs) throws SQLException {
    List<EventRecord> out = new ArrayList<>();
    while (rs.next()) {
      String old = rs.getString(4);
      out.add(
          new EventRecord(
              rs.getString(1),
              rs.getString(2),
              rs.getLong(3),
              old == null ? null : Status.valueOf(old),
              Status.valueOf(rs.getString(5)),
              rs.getString(6),
              rs.getString(7)));
    }
    return out;
  }

  /** The rows of {@link #SELECT_BACKUPS}, in order. */
  public static List<BackupRecord> backups(ResultSet rs) throws SQLException {
    List<BackupRecord> out = new ArrayList<>();
    while (rs.next()) {
      out.add(
          new BackupRecord(
              rs.getString(1),
              rs.getString(2),
              rs.getString(3),
              rs.getString(4),
              Status.valueOf(rs.getString(5)),
              rs.getLong(6),
              rs.getLong(7),
              rs.getLong(8),
              rs.getLong(9),
              rs.getString(10),
              rs.getLong(11)));
    }
    return out;
  }

  /** The row of {@link #SELECT_TOKEN}, if any. */
  public static Optional<TokenOwner> token(ResultSet rs) throws SQLException {
    if (!rs.next()) {
      return Optional.empty();
    }
    return Optional.of(new TokenOwner(Role.parse(rs.getString(1)), rs.getString(2)));
  }

  /** The report's backup runs; an archive already in the catalog for this node is kept as is. */
  public static void insertBackups(Statements st, Report r, long now) throws SQLException {
    if (r.backups().isEmpty()) {
      return;
    }
    st.with(
        INSERT_BACKUP,
        ps -> {
          for (BackupEvent b : r.backups()) {
            bindBackup(ps, r.node(), b, now);
            ps.executeUpdate();
          }
          return null;
        });
  }

  /**
   * Applies one result of {@code host}: its service's next state and, on a change, an event. The
   * caller leaves out the results of a late report (a sequence number below the host's latest, see
   * {@link HostPrior#isLate}); results are ordered by the node's sequence numbers, never by their
   * times, which come from the node's clock and may step back.
   *
   * @param lock appended to {@link #SELECT_SERVICE_STATE}: a row lock clause, or empty
   * @return true: the result was applied
   */
  public boolean applyResult(
      Statements st, String host, CheckResult r, StatePolicy policy, String lock)
      throws SQLException {
    Prior prior =
        st.with(
            SELECT_SERVICE_STATE + lock,
            ps -> {
              ps.setString(1, host);
              ps.setString(2, r.service());
              try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                  return new Prior(null, 0, 0);
                }
                return new Prior(Status.valueOf(rs.getString(1)), rs.getInt(2), rs.getLong(3));
              }
            });
    if (prior == null) {
      return false;
    }
    ServiceTransition t =
        ServiceTransition.next(
            prior.status, prior.attempt, prior.change, r.status(), r.time(), policy.maxAttempts());
    st.with(
        UPSERT_SERVICE_STATE,
        ps -> {
          bindServiceState(ps, host, r, t);
          return ps.executeUpdate();
        });
    if (t.event()) {
      st.with(
          INSERT_EVENT,
          ps -> {
            bindEvent(ps, host, r, prior.status);
            return ps.executeUpdate();
          });
    }
    return true;
  }

  /** A service's stored state before a result; status null for a new service. */
  private record Prior(Status status, int attempt, long change) {}

  /**
   * Binds a dialect's insert into {@code reports (node, seq, received, sent, results)} for report
   * {@code r} received at {@code now}.
   */
  public static void bindReport(PreparedStatement ps, Report r, long now) throws SQLException {
    ps.setString(1, r.node());
    ps.setLong(2, r.seq());
    ps.setLong(3, now);
    ps.setLong(4, r.sent());
    ps.setInt(5, r.results().size());
  }

  /** Run before a report's host row is updated; see {@link #hostPrior}. */
  public static final String SELECT_HOST_PRIOR =
      "SELECT last_report, interval_s, up_since, last_seq, agent FROM hosts WHERE name = ?";

  /**
   * What a report needs of its host's row before updating it.
   *
   * @param upSince the host's {@code up_since} after the report
   * @param lastSeq the highest sequence number stored before it; -1 for a new host
   */
  public record HostPrior(long upSince, long lastSeq) {
    /** Whether report {@code seq} is older than one already stored (a spool replayed late). */
    public boolean isLate(long seq) {
      return seq < lastSeq;
    }
  }

  /**
   * The host's prior for a report at {@code now}, from {@code rs}, the result of {@link
   * #SELECT_HOST_PRIOR}: {@code up_since} is kept unless the host is new or was absent.
   *
   * <p>A host the collector makes (traps, its own services: {@link HostRecord#COLLECTOR_AGENT}) and
   * an agent's node never mix: an agent's first report for a host only the collector made so far
   * starts it afresh (the collector's sequence numbers, receive times in ms, would otherwise make
   * every report of the agent late), and a collector-made report for an agent's node is refused.
   *
   * @param node the host of the report being stored
   * @param agent its agent string
   * @throws IllegalStateException naming the host when the collector reports for an agent's node
   *     (the transaction is rolled back)
   */
  public static HostPrior hostPrior(
      ResultSet rs, StatePolicy policy, long now, String node, String agent) throws SQLException {
    if (!rs.next()) {
      return new HostPrior(now, -1);
    }
    boolean wasMade = HostRecord.collectorMade(rs.getString(5));
    boolean isMade = HostRecord.collectorMade(agent);
    if (isMade && !wasMade) {
      throw new IllegalStateException(
          "host \"" + node + "\" is an agent's node: " + agent + " may not report for it");
    }
    if (wasMade && !isMade) {
      return new HostPrior(now, -1);
    }
    long upSince = policy.isAbsent(now - rs.getLong(1), rs.getInt(2)) ? now : rs.getLong(3);
    return new HostPrior(upSince, rs.getLong(4));
  }

  /**
   * Binds a dialect's upsert into {@code hosts (name, agent, tags, interval_s, first_seen,
   * last_report, up_since, last_seq)} for report {@code r} received at {@code now}.
   */
  public void bindHost(PreparedStatement ps, Report r, long now, long upSince) throws SQLException {
    ps.setString(1, r.node());
    ps.setString(2, r.agent());
    ps.setString(3, toJson(r.tags()));
    ps.setInt(4, r.intervalS());
    ps.setLong(5, now);
    ps.setLong(6, now);
    ps.setLong(7, upSince);
    ps.setLong(8, r.seq());
  }

  /** Binds {@link #INSERT_BACKUP} for one backup run of {@code node}, received at {@code now}. */
  private static void bindBackup(PreparedStatement ps, String node, BackupEvent b, long now)
      throws SQLException {
    ps.setString(1, node);
    ps.setString(2, b.set());
    ps.setString(3, b.level());
    ps.setString(4, b.archive());
    ps.setString(5, b.result().name());
    ps.setLong(6, b.bytes());
    ps.setLong(7, b.files());
    ps.setLong(8, b.started());
    ps.setLong(9, b.finished());
    ps.setString(10, b.message());
    ps.setLong(11, now);
  }

  /** Binds {@link #UPSERT_SERVICE_STATE} for result {@code r} of {@code host} after {@code t}. */
  private void bindServiceState(
      PreparedStatement ps, String host, CheckResult r, ServiceTransition t) throws SQLException {
    ps.setString(1, host);
    ps.setString(2, r.service());
    ps.setString(3, r.check());
    ps.setString(4, r.status().name());
    ps.setString(5, r.output());
    ps.setString(6, r.longOutput());
    ps.setLong(7, r.time());
    ps.setLong(8, t.lastChange());
    ps.setInt(9, t.attempt());
    ps.setString(10, MetricsJson.write(json.getFactory(), r.metrics()));
  }

  /** Binds {@link #INSERT_EVENT}: {@code host}'s service changed from {@code previous} to r. */
  private static void bindEvent(PreparedStatement ps, String host, CheckResult r, Status previous)
      throws SQLException {
    ps.setString(1, host);
    ps.setString(2, r.service());
    ps.setLong(3, r.time());
    ps.setString(4, previous == null ? null : previous.name());
    ps.setString(5, r.status().name());
    ps.setString(6, r.output());
  }

  /** Binds {@link #INSERT_TOKEN}. */
  public static void bindToken(
      PreparedStatement ps, String sha256Hex, String node, Role role, long now)
      throws SQLException {
    ps.setString(1, sha256Hex);
    ps.setString(2, node);
    ps.setString(3, role.id());
    ps.setLong(4, now);
  }
}
