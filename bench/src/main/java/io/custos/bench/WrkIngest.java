package io.custos.bench;

import io.custos.collector.store.Role;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Store;
import io.custos.collector.store.Tokens;
import io.custos.collector.store.history.HistoryRetention;
import io.custos.collector.store.postgres.PostgresStore;
import io.custos.collector.store.sqlite.SqliteStore;
import io.custos.common.wire.WireCodec;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ingest throughput of a real collector under {@code wrk} (issue 11), run by {@code
 * bench/ingest.sh}.
 *
 * <pre>
 * WrkIngest [--store sqlite|postgresql] [--nodes 16] [--services 50] [--metrics 10]
 *           [--connections 16] [--threads 2] [--warmup 20] [--seconds 30] [--variants 4]
 *           [--dir target/bench-wrk] [--xmx 512m] [--jfr collector.jfr]
 * </pre>
 *
 * Creates the store (SQLite file in {@code dir}, or an embedded PostgreSQL) with a node token per
 * node, starts the collector as its own JVM with the launcher's heap flags on loopback, writes
 * {@code variants} report templates per node ({@link FakeAgent}: {@code services} check results of
 * {@code metrics} metrics each) for {@code ingest-wrk.lua}, which fills in a rising seq and the
 * current time per request, then runs {@code wrk} once to warm up and once to measure. It prints
 * wrk's throughput and latency and checks the collector's own counters: every request of the
 * measured run must be a stored report (not a duplicate, not refused), else it exits 1.
 */
public final class WrkIngest {
  private WrkIngest() {}

  public static void main(String[] args) throws Exception {
    Args a = new Args(args, 0);
    boolean pg = a.text("store", "sqlite").equals("postgresql");
    int nodes = a.integer("nodes", 16);
    int services = a.integer("services", 50);
    int metrics = a.integer("metrics", 10);
    int connections = a.integer("connections", 16);
    int threads = a.integer("threads", 2);
    int warmup = a.integer("warmup", 20);
    int seconds = a.integer("seconds", 30);
    int variants = a.integer("variants", 4);
    Path dir = Path.of(a.text("dir", "target/bench-wrk")).toAbsolutePath();
    deleteTree(dir);
    Files.createDirectories(dir);
    Path db = dir.resolve("collector.db");
    int perReport = services * metrics;

    EmbeddedPostgres server = pg ? EmbeddedPg.start() : null;
    int status = 1;
    try {
      String url = pg ? EmbeddedPg.database(server, "bench_wrk") : null;
      String operator = prepare(pg, url, db, dir, nodes, services, perReport, variants);
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Process collector =
          LoadGenerator.startCollector(
              dir,
              port,
              url,
              db,
              List.of("-Xmx" + a.text("xmx", "512m"), "-XX:+ExitOnOutOfMemoryError"),
              a.text("jfr", null));
      try {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;
        LoadGenerator.waitHealthy(http, base, collector);
        Path lua = dir.resolve("ingest-wrk.lua");
        try (InputStream in = WrkIngest.class.getResourceAsStream("/ingest-wrk.lua")) {
          Files.write(lua, in.readAllBytes());
        }
        System.out.printf(
            "%s: %d nodes, reports of %d services x %d metrics = %d samples (%,d bytes of JSON),"
                + " wrk -t%d -c%d, warm-up %d s, measured %d s%n",
            pg ? "postgresql" : "sqlite",
            nodes,
            services,
            metrics,
            perReport,
            Files.size(dir.resolve("node-0-0.json")),
            threads,
            connections,
            warmup,
            seconds);
        Wrk w = wrk(base, lua, dir, nodes, threads, connections, warmup, 0);
        System.out.printf(
            "  warm-up: %,.0f reports/s, not stored %d, errors %d%n",
            w.requests / w.seconds, w.notStored, w.errors);
        double[] before = settled(http, base, operator);
        String load0 = loadavg();
        long cpu0 = cpuMillis(collector);
        Wrk m = wrk(base, lua, dir, nodes, threads, connections, seconds, 1_000_000_000L);
        String load1 = loadavg();
        double[] after = settled(http, base, operator);
        long cpu = cpuMillis(collector) - cpu0;
        double stored = after[0] - before[0];
        double duplicate = after[1] - before[1];
        double samples = after[2] - before[2];
        System.out.printf(
            "  measured: %,.0f samples/s (%,.0f reports/s), latency p50 %.1f ms, p90 %.1f ms,"
                + " p99 %.1f ms, max %.1f ms (wrk, %,d requests)%n",
            m.requests / m.seconds * perReport,
            m.requests / m.seconds,
            m.p50 / 1000.0,
            m.p90 / 1000.0,
            m.p99 / 1000.0,
            m.max / 1000.0,
            m.requests);
        System.out.printf(
            "  collector: %,.0f reports stored, %,.0f duplicates, %,.0f samples, %.2f ms of CPU"
                + " per report; load average %s before, %s after%n",
            stored, duplicate, samples, cpu / stored, load0, load1);
        List<String> problems = new ArrayList<>();
        if (m.notStored > 0 || m.errors > 0) {
          problems.add(
              m.notStored + " answers not stored, " + m.errors + " errors; first: " + m.firstBad);
        }
        if (duplicate > 0) {
          problems.add(duplicate + " duplicates");
        }
        if (m.timeouts > 0) {
          // wrk gives up on the request after 10 s; the collector still stores it.
          problems.add(m.timeouts + " requests timed out (10 s)");
        }
        if (stored < m.requests || stored > m.requests + connections + m.timeouts) {
          problems.add("collector stored " + stored + " reports for " + m.requests + " requests");
        }
        if (samples != stored * perReport) {
          problems.add("collector stored " + samples + " samples for " + stored + " reports");
        }
        if (problems.isEmpty()) {
          System.out.println("  check: every request was a stored report");
          status = 0;
        } else {
          System.out.println("  CHECK FAILED: " + String.join("; ", problems));
        }
      } finally {
        collector.destroy();
        collector.waitFor(30, TimeUnit.SECONDS);
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
    System.exit(status);
  }

  /** Creates the store, the tokens and the templates; returns an operator token. */
  private static String prepare(
      boolean pg,
      String url,
      Path db,
      Path dir,
      int nodes,
      int services,
      int perReport,
      int variants)
      throws IOException {
    StatePolicy policy = new StatePolicy(3, 3);
    WireCodec codec = new WireCodec();
    // A sentinel time far from any real one, so the times in the JSON are found by value.
    long sentinel = 4_000_000_000_000L;
    Pattern time = Pattern.compile("\"(time|sent)\":(4000000000\\d{3})");
    Pattern seq = Pattern.compile("\"seq\":\\d+");
    try (Store store =
        pg
            ? PostgresStore.open(
                url, "postgres", null, Clock.systemUTC(), policy, HistoryRetention.DEFAULT)
            : SqliteStore.open(db, Clock.systemUTC(), policy)) {
      Tokens t = new Tokens();
      for (int i = 0; i < nodes; i++) {
        FakeAgent agent = new FakeAgent(String.format("node%03d", i), services, perReport, i);
        Files.writeString(
            dir.resolve("node-" + i + ".token"), t.issue(store, Role.NODE, agent.node));
        for (int v = 0; v < variants; v++) {
          String json = new String(codec.encode(agent.next(sentinel)), StandardCharsets.UTF_8);
          json = seq.matcher(json).replaceFirst("\"seq\":@S@");
          Matcher m = time.matcher(json);
          StringBuilder out = new StringBuilder();
          while (m.find()) {
            long offset = Long.parseLong(m.group(2)) - sentinel;
            m.appendReplacement(out, "\"" + m.group(1) + "\":@T" + offset + "@");
          }
          m.appendTail(out);
          Files.writeString(dir.resolve("node-" + i + "-" + v + ".json"), out);
        }
      }
      return t.issue(store, Role.OPERATOR, null);
    }
  }

  private record Wrk(
      long requests,
      double seconds,
      long p50,
      long p90,
      long p99,
      long max,
      long notStored,
      long errors,
      long timeouts,
      String firstBad) {}

  private static Wrk wrk(
      String base,
      Path lua,
      Path dir,
      int nodes,
      int threads,
      int connections,
      int seconds,
      long seqBase)
      throws Exception {
    Process p =
        new ProcessBuilder(
                "wrk",
                "-t" + threads,
                "-c" + connections,
                "-d" + seconds + "s",
                "--timeout",
                "10s",
                "-s",
                lua.toString(),
                base,
                "--",
                dir.toString(),
                Integer.toString(nodes),
                Integer.toString(threads),
                Long.toString(seqBase))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    Matcher m =
        Pattern.compile(
                "CUSTOS requests=(\\d+) seconds=(\\S+) p50_us=(\\d+) p90_us=(\\d+) p99_us=(\\d+)"
                    + " max_us=(\\d+) not_stored=(\\d+) errors=(\\d+) timeouts=(\\d+)"
                    + " first_not_stored=(\\S*)")
            .matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("wrk failed:\n" + out);
    }
    return new Wrk(
        Long.parseLong(m.group(1)),
        Double.parseDouble(m.group(2)),
        Long.parseLong(m.group(3)),
        Long.parseLong(m.group(4)),
        Long.parseLong(m.group(5)),
        Long.parseLong(m.group(6)),
        Long.parseLong(m.group(7)),
        Long.parseLong(m.group(8)),
        Long.parseLong(m.group(9)),
        m.group(10));
  }

  /**
   * {@link #counters} once they stopped moving: requests in flight when wrk stopped are still
   * answered after it exits.
   */
  private static double[] settled(HttpClient http, String base, String token) throws Exception {
    double[] last = counters(http, base, token);
    for (int i = 0; i < 60; i++) {
      Thread.sleep(500);
      double[] now = counters(http, base, token);
      if (java.util.Arrays.equals(now, last)) {
        return now;
      }
      last = now;
    }
    throw new IllegalStateException("the collector's counters did not settle in 30 s");
  }

  /** The collector's stored and duplicate report counters and its sample counter. */
  private static double[] counters(HttpClient http, String base, String token) throws Exception {
    String text =
        http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            base
                                + "/metrics?name[]=custos_ingest_reports_total"
                                + "&name[]=custos_ingest_samples_total"))
                    .header("Authorization", "Bearer " + token)
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return new double[] {
      labelled(text, "custos_ingest_reports_total", "stored"),
      labelled(text, "custos_ingest_reports_total", "duplicate"),
      LoadGenerator.value(text, "custos_ingest_samples_total")
    };
  }

  private static double labelled(String text, String name, String result) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{result=\"" + result + "\"\\} (\\S+)$")
            .matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /** CPU time (user + system) the process used so far. */
  private static long cpuMillis(Process p) {
    return p.info().totalCpuDuration().map(Duration::toMillis).orElse(0L);
  }

  private static String loadavg() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + "/" + f[1] + "/" + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
