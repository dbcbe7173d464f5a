package io.custos.collector.store.history;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How {@link JdbcHistory} gets a connection: the owning store runs the work in a read or a write
 * transaction under its own locking, and turns {@link SQLException} into a {@link
 * io.custos.collector.store.StoreException} naming {@code what}.
 */
public interface SqlRunner {
  /** Work on a connection. */
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  <T> T write(String what, Work<T> work);

  <T> T read(String what, Work<T> work);
}
