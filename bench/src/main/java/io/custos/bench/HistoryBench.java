package io.custos.bench;

import io.custos.collector.Collector;
import io.custos.collector.config.CollectorConfig;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Store;
import io.custos.collector.store.history.HistoryRetention;
import io.custos.collector.store.history.SeriesData;
import io.custos.collector.store.history.SeriesInfo;
import io.custos.collector.store.postgres.PostgresStore;
import io.custos.collector.store.sqlite.SqliteStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@code days} of history for {@code hosts} simulated agents through the store API with a
 * fake clock (maintenance every simulated hour, as the collector does every minute), then measures
 * bytes on disk per retained raw sample and the latency of a 7-day range query at 5-minute step,
 * through the store and over HTTP.
 */
final class HistoryBench {
  private HistoryBench() {}

  static void run(Args a) throws Exception {
    int days = a.integer("days", 8);
    int hosts = a.integer("hosts", 1);
    int metrics = a.integer("metrics", 200);
    int checks = a.integer("checks", 30);
    boolean pg = a.text("store", "sqlite").equals("postgresql");
    Path dir = Files.createDirectories(Path.of(a.text("dir", "target/bench-history")));
    Path db = dir.resolve("history.db");
    Files.deleteIfExists(db);
    Files.deleteIfExists(Path.of(db + "-wal"));
    Files.deleteIfExists(Path.of(db + "-shm"));

    long end = System.currentTimeMillis();
    long start = end - days * 86_400_000L;
    BenchClock clock = new BenchClock(start);
    StatePolicy policy = new StatePolicy(3, 3);
    EmbeddedPostgres server = pg ? EmbeddedPg.start() : null;
    String url = pg ? EmbeddedPg.database(server, "bench_history") : null;
    Store store =
        pg
            ? PostgresStore.open(url, "postgres", null, clock, policy, HistoryRetention.DEFAULT)
            : SqliteStore.open(db, clock, policy, HistoryRetention.DEFAULT);
    List<FakeAgent> agents = new ArrayList<>();
    for (int h = 0; h < hosts; h++) {
      agents.add(new FakeAgent(String.format("host%05d", h), checks, metrics, h));
    }
    System.out.printf(
        "history: %d host(s) x %d metrics, %d days at 10 s into %s%n",
        hosts, metrics, days, store.describe());
    long t0 = System.nanoTime();
    long reports = 0;
    long nextMaintenance = start + 3_600_000L;
    for (long t = start; t < end; t += 10_000) {
      clock.set(t);
      for (FakeAgent agent : agents) {
        store.ingest(agent.next(t));
        reports++;
      }
      if (t >= nextMaintenance) {
        store.history().maintain();
        nextMaintenance += 3_600_000L;
      }
    }
    clock.set(end);
    store.history().maintain();
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "  prefill: %,d reports, %,d samples in %.0f s: %,.0f samples/s through the store API%n",
        reports, reports * metrics, secs, reports * (double) metrics / secs);

    // 7-day range at 5-minute step through the store API.
    List<SeriesInfo> series = store.history().series(agents.get(0).node);
    Stats api = new Stats();
    int points = 0;
    for (int round = 0; round < 5; round++) {
      for (int i = 0; i < Math.min(40, series.size()); i++) {
        long q0 = System.nanoTime();
        SeriesData d =
            store
                .history()
                .query(
                    agents.get(0).node, series.get(i).key(), end - 7 * 86_400_000L, end, 300_000);
        api.add(System.nanoTime() - q0);
        points = d.points().size();
      }
    }
    System.out.printf(
        "  7-day query at 5m step (%d points) via store API: p50 %s, p99 %s over %d queries%n",
        points, Stats.ms(api.percentile(50)), Stats.ms(api.percentile(99)), api.count());
    String operator =
        new io.custos.collector.store.Tokens()
            .issue(store, io.custos.collector.store.Role.OPERATOR, null);
    store.close();
    Sizes sizes = pg ? pgSizes(url) : sqliteSizes(db);
    System.out.printf(
        "  raw tier: %,d samples retained in %,d bytes of chunk data: %.2f bytes/sample%n",
        sizes.rawSamples, sizes.rawBytes, sizes.rawBytes / (double) sizes.rawSamples);
    System.out.printf(
        "  head (not yet compacted): %,d bytes; 5m tier: %,d bytes; 1h tier: %,d bytes%n",
        sizes.headBytes, sizes.fiveBytes, sizes.hourBytes);
    System.out.printf(
        "  whole database on disk: %,d bytes = %.2f bytes per retained raw sample (all tiers,"
            + " state, indexes and free pages included)%n",
        sizes.total, sizes.total / (double) sizes.rawSamples);

    // The same over HTTP, from a collector on the real clock.
    CollectorConfig cfg =
        pg
            ? CollectorConfig.parse(
                "listen: 127.0.0.1:0\nstore: { postgresql: { url: '"
                    + url
                    + "', user: postgres } }\n",
                "bench.yml")
            : CollectorConfig.ofDefaults().withListen("127.0.0.1:0").withSqlite(db);
    try (Collector c = Collector.start(cfg, Clock.systemUTC())) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      Stats overHttp = new Stats();
      for (int round = 0; round < 5; round++) {
        for (int i = 0; i < Math.min(40, series.size()); i++) {
          SeriesInfo s = series.get(i);
          StringBuilder q =
              new StringBuilder("http://127.0.0.1:")
                  .append(c.port())
                  .append("/api/v1/metrics/")
                  .append(agents.get(0).node)
                  .append('/')
                  .append(s.key().name())
                  .append("?from=-7d&step=5m");
          s.key().labels().forEach((k, v) -> q.append('&').append(k).append('=').append(v));
          HttpRequest r =
              HttpRequest.newBuilder(URI.create(q.toString()))
                  .header("Authorization", "Bearer " + operator)
                  .build();
          long q0 = System.nanoTime();
          HttpResponse<byte[]> resp = http.send(r, HttpResponse.BodyHandlers.ofByteArray());
          overHttp.add(System.nanoTime() - q0);
          if (resp.statusCode() != 200) {
            throw new IllegalStateException("query failed: " + new String(resp.body()));
          }
        }
      }
      System.out.printf(
          "  7-day query at 5m step over HTTP (JSON): p50 %s, p99 %s over %d queries%n",
          Stats.ms(overHttp.percentile(50)), Stats.ms(overHttp.percentile(99)), overHttp.count());
    }
    if (server != null) {
      server.close();
    }
  }

  record Sizes(
      long rawSamples, long rawBytes, long headBytes, long fiveBytes, long hourBytes, long total) {}

  private static Sizes sqliteSizes(Path db) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement()) {
      long[] v = tiers(st, "length");
      st.execute("VACUUM");
      long total = Files.size(db);
      return new Sizes(v[0], v[1], v[2], v[3], v[4], total);
    } finally {
      // reopened by the caller's later steps through a new store
    }
  }

  private static Sizes pgSizes(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(url, "postgres", null);
        Statement st = c.createStatement()) {
      long[] v = tiers(st, "octet_length");
      st.execute("VACUUM FULL");
      long total;
      try (ResultSet rs =
          st.executeQuery(
              "SELECT pg_total_relation_size('chunks') + pg_total_relation_size('metric_head')"
                  + " + pg_total_relation_size('series')")) {
        rs.next();
        total = rs.getLong(1);
      }
      return new Sizes(v[0], v[1], v[2], v[3], v[4], total);
    }
  }

  private static long[] tiers(Statement st, String length) throws Exception {
    long[] v = new long[5];
    try (ResultSet rs =
        st.executeQuery(
            "SELECT COALESCE(SUM(count), 0), COALESCE(SUM("
                + length
                + "(data)), 0)"
                + " FROM chunks WHERE res = 0")) {
      rs.next();
      v[0] = rs.getLong(1);
      v[1] = rs.getLong(2);
    }
    try (ResultSet rs =
        st.executeQuery("SELECT COALESCE(SUM(" + length + "(samples)), 0) FROM metric_head")) {
      rs.next();
      v[2] = rs.getLong(1);
    }
    for (int res = 1; res <= 2; res++) {
      try (ResultSet rs =
          st.executeQuery(
              "SELECT COALESCE(SUM(" + length + "(data)), 0) FROM chunks WHERE res = " + res)) {
        rs.next();
        v[2 + res] = rs.getLong(1);
      }
    }
    return v;
  }
}
