package io.custos.collector.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A database as custos-collector left it before Flyway: the migrations applied by the old {@code
 * SqliteSchema} / {@code PostgresSchema} runners (removed in the commit that brought Flyway), which
 * split each SQL resource at line-ending semicolons, dropped whole-line comments, and recorded
 * every version in a {@code schema_version} table of their own. Kept word for word so the upgrade
 * tests start from the exact state those runners wrote.
 */
public final class LegacySchema {
  /** The old runners' descriptions of the migrations they knew, by version. */
  private static final List<String> DESCRIPTIONS =
      List.of("initial schema", "metric history", "alert engine", "backup catalog", "operations");

  private LegacySchema() {}

  /**
   * Applies migrations 1 to {@code upTo} of {@code dialect} ({@code sqlite} or {@code postgresql})
   * on {@code c} (auto-commit) and records them in {@code schema_version} as the old runner did,
   * with {@code extraVersion} (above 0) recorded too, as a newer collector would have.
   */
  public static void create(Connection c, String dialect, int upTo, int extraVersion, long now)
      throws SQLException {
    try (Statement st = c.createStatement()) {
      st.executeUpdate(
          "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY,"
              + " description TEXT NOT NULL, applied "
              + (dialect.equals("sqlite") ? "INTEGER" : "BIGINT")
              + " NOT NULL)");
      List<String> scripts = scripts(dialect);
      for (int version = 1; version <= upTo; version++) {
        String script = scripts.get(version - 1);
        for (String sql : statements("/db/migration/" + dialect + "/" + script)) {
          st.executeUpdate(sql);
        }
        String description =
            version <= DESCRIPTIONS.size()
                ? DESCRIPTIONS.get(version - 1)
                : script.substring(script.indexOf("__") + 2, script.length() - 4).replace('_', ' ');
        record(c, version, description, now);
      }
    }
    if (extraVersion > 0) {
      record(c, extraVersion, "from the future", now);
    }
  }

  /**
   * The migration scripts of {@code dialect} on the classpath ({@code V<n>__<name>.sql}), by
   * version: element {@code n - 1} is version {@code n}.
   */
  public static List<String> scripts(String dialect) {
    try {
      URL dir = LegacySchema.class.getResource("/db/migration/" + dialect);
      try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
        return files
            .map(f -> f.getFileName().toString())
            .filter(f -> f.matches("V\\d+__.*\\.sql"))
            .sorted(Comparator.comparingInt(f -> Integer.parseInt(f.substring(1, f.indexOf("__")))))
            .toList();
      }
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException("cannot list the migrations of " + dialect, e);
    }
  }

  private static void record(Connection c, int version, String description, long now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO schema_version (version, description, applied) VALUES (?, ?, ?)")) {
      ps.setInt(1, version);
      ps.setString(2, description);
      ps.setLong(3, now);
      ps.executeUpdate();
    }
  }

  /** The old runners' splitter: whole-line comments dropped, split at a line-ending ';'. */
  private static List<String> statements(String resource) {
    String text;
    try (InputStream in = LegacySchema.class.getResourceAsStream(resource)) {
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
