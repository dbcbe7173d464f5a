package io.custos.collector.store.jdbc;

import io.custos.collector.store.AlertStateRecord;
import io.custos.collector.store.AlertTx;
import io.custos.collector.store.DowntimeRecord;
import io.custos.collector.store.HostRecord;
import io.custos.collector.store.OutboxRecord;
import io.custos.collector.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@link AlertTx} SQL that SQLite and PostgreSQL share, on one connection inside one store
 * transaction; made per transaction (or held by the single writer), not thread-safe. Subclasses
 * supply what the dialects do differently: {@link #dueOutbox} (PostgreSQL claims the rows it reads,
 * SQLite has one writer and need not), how a boolean column is bound, and {@link #lockHost}. Every
 * method throws {@link StoreException} naming what it could not do.
 */
public abstract class JdbcAlertTx implements AlertTx {
  /** The columns {@link #outboxRecords} maps, in its order. */
  protected static final String OUTBOX_COLUMNS = "id, transport, host, created, payload, attempts";

  /** The transaction's connection. */
  protected final Connection db;

  private final Supplier<List<HostRecord>> hosts;

  /**
   * @param db the transaction's connection
   * @param hosts reads the hosts on {@code db}, in this transaction
   */
  protected JdbcAlertTx(Connection db, Supplier<List<HostRecord>> hosts) {
    this.db = db;
    this.hosts = hosts;
  }

  /** Work on {@link #db}. */
  protected interface Sql<T> {
    T run() throws SQLException;
  }

  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private interface IdBinder {
    void bind(PreparedStatement ps, long id) throws SQLException;
  }

  /** Runs {@code work}, turning {@link SQLException} into a {@link StoreException}. */
  protected static <T> T sql(String what, Sql<T> work) {
    try {
      return work.run();
    } catch (SQLException e) {
      throw new StoreException("cannot " + what + ": " + e.getMessage(), e);
    }
  }

  /** Runs {@code ps}, a query for {@link #OUTBOX_COLUMNS}, and maps its rows in order. */
  protected static List<OutboxRecord> outboxRecords(PreparedStatement ps) throws SQLException {
    List<OutboxRecord> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new OutboxRecord(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getString(5),
                rs.getInt(6)));
      }
    }
    return out;
  }

  /** Binds {@code value} to a boolean column as the dialect stores it. */
  protected abstract void bindBoolean(PreparedStatement ps, int i, boolean value)
      throws SQLException;

  private int update(String what, String statement, Binder binder) {
    return sql(
        what,
        () -> {
          try (PreparedStatement ps = db.prepareStatement(statement)) {
            binder.bind(ps);
            return ps.executeUpdate();
          }
        });
  }

  private void updateEach(String what, String statement, List<Long> ids, IdBinder binder) {
    sql(
        what,
        () -> {
          try (PreparedStatement ps = db.prepareStatement(statement)) {
            for (long id : ids) {
              binder.bind(ps, id);
              ps.executeUpdate();
            }
          }
          return null;
        });
  }

  /** Runs an {@code INSERT … RETURNING id}; returns the id. */
  private long insert(String what, String statement, Binder binder) {
    return sql(
        what,
        () -> {
          try (PreparedStatement ps = db.prepareStatement(statement)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  /** The first row's mapping, or empty if there is no row or it maps to null. */
  private <T> Optional<T> first(String what, String query, Binder binder, Row<T> row) {
    return sql(
        what,
        () -> {
          try (PreparedStatement ps = db.prepareStatement(query)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.ofNullable(row.map(rs)) : Optional.empty();
            }
          }
        });
  }

  private <T> List<T> list(String what, String query, Row<T> row) {
    return sql(
        what,
        () -> {
          List<T> out = new ArrayList<>();
          try (PreparedStatement ps = db.prepareStatement(query);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(row.map(rs));
            }
          }
          return out;
        });
  }

  @Override
  public final String alertState(String host, String service) {
    return first(
            "read alert state",
            "SELECT state FROM alert_state WHERE host = ? AND service = ?",
            ps -> {
              ps.setString(1, host);
              ps.setString(2, service);
            },
            rs -> rs.getString(1))
        .orElse(null);
  }

  @Override
  public final List<AlertStateRecord> alertStates() {
    return list(
        "read alert states",
        "SELECT host, service, state FROM alert_state ORDER BY host, service",
        rs -> new AlertStateRecord(rs.getString(1), rs.getString(2), rs.getString(3)));
  }

  @Override
  public final void saveAlertState(String host, String service, String json) {
    update(
        "save alert state",
        "INSERT INTO alert_state (host, service, state) VALUES (?, ?, ?)"
            + " ON CONFLICT (host, service) DO UPDATE SET state = excluded.state",
        ps -> {
          ps.setString(1, host);
          ps.setString(2, service);
          ps.setString(3, json);
        });
  }

  @Override
  public final void event(String host, String service, long time, String status, String text) {
    update(
        "record an alert event",
        "INSERT INTO events (host, service, time, old_status, new_status, output, kind)"
            + " VALUES (?, ?, ?, NULL, ?, ?, 'alert')",
        ps -> {
          ps.setString(1, host);
          ps.setString(2, service);
          ps.setLong(3, time);
          ps.setString(4, status);
          ps.setString(5, text);
        });
  }

  @Override
  public final void enqueue(String transport, String host, long now, long due, String payload) {
    update(
        "queue a notification",
        "INSERT INTO outbox (transport, host, created, due, payload, next_attempt)"
            + " VALUES (?, ?, ?, ?, ?, ?)",
        ps -> {
          ps.setString(1, transport);
          ps.setString(2, host);
          ps.setLong(3, now);
          ps.setLong(4, due);
          ps.setString(5, payload);
          ps.setLong(6, due);
        });
  }

  @Override
  public final void outboxDone(List<Long> ids, boolean sent, long now, String detail) {
    updateEach(
        "update the outbox",
        "UPDATE outbox SET state = ?, done = ?, last_error = ? WHERE id = ?",
        ids,
        (ps, id) -> {
          ps.setString(1, sent ? "sent" : "failed");
          ps.setLong(2, now);
          ps.setString(3, detail);
          ps.setLong(4, id);
        });
  }

  @Override
  public final void outboxRetry(List<Long> ids, long nextAttempt, String error) {
    updateEach(
        "update the outbox",
        "UPDATE outbox SET attempts = attempts + 1, next_attempt = ?, last_error = ? WHERE id = ?",
        ids,
        (ps, id) -> {
          ps.setLong(1, nextAttempt);
          ps.setString(2, error);
          ps.setLong(3, id);
        });
  }

  @Override
  public final int pruneOutbox(long before) {
    return update(
        "prune the outbox",
        "DELETE FROM outbox WHERE state <> 'pending' AND done < ?",
        ps -> ps.setLong(1, before));
  }

  @Override
  public final long addAck(
      String host, String service, String author, String comment, boolean sticky, long now) {
    return insert(
        "record an acknowledgement",
        "INSERT INTO acks (host, service, author, comment, sticky, created)"
            + " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        ps -> {
          ps.setString(1, host);
          ps.setString(2, service);
          ps.setString(3, author);
          ps.setString(4, comment);
          bindBoolean(ps, 5, sticky);
          ps.setLong(6, now);
        });
  }

  @Override
  public final Optional<List<String>> ackTarget(long id) {
    return first(
        "read an acknowledgement",
        "SELECT host, service FROM acks WHERE id = ?",
        ps -> ps.setLong(1, id),
        rs -> List.of(rs.getString(1), rs.getString(2)));
  }

  @Override
  public final long addDowntime(DowntimeRecord d, long now) {
    return insert(
        "store a downtime",
        "INSERT INTO downtimes (host, service, grp, start, end_time, weekly, author,"
            + " comment, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        ps -> {
          setNullable(ps, 1, d.host());
          setNullable(ps, 2, d.service());
          setNullable(ps, 3, d.group());
          ps.setLong(4, d.start());
          ps.setLong(5, d.end());
          setNullable(ps, 6, d.weekly());
          ps.setString(7, d.author());
          ps.setString(8, d.comment());
          ps.setLong(9, now);
        });
  }

  private static void setNullable(PreparedStatement ps, int i, String v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.VARCHAR);
    } else {
      ps.setString(i, v);
    }
  }

  @Override
  public final List<DowntimeRecord> downtimes() {
    return list(
        "list downtimes",
        "SELECT id, host, service, grp, start, end_time, weekly, author, comment"
            + " FROM downtimes ORDER BY id",
        rs ->
            new DowntimeRecord(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getLong(5),
                rs.getLong(6),
                rs.getString(7),
                rs.getString(8),
                rs.getString(9)));
  }

  @Override
  public final boolean deleteDowntime(long id) {
    return update(
            "delete a downtime", "DELETE FROM downtimes WHERE id = ?", ps -> ps.setLong(1, id))
        == 1;
  }

  @Override
  public final List<HostRecord> hosts() {
    return hosts.get();
  }
}
