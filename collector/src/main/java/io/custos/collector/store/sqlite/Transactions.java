package io.custos.collector.store.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Explicit SQLite transactions on an auto-commit connection. {@code BEGIN IMMEDIATE} takes the
 * write lock up front, so a writer never fails half-way with SQLITE_BUSY when another process (the
 * {@code token} command) writes at the same time; the connection's busy timeout makes it wait
 * instead. Between transactions no lock is held.
 */
final class Transactions {
  private Transactions() {}

  /** Work done inside a transaction. */
  interface Work<T> {
    T run() throws SQLException;
  }

  /** Runs {@code work} in a write transaction; commits if it returns, rolls back if it throws. */
  static <T> T write(Connection db, Work<T> work) throws SQLException {
    try (Statement st = db.createStatement()) {
      st.execute("BEGIN IMMEDIATE");
      T result;
      try {
        result = work.run();
      } catch (SQLException | RuntimeException | Error e) {
        try {
          st.execute("ROLLBACK");
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      }
      st.execute("COMMIT");
      return result;
    }
  }
}
