package io.custos.collector.store.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * A connection that keeps the statements of {@link Connection#prepareStatement(String)} prepared:
 * closing one hands it back to the cache (its parameters cleared) instead of finalizing it, and the
 * next {@code prepareStatement} of the same SQL gets it again. The SQLite driver has no statement
 * cache of its own and compiling a statement costs about as much as running a small one, which the
 * ingest path did for every report (history, alert state, service state).
 *
 * <p>A statement is handed to one user at a time: asking for the same SQL while it is still open
 * (nested use) prepares a fresh, uncached one. At most {@value #MAX} statements are kept; beyond
 * that they are prepared and closed as usual. Closing the connection closes every kept statement.
 * For a connection used by one thread at a time (the SQLite store's writer, under its lock); the
 * cache itself is synchronized.
 */
public final class StatementCache implements InvocationHandler {
  static final int MAX = 256;

  private final Connection target;
  private final Map<String, Entry> kept = new HashMap<>();

  private StatementCache(Connection target) {
    this.target = target;
  }

  /** {@code c} with its prepared statements kept; closing the result closes {@code c}. */
  public static Connection wrap(Connection c) {
    return (Connection)
        Proxy.newProxyInstance(
            StatementCache.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            new StatementCache(c));
  }

  /** One kept statement and the proxy its users see. */
  private final class Entry implements InvocationHandler {
    final PreparedStatement statement;
    final PreparedStatement proxy;
    boolean inUse;

    Entry(PreparedStatement statement) {
      this.statement = statement;
      this.proxy =
          (PreparedStatement)
              Proxy.newProxyInstance(
                  StatementCache.class.getClassLoader(),
                  new Class<?>[] {PreparedStatement.class},
                  this);
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
      switch (method.getName()) {
        case "close" -> {
          if (method.getParameterCount() == 0) {
            giveBack(this);
            return null;
          }
        }
        case "isClosed" -> {
          if (method.getParameterCount() == 0) {
            synchronized (StatementCache.this) {
              return !inUse || statement.isClosed();
            }
          }
        }
        case "getConnection" -> {
          return target;
        }
        default -> {}
      }
      return call(statement, method, args);
    }
  }

  private synchronized void giveBack(Entry e) throws SQLException {
    if (!e.inUse) {
      return;
    }
    e.inUse = false;
    e.statement.clearParameters();
  }

  private synchronized PreparedStatement prepare(String sql) throws SQLException {
    Entry e = kept.get(sql);
    if (e == null && kept.size() < MAX) {
      e = new Entry(target.prepareStatement(sql));
      kept.put(sql, e);
    }
    if (e == null || e.inUse) {
      return target.prepareStatement(sql);
    }
    e.inUse = true;
    return e.proxy;
  }

  private synchronized void closeAll() throws SQLException {
    SQLException failure = null;
    for (Entry e : kept.values()) {
      try {
        e.statement.close();
      } catch (SQLException x) {
        failure = x;
      }
    }
    kept.clear();
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public Object invoke(Object self, Method method, Object[] args) throws Throwable {
    switch (method.getName()) {
      case "prepareStatement" -> {
        if (method.getParameterCount() == 1) {
          return prepare((String) args[0]);
        }
      }
      case "close" -> {
        try {
          closeAll();
        } finally {
          target.close();
        }
        return null;
      }
      case "equals" -> {
        return self == args[0];
      }
      case "hashCode" -> {
        return System.identityHashCode(self);
      }
      default -> {}
    }
    return call(target, method, args);
  }

  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
