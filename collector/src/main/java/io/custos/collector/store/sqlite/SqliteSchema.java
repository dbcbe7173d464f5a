package io.custos.collector.store.sqlite;

import io.custos.collector.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Versioned schema migrations. Each migration is an SQL resource under {@code migrations/}, applied
 * in its own transaction together with its row in {@code schema_version}, so a crash mid-way leaves
 * the previous version intact and running the migrations again is a no-op. A database whose version
 * is newer than this code is refused rather than written to.
 */
final class SqliteSchema {
  /** Ordered; append only, never edit a released migration. */
  static final List<Migration> MIGRATIONS =
      List.of(
          new Migration(1, "initial schema", "migrations/V1__initial.sql"),
          new Migration(2, "metric history", "migrations/V2__history.sql"),
          new Migration(3, "alert engine", "migrations/V3__alerts.sql"),
          new Migration(4, "backup catalog", "migrations/V4__backups.sql"),
          new Migration(5, "operations", "migrations/V5__operations.sql"),
          new Migration(6, "restore role", "migrations/V6__restore_role.sql"));

  record Migration(int version, String description, String resource) {}

  private SqliteSchema() {}

  /** The newest version this code knows. */
  static int latest() {
    return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
  }

  /**
   * Brings the database to {@link #latest()}. Each step re-reads the version inside its write
   * transaction, so two processes starting at once apply every migration exactly once.
   *
   * @param name the database as named in errors
   * @return the number of migrations applied
   * @throws StoreException when the database is newer than this code
   */
  static int migrate(Connection db, String name, long now) throws SQLException {
    try (Statement st = db.createStatement()) {
      st.executeUpdate(
          "CREATE TABLE IF NOT EXISTS schema_version ("
              + "version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL, "
              + "applied INTEGER NOT NULL)");
    }
    requireKnown(current(db), name);
    int applied = 0;
    for (Migration m : MIGRATIONS) {
      boolean ran =
          Transactions.write(
              db,
              () -> {
                int current = current(db);
                requireKnown(current, name);
                if (m.version() <= current) {
                  return false;
                }
                try (Statement st = db.createStatement()) {
                  for (String sql : statements(m)) {
                    st.executeUpdate(sql);
                  }
                }
                try (PreparedStatement ps =
                    db.prepareStatement(
                        "INSERT INTO schema_version (version, description, applied) "
                            + "VALUES (?, ?, ?)")) {
                  ps.setInt(1, m.version());
                  ps.setString(2, m.description());
                  ps.setLong(3, now);
                  ps.executeUpdate();
                }
                return true;
              });
      applied += ran ? 1 : 0;
    }
    return applied;
  }

  private static void requireKnown(int current, String name) {
    if (current > latest()) {
      throw new StoreException(
          name
              + " has schema version "
              + current
              + ", newer than version "
              + latest()
              + " that this custos-collector knows; run a newer custos-collector");
    }
  }

  /** The version recorded in {@code schema_version}, 0 for an empty database. */
  static int current(Connection db) throws SQLException {
    try (Statement st = db.createStatement();
        ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** The statements of a migration: whole-line comments dropped, split at a line-ending ';'. */
  static List<String> statements(Migration m) {
    String text;
    try (InputStream in = SqliteSchema.class.getResourceAsStream(m.resource())) {
      if (in == null) {
        throw new IllegalStateException("migration resource " + m.resource() + " is missing");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read migration " + m.resource(), e);
    }
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n")) {
      String t = line.strip();
      if (t.startsWith("--") || t.isEmpty()) {
        continue;
      }
      current.append(line).append('\n');
      if (t.endsWith(";")) {
        String sql = current.toString().strip();
        out.add(sql.substring(0, sql.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      throw new IllegalStateException(
          "migration " + m.resource() + " ends without ';' after: " + current.toString().strip());
    }
    return out;
  }
}
