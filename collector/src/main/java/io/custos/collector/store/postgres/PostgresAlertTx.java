package io.custos.collector.store.postgres;

import io.custos.collector.store.AlertTx;
import io.custos.collector.store.HostRecord;
import io.custos.collector.store.OutboxRecord;
import io.custos.collector.store.jdbc.JdbcAlertTx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link AlertTx} on one pooled connection inside one transaction of {@link PostgresStore}; made
 * per transaction, not thread-safe. The SQL is {@link JdbcAlertTx}'s, shared with SQLite, except
 * that reading the outbox also claims the rows read: several collectors may share one database, and
 * a notification claimed by one is not handed to another until {@link #CLAIM_MS} have passed (it
 * crashed, or never recorded the outcome), so each is sent once.
 */
final class PostgresAlertTx extends JdbcAlertTx {
  /** How long a claim on outbox rows lasts; longer than any notifier's send with its timeouts. */
  static final long CLAIM_MS = 10 * 60_000L;

  private final String claimer;
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
    super(db, hosts);
    this.claimer = claimer;
    this.lockHost = lockHost;
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
          List<OutboxRecord> out;
          try (PreparedStatement ps =
              db.prepareStatement(
                  "UPDATE outbox SET claimed_by = ?, claimed_until = ? WHERE id IN (SELECT id"
                      + " FROM outbox WHERE transport = ? AND state = 'pending'"
                      + free
                      + " AND host IN (SELECT host FROM outbox WHERE transport = ? AND state ="
                      + " 'pending' AND due <= ? AND next_attempt <= ?"
                      + free
                      + ") FOR UPDATE SKIP LOCKED)"
                      + " RETURNING "
                      + OUTBOX_COLUMNS)) {
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
            out = outboxRecords(ps);
          }
          out.sort(Comparator.comparing(OutboxRecord::host).thenComparingLong(OutboxRecord::id));
          return out;
        });
  }

  @Override
  protected void bindBoolean(PreparedStatement ps, int i, boolean value) throws SQLException {
    ps.setBoolean(i, value);
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
