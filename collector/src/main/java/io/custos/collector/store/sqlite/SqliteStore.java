package io.custos.collector.store.sqlite;

import io.custos.collector.store.AlertTx;
import io.custos.collector.store.BackupPage;
import io.custos.collector.store.BackupRecord;
import io.custos.collector.store.EventRecord;
import io.custos.collector.store.HostRecord;
import io.custos.collector.store.HostRemoval;
import io.custos.collector.store.IngestHook;
import io.custos.collector.store.IngestResult;
import io.custos.collector.store.Role;
import io.custos.collector.store.ServiceRecord;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Store;
import io.custos.collector.store.StoreException;
import io.custos.collector.store.TokenOwner;
import io.custos.collector.store.TokenRecord;
import io.custos.collector.store.history.HistoryRetention;
import io.custos.collector.store.history.JdbcHistory;
import io.custos.collector.store.history.MetricHistory;
import io.custos.collector.store.history.SeriesIdCache;
import io.custos.collector.store.history.SqlRunner;
import io.custos.collector.store.jdbc.JdbcOperations;
import io.custos.collector.store.jdbc.JdbcRows;
import io.custos.collector.store.jdbc.StatementCache;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Report;
import io.custos.common.wire.Status;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
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
import java.util.function.Function;

/**
 * The default {@link Store}: one SQLite file in WAL mode, nothing to install.
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
 * <p>Failures: every SQL error becomes a {@link StoreException} naming the file and the operation;
 * the failed transaction is rolled back.
 */
public final class SqliteStore implements Store {
  private static final int BUSY_TIMEOUT_MS = 10_000;

  private final Path file;
  private final Clock clock;
  private final StatePolicy policy;
  private final JdbcRows rows;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final ReentrantLock readLock = new ReentrantLock();
  private final SqliteAlertTx alertTx;
  private final Connection writer;
  private final Connection reader;
  private final JdbcHistory history;

  /** Series ids kept between reports; forgotten on a rollback, a host removal, another writer. */
  private final SeriesIdCache seriesIds = new SeriesIdCache(200_000);

  /** Prepared once on the writer connection, used only under {@link #writeLock}. */
  private final Map<String, PreparedStatement> statements = new HashMap<>();

  /** {@link #cached} statements for {@link JdbcRows}; caller holds the write lock. */
  private final JdbcRows.Statements cachedStatements =
      new JdbcRows.Statements() {
        @Override
        public <T> T with(String sql, JdbcRows.StatementWork<T> work) throws SQLException {
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
    this.file = file;
    this.clock = clock;
    this.policy = policy;
    this.rows = new JdbcRows(file.toString());
    this.writer = writer;
    this.reader = reader;
    this.history = new JdbcHistory(new Runner(), clock, retention);
    this.history.cacheSeriesIds(seriesIds);
    this.alertTx = new SqliteAlertTx(writer, this::hosts0);
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
      SqliteSchema.migrate(writer, absolute.toString(), clock.millis());
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
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT_MS);
      st.execute("PRAGMA foreign_keys=ON");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
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
   * commits once; every caller returns only after the commit that holds its report.
   */
  @Override
  public IngestResult ingest(Report report) {
    return ingest(report, IngestHook.NONE);
  }

  @Override
  public <T> T alerts(Function<AlertTx, T> work) {
    return write("update alert state", () -> work.apply(alertTx));
  }

  /**
   * As {@link #ingest(Report)}, running {@code hook} inside the report's savepoint after its
   * results are stored: a hook that throws rolls back that report alone (the others of the same
   * group commit are kept) and its caller gets the failure as a {@link StoreException}.
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
                p.result = ingestOne(p.report, p.hook, p.received);
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

  private IngestResult ingestOne(Report report, IngestHook hook, long now) throws SQLException {
    if (!insertReport(report, now)) {
      return new IngestResult(false, report.seq());
    }
    boolean late = upsertHost(report, now).isLate(report.seq());
    JdbcRows.insertBackups(cachedStatements, report, now);
    history.append(writer, report, now);
    List<CheckResult> applied = new ArrayList<>();
    for (CheckResult result : report.results()) {
      if (!late && rows.applyResult(cachedStatements, report.node(), result, policy, "")) {
        applied.add(result);
      }
    }
    hook.ingested(report, applied, alertTx);
    return new IngestResult(true, report.seq());
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

  private boolean insertReport(Report r, long now) throws SQLException {
    {
      PreparedStatement ps =
          cached(
              "INSERT OR IGNORE INTO reports (node, seq, received, sent, results) "
                  + "VALUES (?, ?, ?, ?, ?)");
      JdbcRows.bindReport(ps, r, now);
      return ps.executeUpdate() == 1;
    }
  }

  private JdbcRows.HostPrior upsertHost(Report r, long now) throws SQLException {
    JdbcRows.HostPrior prior;
    {
      PreparedStatement ps = cached(JdbcRows.SELECT_HOST_PRIOR);
      ps.setString(1, r.node());
      try (ResultSet rs = ps.executeQuery()) {
        prior = JdbcRows.hostPrior(rs, policy, now);
      }
    }
    {
      PreparedStatement ps =
          cached(
              "INSERT INTO hosts (name, agent, tags, interval_s, first_seen, last_report, up_since,"
                  + " last_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
                  + " agent = excluded.agent, tags = excluded.tags, interval_s ="
                  + " excluded.interval_s, last_report = excluded.last_report, up_since ="
                  + " excluded.up_since, last_seq = MAX(last_seq, excluded.last_seq)");
      rows.bindHost(ps, r, now, prior.upSince());
      ps.executeUpdate();
    }
    return prior;
  }

  @Override
  public List<HostRecord> hosts() {
    return read("list hosts", () -> hosts(reader));
  }

  /** Hosts read on the writer connection, inside the current write transaction. */
  private List<HostRecord> hosts0() {
    try {
      return hosts(writer);
    } catch (SQLException e) {
      throw new StoreException("cannot list hosts in " + file + ": " + e.getMessage(), e);
    }
  }

  private List<HostRecord> hosts(Connection db) throws SQLException {
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery(JdbcRows.SELECT_HOSTS + " ORDER BY name")) {
      return rows.hosts(rs);
    }
  }

  @Override
  public List<ServiceRecord> services(String host) {
    return read(
        "list services",
        () -> {
          try (PreparedStatement ps =
              reader.prepareStatement(
                  JdbcRows.SELECT_SERVICES
                      + " WHERE ?1 IS NULL OR host = ?1 ORDER BY host, service")) {
            ps.setString(1, host);
            try (ResultSet rs = ps.executeQuery()) {
              return rows.services(rs);
            }
          }
        });
  }

  @Override
  public List<EventRecord> events(String host, long since) {
    return read(
        "list events",
        () -> {
          try (PreparedStatement ps =
              reader.prepareStatement(
                  JdbcRows.SELECT_EVENTS
                      + " WHERE (?1 IS NULL OR host = ?1) AND time >= ?2 ORDER BY time, id")) {
            ps.setString(1, host);
            ps.setLong(2, since);
            try (ResultSet rs = ps.executeQuery()) {
              return JdbcRows.events(rs);
            }
          }
        });
  }

  @Override
  public BackupPage backups(String node, String set, Status result, int limit, int offset) {
    String where =
        " FROM backups WHERE (?1 IS NULL OR node = ?1) AND (?2 IS NULL OR backup_set = ?2)"
            + " AND (?3 IS NULL OR result = ?3)";
    String status = result == null ? null : result.name();
    return read(
        "list backups",
        () -> {
          List<BackupRecord> out;
          try (PreparedStatement ps =
              reader.prepareStatement(
                  JdbcRows.SELECT_BACKUPS
                      + where
                      + " ORDER BY started DESC, id DESC LIMIT ?4 OFFSET ?5")) {
            ps.setString(1, node);
            ps.setString(2, set);
            ps.setString(3, status);
            ps.setInt(4, limit);
            ps.setInt(5, offset);
            try (ResultSet rs = ps.executeQuery()) {
              out = JdbcRows.backups(rs);
            }
          }
          try (PreparedStatement ps = reader.prepareStatement("SELECT COUNT(*)" + where)) {
            ps.setString(1, node);
            ps.setString(2, set);
            ps.setString(3, status);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return new BackupPage(out, rs.getInt(1));
            }
          }
        });
  }

  @Override
  public void addToken(String sha256Hex, Role role, String node) {
    new TokenOwner(role, node);
    long now = clock.millis();
    write(
        "add a " + role.id() + " token",
        () -> {
          try (PreparedStatement ps = writer.prepareStatement(JdbcRows.INSERT_TOKEN)) {
            JdbcRows.bindToken(ps, sha256Hex, node, role, now);
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public Optional<TokenOwner> findToken(String sha256Hex) {
    return read(
        "look up a token",
        () -> {
          try (PreparedStatement ps = reader.prepareStatement(JdbcRows.SELECT_TOKEN)) {
            ps.setString(1, sha256Hex);
            try (ResultSet rs = ps.executeQuery()) {
              return JdbcRows.token(rs);
            }
          }
        });
  }

  @Override
  public List<TokenRecord> tokens() {
    return read("list tokens", () -> JdbcOperations.tokens(reader));
  }

  @Override
  public void touchToken(String sha256Hex, long when) {
    write(
        "record a token's use",
        () -> {
          JdbcOperations.touchToken(writer, sha256Hex, when);
          return null;
        });
  }

  @Override
  public List<TokenRecord> revokeToken(String idPrefix) {
    return write("revoke a token", () -> JdbcOperations.revokeToken(writer, idPrefix));
  }

  @Override
  public Optional<HostRemoval> removeHost(String host, boolean history) {
    try {
      return write("remove host " + host, () -> JdbcOperations.removeHost(writer, host, history));
    } finally {
      seriesIds.clear();
    }
  }

  @Override
  public MetricHistory history() {
    return history;
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

  /** Gives {@link JdbcHistory} this store's connections, locks and error messages. */
  private final class Runner implements SqlRunner {
    @Override
    public <T> T write(String what, SqlRunner.Work<T> work) {
      return SqliteStore.this.write(what, () -> work.run(writer));
    }

    @Override
    public <T> T read(String what, SqlRunner.Work<T> work) {
      return SqliteStore.this.read(what, () -> work.run(reader));
    }
  }

  @Override
  public void ping() {
    read(
        "check the schema",
        () -> {
          try (Statement st = reader.createStatement();
              ResultSet rs = st.executeQuery("SELECT MAX(version) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
          }
        });
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

  private <T> T write(String what, Transactions.Work<T> work) {
    writeLock.lock();
    try {
      requireOpen();
      return Transactions.write(writer, work);
    } catch (SQLException e) {
      throw new StoreException("cannot " + what + " in " + file + ": " + e.getMessage(), e);
    } finally {
      writeLock.unlock();
    }
  }

  private <T> T read(String what, Transactions.Work<T> work) {
    readLock.lock();
    try {
      requireOpen();
      return work.run();
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
}
