package io.custos.bench;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.File;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;

/**
 * Starts an embedded PostgreSQL for the benchmark, also as root (PostgreSQL refuses root, so {@code
 * initdb} and {@code pg_ctl} are wrapped to run as {@code nobody}). Same approach as the
 * collector's test helper {@code EmbeddedPostgresServer}.
 */
final class EmbeddedPg {
  private EmbeddedPg() {}

  static EmbeddedPostgres start() throws Exception {
    EmbeddedPostgres.Builder b =
        EmbeddedPostgres.builder()
            // The benchmark measures durable commits, as in production.
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("shared_buffers", "256MB");
    if ("root".equals(System.getProperty("user.name"))) {
      File work = new File(System.getProperty("java.io.tmpdir"), "custos-embedded-pg");
      work.mkdirs();
      Method m =
          EmbeddedPostgres.class.getDeclaredMethod(
              "prepareBinaries", PgBinaryResolver.class, File.class);
      m.setAccessible(true);
      File pgDir = (File) m.invoke(null, DefaultPostgresBinaryResolver.INSTANCE, work);
      wrap(new File(pgDir, "bin/initdb"));
      wrap(new File(pgDir, "bin/pg_ctl"));
      b.setOverrideWorkingDirectory(work);
    }
    return b.start();
  }

  /** Creates database {@code name} and returns its JDBC URL. */
  static String database(EmbeddedPostgres pg, String name) throws Exception {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    return pg.getJdbcUrl("postgres", name);
  }

  private static void wrap(File binary) throws Exception {
    Path real = Path.of(binary.getPath() + ".real");
    if (Files.exists(real)) {
      return;
    }
    Files.move(binary.toPath(), real);
    Files.writeString(
        binary.toPath(),
        """
        #!/bin/sh
        real="$0.real"
        if [ "$(id -u)" != 0 ]; then exec "$real" "$@"; fi
        prev=""
        for a in "$@"; do
          if [ "$prev" = "-D" ]; then chown -R nobody "$a"; fi
          prev="$a"
        done
        exec setpriv --reuid=nobody --regid=nogroup --clear-groups "$real" "$@"
        """);
    Files.setPosixFilePermissions(binary.toPath(), PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
