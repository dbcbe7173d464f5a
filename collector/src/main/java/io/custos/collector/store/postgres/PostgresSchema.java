package io.custos.collector.store.postgres;

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
 * Versioned schema migrations for PostgreSQL, SQL resources under {@code migrations/} numbered like
 * the SQLite ones. Each runs in one transaction holding a transaction-level advisory lock, so
 * several collectors starting at once against one database apply each migration exactly once. A
 * database newer than this code is refused.
 */
final class PostgresSchema {
  /** Ordered; append only, never edit a released migration. */
  static final List<String[]> MIGRATIONS =
      List.of(
          new String[] {"1", "initial schema", "migrations/V1__initial.sql"},
          new String[] {"2", "metric history", "migrations/V2__history.sql"},
          new String[] {"3", "alert engine", "migrations/V3__alerts.sql"},
          new String[] {"4", "backup catalog", "migrations/V4__backups.sql"},
          new String[] {"5", "operations", "migrations/V5__operations.sql"},
          new String[] {"6", "restore role", "migrations/V6__restore_role.sql"});

  /** Arbitrary key of the advisory lock that serializes migrations ("custos" in ASCII). */
  private static final long LOCK_KEY = 0x637573746f73L;

  private PostgresSchema() {}

  static int latest() {
    return Integer.parseInt(MIGRATIONS.get(MIGRATIONS.size() - 1)[0]);
  }

  /** Brings the database to {@link #latest()}; {@code c} must not be in auto-commit mode. */
  static void migrate(Connection c, String name, long now) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
      st.execute(
          "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY,"
              + " description TEXT NOT NULL, applied BIGINT NOT NULL)");
      int current;
      try (ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
        rs.next();
        current = rs.getInt(1);
      }
      if (current > latest()) {
        throw new StoreException(
            name
                + " has schema version "
                + current
                + ", newer than version "
                + latest()
                + " that this custos-collector knows; run a newer custos-collector");
      }
      for (String[] m : MIGRATIONS) {
        int version = Integer.parseInt(m[0]);
        if (version <= current) {
          continue;
        }
        for (String sql : statements(m[2])) {
          st.executeUpdate(sql);
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO schema_version (version, description, applied) VALUES (?, ?, ?)")) {
          ps.setInt(1, version);
          ps.setString(2, m[1]);
          ps.setLong(3, now);
          ps.executeUpdate();
        }
      }
    }
    c.commit();
  }

  static List<String> statements(String resource) {
    String text;
    try (InputStream in = PostgresSchema.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("migration resource " + resource + " is missing");
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read migration " + resource, e);
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
    return out;
  }
}
