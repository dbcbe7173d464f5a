package io.custos.collector.store.sqlite;

import io.custos.collector.store.AlertTx;
import io.custos.collector.store.HostRemoval;
import io.custos.collector.store.IngestHook;
import io.custos.collector.store.IngestResult;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Store;
import io.custos.collector.store.StoreException;
import io.custos.collector.store.history.HistoryRetention;
import io.custos.collector.store.history.SeriesIdCache;
import io.custos.collector.store.history.SqlRunner;
import io.custos.collector.store.jdbc.JdbcMigrations;
import io.custos.collector.store.jdbc.JdbcStore;
import io.custos.collector.store.jdbc.StatementCache;
import io.custos.common.wire.Report;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The default {@link Store}: one SQLite file in WAL mode, nothing to install. The SQL is {@link
 * JdbcStore}'s; this class owns the file, its connections, locking and group commit.
 *
 * <p>Durability: every write is one {@code BEGIN IMMEDIATE … COMMIT} with {@code synchronous=FULL},
 * so the WAL is fsynced before {@link #ingest} returns and a report the HTTP layer then
 * acknowledges survives {@code kill -9} and a power cut. ({@code NORMAL} would survive {@code kill
 * -9} in WAL mode too but may lose the last commits on power loss; one fsync per report is cheap at
 * fleet scale.)
 *
 * <p>Concurrency: one writer connection and one reader connection, each guarded by its own lock.
 * WAL lets the reader see the last committed state while a write is in progress, so API reads never
 * wait for an ingest. Other processes (the {@code token} command) may use the file at the same
 * time; a busy timeout makes them wait for each other.
 *
 * <p>Schema: migrated by Flyway ({@code db/migration/sqlite}) on open, on connections of their own;
 * a file newer than this code is refused.
 *
 * <p>Failures: every SQL error becomes a {@link StoreException} naming the file and the operation;
 * the failed transaction is rolled back.
 */
public final class SqliteStore extends JdbcStore {
  private static final int BUSY_TIMEOUT_MS = 10_000;

  private final Path file;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final ReentrantLock readLock = new ReentrantLock();
  private final Connection writer;
  private final Connection reader;

  /** Series ids kept between reports; forgotten on a rollback, a host removal, another writer. */
  private final SeriesIdCache seriesIds = new SeriesIdCache(200_000);

  /** Prepared once on the writer connection, used only under {@link #writeLock}. */
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  /** {@link #cached} statements for the ingest path; caller holds the write lock. */
  private final Statements cachedStatements =
      new Statements() {
        @Override
        public <T> T with(String sql, StatementWork<T> work) throws SQLException {
          return work.run(cached(sql));
        }
      };

  /** Reports waiting to be written by the next group commit; guarded by itself. */
  private final ArrayDeque<PendingIngest> pending = new ArrayDeque<>();

  private Checkpointer checkpointer;
  private volatile boolean closed;

  private SqliteStore(
      Path file,
      Clock clock,
      StatePolicy policy,
      HistoryRetention retention,
      Connection writer,
      Connection reader) {
    super(file.toString(), clock, policy, retention);
    this.file = file;
    this.writer = writer;
    this.reader = reader;
    cacheSeriesIds(seriesIds);
  }

  /**
   * Opens with the default history retention; see {@link #open(Path, Clock, StatePolicy,
   * HistoryRetention)}.
   */
  public static SqliteStore open(Path file, Clock clock, StatePolicy policy) {
    return open(file, clock, policy, HistoryRetention.DEFAULT);
  }

  /**
   * Opens (creating the file and its parent directories if needed) and migrates the database.
   *
   * @throws StoreException naming the path when the directory cannot be created, the file is not an
   *     SQLite database, or its schema is newer than this code
   */
  public static SqliteStore open(
      Path file, Clock clock, StatePolicy policy, HistoryRetention retention) {
    Path absolute = file.toAbsolutePath();
    Path dir = absolute.getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      try {
        Files.createDirectories(dir);
      } catch (IOException e) {
        throw new StoreException(
            "cannot create directory " + dir + " for the store " + absolute + ": " + e, e);
      }
    }
    createPrivate(absolute);
    Connection writer = null;
    Connection reader = null;
    try {
      // Statements kept prepared: the ingest path runs the same few dozen for every report.
      writer = StatementCache.wrap(connect(absolute));
      try (Statement st = writer.createStatement()) {
        String mode = pragma(st, "PRAGMA journal_mode=WAL");
        if (!"wal".equalsIgnoreCase(mode)) {
          throw new StoreException(
              "cannot switch " + absolute + " to WAL mode (journal_mode is " + mode + ")");
        }
        st.execute("PRAGMA synchronous=FULL");
        // Checkpoints run in the background (see Checkpointer), not inside an ingest's commit.
        st.execute("PRAGMA wal_autocheckpoint=0");
        st.execute("PRAGMA journal_size_limit=67108864");
      }
      SQLiteDataSource migrations = new SQLiteDataSource(config());
      migrations.setUrl("jdbc:sqlite:" + absolute);
      JdbcMigrations.migrate(migrations, "sqlite", absolute.toString());
      reader = connect(absolute);
      try (Statement st = reader.createStatement()) {
        st.execute("PRAGMA query_only=ON");
      }
      SqliteStore store = new SqliteStore(absolute, clock, policy, retention, writer, reader);
      store.checkpointer =
          Checkpointer.start(connect(absolute), absolute.toString(), store.writeLock);
      return store;
    } catch (SQLException | RuntimeException e) {
      closeQuietly(reader, e);
      closeQuietly(writer, e);
      if (e instanceof StoreException se) {
        throw se;
      }
      throw new StoreException("cannot open store " + absolute + ": " + e.getMessage(), e);
    }
  }

  /**
   * Creates a missing database file with mode 0600 before SQLite opens it: SQLite then gives its
   * {@code -wal} and {@code -shm} files the database file's mode, so none of the three is ever
   * readable by other users, whichever command (run, token, host) created it and whatever the
   * umask. An existing file keeps the mode the operator gave it.
   */
  private static void createPrivate(Path file) {
    if (Files.exists(file)) {
      return;
    }
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      // another process created it first; it does the same
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: SQLite creates it
    } catch (IOException e) {
      throw new StoreException("cannot create the store " + file + ": " + e, e);
    }
  }

  private static Connection connect(Path file) throws SQLException {
    return config().createConnection("jdbc:sqlite:" + file);
  }

  /** Every connection: wait up to {@value #BUSY_TIMEOUT_MS} ms for another writer, foreign keys. */
  private static SQLiteConfig config() {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.enforceForeignKeys(true);
    return config;
  }

  private static String pragma(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  private static void closeQuietly(Connection c, Exception primary) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        primary.addSuppressed(e);
      }
    }
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  /**
   * Stores one report. Reports arriving at the same time from several HTTP workers share one
   * transaction and one fsync (group commit): whichever caller holds the write lock writes every
   * report queued so far, each under its own savepoint so a failing one is rolled back alone, and
   * commits once; every caller returns only after the commit that holds its report. {@code hook}
   * runs inside the report's savepoint after its results are stored: a hook that throws rolls back
   * that report alone (the others of the same group commit are kept) and its caller gets the
   * failure as a {@link StoreException}.
   */
  @Override
  public IngestResult ingest(Report report, IngestHook hook) {
    PendingIngest mine = new PendingIngest(report, hook, clock.millis());
    synchronized (pending) {
      pending.add(mine);
    }
    writeLock.lock();
    try {
      if (!mine.done) {
        List<PendingIngest> batch;
        synchronized (pending) {
          batch = new ArrayList<>(pending);
          pending.clear();
        }
        writeBatch(batch);
      }
    } finally {
      writeLock.unlock();
    }
    if (mine.failure != null) {
      throw mine.failure;
    }
    return mine.result;
  }

  /** A report waiting for a group commit, and what became of it. */
  private static final class PendingIngest {
    final Report report;
    final IngestHook hook;
    final long received;
    IngestResult result;
    RuntimeException failure;
    boolean done;

    PendingIngest(Report report, IngestHook hook, long received) {
      this.report = report;
      this.hook = hook;
      this.received = received;
    }

    String what() {
      return "store report " + report.node() + " seq " + report.seq();
    }
  }

  private void writeBatch(List<PendingIngest> batch) {
    boolean committed = false;
    try {
      requireOpen();
      Transactions.write(
          writer,
          () -> {
            seriesIds.validate(writer);
            for (PendingIngest p : batch) {
              savepoint("SAVEPOINT report");
              try {
                p.result = ingest(writer, p.report, p.hook, p.received);
                savepoint("RELEASE report");
              } catch (SQLException e) {
                seriesIds.clear();
                savepoint("ROLLBACK TO report");
                savepoint("RELEASE report");
                p.failure =
                    new StoreException(
                        "cannot " + p.what() + " in " + file + ": " + e.getMessage(), e);
              } catch (RuntimeException e) {
                // A StoreException, or the ingest hook's own failure: its caller gets it as
                // thrown, as with a transaction of its own.
                seriesIds.clear();
                savepoint("ROLLBACK TO report");
                savepoint("RELEASE report");
                p.failure = e;
              }
            }
            return null;
          });
      committed = true;
    } catch (SQLException | StoreException e) {
      for (PendingIngest p : batch) {
        p.result = null;
        p.failure =
            e instanceof StoreException se
                ? se
                : new StoreException(
                    "cannot " + p.what() + " in " + file + ": " + e.getMessage(), e);
      }
    } finally {
      if (!committed) {
        seriesIds.clear(); // ids of series created in the rolled back transaction
      }
      for (PendingIngest p : batch) {
        p.done = true;
      }
    }
  }

  private void savepoint(String sql) throws SQLException {
    try (PreparedStatement st = writer.prepareStatement(sql)) {
      st.execute();
    }
  }

  /** A statement of the ingest path, prepared once; caller holds the write lock. */
  private PreparedStatement cached(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = writer.prepareStatement(sql);
      statements.put(sql, ps);
    }
    ps.clearParameters();
    return ps;
  }

  /** The ingest path runs only on the writer, under the write lock: its statements are reused. */
  @Override
  protected Statements statements(Connection c) {
    return cachedStatements;
  }

  /** With one writer the transaction is the lock: the alert engine needs no row locks. */
  @Override
  protected AlertTx alertTx(Connection c) {
    return new SqliteAlertTx(c, () -> hostsIn(c, null));
  }

  /** One writer at a time: no row locks. */
  @Override
  protected String forUpdate() {
    return "";
  }

  @Override
  public long sizeBytes() {
    long total = 0;
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      try {
        total += Files.size(Path.of(file + suffix));
      } catch (IOException e) {
        // -wal and -shm exist only while the database is open; a missing one counts as 0.
      }
    }
    return total;
  }

  @Override
  public String describe() {
    return "sqlite " + file;
  }

  @Override
  public void close() {
    writeLock.lock();
    readLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (checkpointer != null) {
        checkpointer.close();
      }
      for (PreparedStatement ps : statements.values()) {
        try {
          ps.close();
        } catch (SQLException e) {
          // the connection is closed next anyway
        }
      }
      StoreException failure = null;
      for (Connection c : List.of(reader, writer)) {
        try {
          c.close();
        } catch (SQLException e) {
          failure = new StoreException("cannot close store " + file + ": " + e.getMessage(), e);
        }
      }
      if (failure != null) {
        throw failure;
      }
    } finally {
      readLock.unlock();
      writeLock.unlock();
    }
  }

  @Override
  protected <T> T write(String what, SqlRunner.Work<T> work) {
    writeLock.lock();
    try {
      requireOpen();
      return Transactions.write(writer, () -> work.run(writer));
    } catch (SQLException e) {
      throw new StoreException("cannot " + what + " in " + file + ": " + e.getMessage(), e);
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  protected <T> T read(String what, SqlRunner.Work<T> work) {
    readLock.lock();
    try {
      requireOpen();
      return work.run(reader);
    } catch (SQLException e) {
      throw new StoreException("cannot " + what + " in " + file + ": " + e.getMessage(), e);
    } finally {
      readLock.unlock();
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new StoreException("store " + file + " is closed");
    }
  }

  /** As the shared removal, forgetting the cached series ids (the host's series are gone). */
  @Override
  public Optional<HostRemoval> removeHost(String host, boolean history) {
    try {
      return super.removeHost(host, history);
    } finally {
      seriesIds.clear();
    }
  }
}
