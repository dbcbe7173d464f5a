package io.custos.collector.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.custos.collector.config.CollectorConfig;
import io.custos.collector.store.AlertTx;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Store;
import io.custos.collector.store.StoreException;
import io.custos.collector.store.history.HistoryRetention;
import io.custos.collector.store.history.JdbcHistory;
import io.custos.collector.store.history.SqlRunner;
import io.custos.collector.store.jdbc.JdbcMigrations;
import io.custos.collector.store.jdbc.JdbcStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.UUID;
import java.util.regex.Pattern;

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
 * <p>Connections: a fixed <a href="https://github.com/brettwooldridge/HikariCP">HikariCP</a> pool
 * of autocommit-off connections ({@code store.postgresql.pool_size}, default {@value
 * #DEFAULT_POOL_SIZE}); a broken one is evicted and replaced, and a transaction waits up to 30 s
 * for a free one. Every SQL error becomes a {@link StoreException} naming the database (the URL,
 * never the password) and the operation, after rolling back.
 */
public final class PostgresStore extends JdbcStore {
  /** Connections per collector when the configuration gives no {@code pool_size}. */
  public static final int DEFAULT_POOL_SIZE = CollectorConfig.PostgresSection.DEFAULT_POOL_SIZE;

  private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)([?&]password=)[^&]*");

  private final HikariDataSource pool;

  /** This store instance's name in outbox claims (see {@link PostgresAlertTx}). */
  private final String claimer = UUID.randomUUID().toString();

  private volatile boolean closed;

  private PostgresStore(
      String name,
      HikariDataSource pool,
      Clock clock,
      StatePolicy policy,
      HistoryRetention retention) {
    super(name, clock, policy, retention);
    this.pool = pool;
  }

  /**
   * Longest a request waits for a database connection, and for a new one to be made, in ms: below
   * the agent's 15 s request timeout.
   */
  static final long CONNECTION_TIMEOUT_MS = 5_000;

  /** Opens with {@value #DEFAULT_POOL_SIZE} connections; see the overload with a pool size. */
  public static PostgresStore open(
      String url,
      String user,
      String password,
      Clock clock,
      StatePolicy policy,
      HistoryRetention retention) {
    return open(url, user, password, DEFAULT_POOL_SIZE, clock, policy, retention);
  }

  /**
   * Connects, migrates the schema and fills the connection pool.
   *
   * @param url JDBC URL, {@code jdbc:postgresql://host[:port]/database}
   * @param user user name, or null
   * @param password password, or null
   * @param poolSize connections kept open, at least 1
   * @throws StoreException naming the URL (any {@code password} parameter masked) when the server
   *     cannot be reached or the schema is newer than this code
   */
  public static PostgresStore open(
      String url,
      String user,
      String password,
      int poolSize,
      Clock clock,
      StatePolicy policy,
      HistoryRetention retention) {
    String name = PASSWORD_PARAM.matcher(url).replaceAll("$1***");
    HikariConfig config = new HikariConfig();
    config.setPoolName("custos-postgresql");
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(poolSize);
    config.setAutoCommit(false);
    // With PostgreSQL down a request must fail before the agent's 15 s timeout, not wait out
    // HikariCP's default 30 s: it then answers 503 and the agent keeps the report in its spool.
    config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
    config.setValidationTimeout(Math.min(CONNECTION_TIMEOUT_MS - 1000, 3_000));
    config.addDataSourceProperty("connectTimeout", String.valueOf(CONNECTION_TIMEOUT_MS / 1000));
    config.addDataSourceProperty("ApplicationName", "custos-collector");
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new StoreException("cannot open store " + name + ": " + cause.getMessage(), e);
    }
    try {
      JdbcMigrations.migrate(pool, "postgresql", name);
      return new PostgresStore(name, pool, clock, policy, retention);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /** Prepares each statement on {@code c} and closes it after use. */
  @Override
  protected Statements statements(Connection c) {
    return new Statements() {
      @Override
      public <T> T with(String sql, StatementWork<T> work) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          return work.run(ps);
        }
      }
    };
  }

  @Override
  protected AlertTx alertTx(Connection c) {
    return new PostgresAlertTx(
        c, claimer, () -> hostsIn(c, null), host -> hostsIn(c, host).stream().findFirst());
  }

  @Override
  protected String forUpdate() {
    return " FOR UPDATE";
  }

  @Override
  public long sizeBytes() {
    return read(
        "measure the database",
        c -> {
          try (Statement st = c.createStatement();
              ResultSet rs = st.executeQuery("SELECT pg_database_size(current_database())")) {
            return rs.next() ? rs.getLong(1) : 0L;
          }
        });
  }

  @Override
  public String describe() {
    return "postgresql " + name;
  }

  @Override
  public void close() {
    closed = true;
    pool.close();
  }

  @Override
  protected <T> T read(String what, SqlRunner.Work<T> work) {
    return write(what, work);
  }

  /**
   * Runs {@code work} in one transaction on a pooled connection: commit, or roll back and throw.
   */
  @Override
  protected <T> T write(String what, SqlRunner.Work<T> work) {
    if (closed) {
      throw new StoreException("store " + name + " is closed");
    }
    try (Connection c = pool.getConnection()) {
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        try {
          c.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot " + what + " in " + name + ": " + e.getMessage(), e);
    }
  }
}
