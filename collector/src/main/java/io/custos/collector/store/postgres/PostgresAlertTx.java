package io.custos.collector.store.postgres;

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
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link AlertTx} on one pooled connection inside one transaction of {@link PostgresStore}; made
 * per transaction, not thread-safe. The SQL is {@code SqliteAlertTx}'s, except that reading the
 * outbox also claims the rows read: several collectors may share one database, and a notification
 * claimed by one is not handed to another until {@link #CLAIM_MS} have passed (it crashed, or never
 * recorded the outcome), so each is sent once.
 */
final class PostgresAlertTx implements AlertTx {
  /** How long a claim on outbox rows lasts; longer than any notifier's send with its timeouts. */
  static final long CLAIM_MS = 10 * 60_000L;

  private final Connection db;
  private final String claimer;
  private final Supplier<List<HostRecord>> hosts;
  private final Function<String, Optional<HostRecord>> lockHost;

  /**
   * @param claimer this collector's (store instance's) identity in outbox claims
   * @param hosts reads the hosts on {@code db}, in this transaction
   * @param lockHost reads one host's row on {@code db} with {@code FOR UPDATE}
   */
  PostgresAlertTx(
      Connection db,
      String claimer,
      Supplier<List<HostRecord>> hosts,
      Function<String, Optional<HostRecord>> lockHost) {
    this.db = db;
    this.claimer = claimer;
    this.hosts = hosts;
    this.lockHost = lockHost;
  }

  private interface Sql<T> {
    T run() throws SQLException;
  }

  private static <T> T sql(String what, Sql<T> work) {
    try {
      return work.run();
    } catch (SQLException e) {
      throw new StoreException("cannot " + what + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String alertState(String host, String service) {
    return sql(
        "read alert state",
        () -> {
          try (PreparedStatement ps =
              db.prepareStatement("SELECT state FROM alert_state WHERE host = ? AND service = ?")) {
            ps.setString(1, host);
            ps.setString(2, service);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? rs.getString(1) : null;
            }
          }
        });
  }

  @Override
  public List<AlertStateRecord> alertStates() {
    return sql(
        "read alert states",
        () -> {
          List<AlertStateRecord> out = new ArrayList<>();
          try (PreparedStatement ps =
                  db.prepareStatement(
                      "SELECT host, service, state FROM alert_state ORDER BY host, service");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(new AlertStateRecord(rs.getString(1), rs.getString(2), rs.getString(3)));
            }
          }
          return out;
        });
  }

  @Override
  public void saveAlertState(String host, String service, String json) {
    sql(
        "save alert state",
        () -> {
          try (PreparedStatement ps =
              db.prepareStatement(
                  "INSERT INTO alert_state (host, service, state) VALUES (?, ?, ?)"
                      + " ON CONFLICT (host, service) DO UPDATE SET state = excluded.state")) {
            ps.setString(1, host);
            ps.setString(2, service);
            ps.setString(3, json);
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public void event(String host, String service, long time, String status, String text) {
    sql(
        "record an alert event",
        () -> {
          try (PreparedStatement ps =
              db.prepareStatement(
                  "INSERT INTO events (host, service, time, old_status, new_status, output, kind)"
                      + " VALUES (?, ?, ?, NULL, ?, ?, 'alert')")) {
            ps.setString(1, host);
            ps.setString(2, service);
            ps.setLong(3, time);
            ps.setString(4, status);
            ps.setString(5, text);
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public void enqueue(String transport, String host, long now, long due, String payload) {
    sql(
        "queue a notification",
        () -> {
          try (PreparedStatement ps =
              db.prepareStatement(
                  "INSERT INTO outbox (transport, host, created, due, payload, next_attempt)"
                      + " VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, transport);
            ps.setString(2, host);
            ps.setLong(3, now);
            ps.setLong(4, due);
            ps.setString(5, payload);
            ps.setLong(6, due);
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public List<OutboxRecord> dueOutbox(String transport, long now) {
    return sql(
        "claim due notifications from the outbox",
        () -> {
          // A host's whole pending batch goes once its oldest notice is due (group_wait). Rows
          // claimed by another collector whose claim has not expired are left to it; rows being
          // claimed concurrently are skipped rather than waited for (SKIP LOCKED), and a row that
          // another collector claimed after this statement's snapshot fails the re-checked
          // condition, so the UPDATE hands each row to one collector only.
          String free = " AND (claimed_by IS NULL OR claimed_by = ? OR claimed_until <= ?)";
          List<OutboxRecord> out = new ArrayList<>();
          try (PreparedStatement ps =
              db.prepareStatement(
                  "UPDATE outbox SET claimed_by = ?, claimed_until = ? WHERE id IN (SELECT id"
                      + " FROM outbox WHERE transport = ? AND state = 'pending'"
                      + free
                      + " AND host IN (SELECT host FROM outbox WHERE transport = ? AND state ="
                      + " 'pending' AND due <= ? AND next_attempt <= ?"
                      + free
                      + ") FOR UPDATE SKIP LOCKED)"
                      + " RETURNING id, transport, host, created, payload, attempts")) {
            int i = 1;
            ps.setString(i++, claimer);
            ps.setLong(i++, now + CLAIM_MS);
            ps.setString(i++, transport);
            ps.setString(i++, claimer);
            ps.setLong(i++, now);
            ps.setString(i++, transport);
            ps.setLong(i++, now);
            ps.setLong(i++, now);
            ps.setString(i++, claimer);
            ps.setLong(i++, now);
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
          }
          out.sort(Comparator.comparing(OutboxRecord::host).thenComparingLong(OutboxRecord::id));
          return out;
        });
  }

  @Override
  public void outboxDone(List<Long> ids, boolean sent, long now, String detail) {
    sql(
        "update the outbox",
        () -> {
          try (PreparedStatement ps =
              db.prepareStatement(
                  "UPDATE outbox SET state = ?, done = ?, last_error = ? WHERE id = ?")) {
            for (long id : ids) {
              ps.setString(1, sent ? "sent" : "failed");
              ps.setLong(2, now);
              ps.setString(3, detail);
              ps.setLong(4, id);
              ps.executeUpdate();
            }
          }
          return null;
        });
  }

  @Override
  public void outboxRetry(List<Long> ids, long nextAttempt, String error) {
    sql(
        "update the outbox",
        () -> {
          try (PreparedStatement ps =
              db.prepareStatement(
                  "UPDATE outbox SET attempts = attempts + 1, next_attempt = ?, last_error = ?"
                      + " WHERE id = ?")) {
            for (long id : ids) {
              ps.setLong(1, nextAttempt);
              ps.setString(2, error);
              ps.setLong(3, id);
              ps.executeUpdate();
            }
          }
          return null;
        });
  }

  @Override
  public int pruneOutbox(long before) {
    return sql(
        "prune the outbox",
        () -> {
          try (PreparedStatement ps =
              db.prepareStatement("DELETE FROM outbox WHERE state <> 'pending' AND done < ?")) {
            ps.setLong(1, before);
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public long addAck(
      String host, String service, String author, String comment, boolean sticky, long now) {
    return sql(
        "record an acknowledgement",
        () -> {
          try (PreparedStatement ps =
              db.prepareStatement(
                  "INSERT INTO acks (host, service, author, comment, sticky, created)"
                      + " VALUES (?, ?, ?, ?, ?, ?) RETURNING id")) {
            ps.setString(1, host);
            ps.setString(2, service);
            ps.setString(3, author);
            ps.setString(4, comment);
            ps.setBoolean(5, sticky);
            ps.setLong(6, now);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  @Override
  public Optional<List<String>> ackTarget(long id) {
    return sql(
        "read an acknowledgement",
        () -> {
          try (PreparedStatement ps =
              db.prepareStatement("SELECT host, service FROM acks WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next()
                  ? Optional.of(List.of(rs.getString(1), rs.getString(2)))
                  : Optional.empty();
            }
          }
        });
  }

  @Override
  public long addDowntime(DowntimeRecord d, long now) {
    return sql(
        "store a downtime",
        () -> {
          try (PreparedStatement ps =
              db.prepareStatement(
                  "INSERT INTO downtimes (host, service, grp, start, end_time, weekly, author,"
                      + " comment, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
            setNullable(ps, 1, d.host());
            setNullable(ps, 2, d.service());
            setNullable(ps, 3, d.group());
            ps.setLong(4, d.start());
            ps.setLong(5, d.end());
            setNullable(ps, 6, d.weekly());
            ps.setString(7, d.author());
            ps.setString(8, d.comment());
            ps.setLong(9, now);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
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
  public List<DowntimeRecord> downtimes() {
    return sql(
        "list downtimes",
        () -> {
          List<DowntimeRecord> out = new ArrayList<>();
          try (PreparedStatement ps =
                  db.prepareStatement(
                      "SELECT id, host, service, grp, start, end_time, weekly, author, comment"
                          + " FROM downtimes ORDER BY id");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(
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
          }
          return out;
        });
  }

  @Override
  public boolean deleteDowntime(long id) {
    return sql(
        "delete a downtime",
        () -> {
          try (PreparedStatement ps = db.prepareStatement("DELETE FROM downtimes WHERE id = ?")) {
            ps.setLong(1, id);
            return ps.executeUpdate() == 1;
          }
        });
  }

  @Override
  public List<HostRecord> hosts() {
    return hosts.get();
  }

  /**
   * {@code SELECT … FOR UPDATE} on the host's row: the same row lock {@link PostgresStore#ingest}
   * takes for the report's host, so a tick and a report, or two ticks, of one host run one after
   * the other. In READ COMMITTED the statements after the lock see what the holder committed.
   */
  @Override
  public Optional<HostRecord> lockHost(String host) {
    return lockHost.apply(host);
  }
}
