package io.custos.collector.store.sqlite;

import io.custos.collector.store.AlertTx;
import io.custos.collector.store.HostRecord;
import io.custos.collector.store.OutboxRecord;
import io.custos.collector.store.jdbc.JdbcAlertTx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@link AlertTx} on the store's writer connection. Only ever used by {@link SqliteStore} while it
 * holds the write lock inside a transaction, hence not thread-safe by itself. With one writer the
 * transaction is the lock: the outbox is read without claims and {@link #lockHost} is the default.
 */
final class SqliteAlertTx extends JdbcAlertTx {
  SqliteAlertTx(Connection db, Supplier<List<HostRecord>> hosts) {
    super(db, hosts);
  }

  @Override
  public List<OutboxRecord> dueOutbox(String transport, long now) {
    return sql(
        "read the outbox",
        () -> {
          // A host's whole pending batch goes once its oldest notice is due (group_wait).
          try (PreparedStatement ps =
              db.prepareStatement(
                  "SELECT "
                      + OUTBOX_COLUMNS
                      + " FROM outbox o"
                      + " WHERE transport = ?1 AND state = 'pending' AND host IN (SELECT host"
                      + " FROM outbox WHERE transport = ?1 AND state = 'pending' AND due <= ?2"
                      + " AND next_attempt <= ?2) ORDER BY host, id")) {
            ps.setString(1, transport);
            ps.setLong(2, now);
            return outboxRecords(ps);
          }
        });
  }

  /** SQLite has no boolean type; the column is an INTEGER 0 or 1. */
  @Override
  protected void bindBoolean(PreparedStatement ps, int i, boolean value) throws SQLException {
    ps.setInt(i, value ? 1 : 0);
  }
}
