package io.custos.collector.store.jdbc;

import io.custos.collector.store.StoreException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a store's schema to the newest version with <a
 * href="https://documentation.red-gate.com/flyway">Flyway</a>: the versioned SQL resources under
 * {@code db/migration/<dialect>} ({@code V<n>__<name>.sql}, append-only, never edited once
 * released), applied in order, each in its own transaction, recorded in {@code
 * flyway_schema_history}.
 *
 * <p>A database created by custos-collector before Flyway kept its version in a {@code
 * schema_version} table; such a database is baselined at the highest version recorded there, so no
 * migration it already has runs again (the old table is left as it was). A database whose version,
 * in either table, is newer than the newest migration of this code is refused with a {@link
 * StoreException} naming it, rather than written to.
 *
 * <p>Several processes may migrate one database at once (collectors sharing one PostgreSQL, the
 * {@code token} command beside a starting collector): PostgreSQL serializes them with Flyway's
 * advisory lock; for SQLite a migration that lost the race to another process is retried once, when
 * it finds the work done.
 */
public final class JdbcMigrations {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcMigrations.class);
  private static final String LEGACY_TABLE = "schema_version";

  private JdbcMigrations() {}

  /**
   * Migrates the database behind {@code db}.
   *
   * @param dialect the folder under {@code db/migration}: {@code sqlite} or {@code postgresql}
   * @param name the database as named in errors (a file or a URL without password)
   * @return the number of migrations applied
   * @throws StoreException naming {@code name} when the schema is newer than this code or a
   *     migration fails
   */
  public static int migrate(DataSource db, String dialect, String name) {
    try {
      int legacy = legacyVersion(db);
      Flyway flyway = configure(db, dialect, legacy);
      requireKnown(flyway.info(), legacy, name);
      MigrateResult result;
      try {
        result = flyway.migrate();
      } catch (FlywayException e) {
        // Another process may have applied the same migration first; a second run finds it done.
        result = flyway.migrate();
      }
      if (result.migrationsExecuted > 0) {
        LOG.info(
            "{}: schema migrated from version {} to {} ({} migrations)",
            name,
            result.initialSchemaVersion == null ? "none" : result.initialSchemaVersion,
            result.targetSchemaVersion,
            result.migrationsExecuted);
      }
      return result.migrationsExecuted;
    } catch (SQLException | FlywayException e) {
      throw new StoreException("cannot migrate the schema of " + name + ": " + e.getMessage(), e);
    }
  }

  private static Flyway configure(DataSource db, String dialect, int legacyVersion) {
    var config =
        Flyway.configure(JdbcMigrations.class.getClassLoader())
            .dataSource(db)
            .locations("classpath:db/migration/" + dialect)
            .failOnMissingLocations(true);
    if (legacyVersion >= 0) {
      config
          .baselineOnMigrate(true)
          .baselineVersion(Integer.toString(legacyVersion))
          .baselineDescription("schema_version " + legacyVersion + " of custos-collector");
    }
    return config.load();
  }

  /** Refuses a database whose applied or legacy version is above the newest migration here. */
  private static void requireKnown(MigrationInfoService info, int legacy, String name) {
    MigrationVersion newest = MigrationVersion.EMPTY;
    for (MigrationInfo m : info.all()) {
      if (m.getVersion() != null && m.getState().isResolved()) {
        newest = m.getVersion().compareTo(newest) > 0 ? m.getVersion() : newest;
      }
    }
    MigrationVersion current =
        legacy >= 0
            ? MigrationVersion.fromVersion(Integer.toString(legacy))
            : info.current() == null ? null : info.current().getVersion();
    if (current != null && current.compareTo(newest) > 0) {
      throw new StoreException(
          name
              + " has schema version "
              + current.getVersion()
              + ", newer than version "
              + newest.getVersion()
              + " that this custos-collector knows; run a newer custos-collector");
    }
  }

  /**
   * The highest version in a pre-Flyway {@code schema_version} table, or -1 when there is none or
   * Flyway already keeps the history.
   */
  private static int legacyVersion(DataSource db) throws SQLException {
    try (Connection c = db.getConnection()) {
      if (!hasTable(c, LEGACY_TABLE) || hasTable(c, "flyway_schema_history")) {
        return -1;
      }
      int version;
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(version), 0) FROM " + LEGACY_TABLE)) {
        rs.next();
        version = rs.getInt(1);
      }
      if (!c.getAutoCommit()) {
        c.rollback();
      }
      return version;
    }
  }

  private static boolean hasTable(Connection c, String table) throws SQLException {
    DatabaseMetaData meta = c.getMetaData();
    try (ResultSet rs = meta.getTables(null, c.getSchema(), table, new String[] {"TABLE"})) {
      return rs.next();
    }
  }
}
