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
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The collector load generator.
 *
 * <pre>
 * LoadGenerator ingest  --agents 5000 --seconds 120 [--store sqlite|postgresql] [--metrics 200]
 *                       [--checks 30] [--interval 10] [--xmx 512m] [--concurrency 64]
 *                       [--jfr collector.jfr]   (profile the collector with Flight Recorder)
 * LoadGenerator history --days 8 [--hosts 1] [--store sqlite|postgresql]
 * LoadGenerator decode  [--seconds 20] [--checks 30] [--metrics 200]   (WireCodec.decode alone)
 * </pre>
 *
 * {@code ingest} starts a collector as a separate JVM (so its RSS is its own) on loopback, creates
 * a node token per simulated agent, and has every agent POST a report every {@code interval}
 * seconds at a random phase, over real HTTP. It prints offered and achieved reports/s and
 * samples/s, client-side latency percentiles, the collector's own ingest histogram (from {@code
 * /metrics}) and its peak RSS. The run is bounded by {@code --seconds}.
 */
public final class LoadGenerator {
  private LoadGenerator() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: LoadGenerator ingest|history|decode [--name value]...");
      System.exit(3);
    }
    Args a = new Args(args, 1);
    switch (args[0]) {
      case "ingest" -> ingest(a);
      case "history" -> HistoryBench.run(a);
      case "decode" -> DecodeBench.run(a);
      default -> {
        System.err.println("unknown mode " + args[0]);
        System.exit(3);
      }
    }
    System.exit(0);
  }

  static void ingest(Args a) throws Exception {
    int agentsN = a.integer("agents", 1000);
    int seconds = a.integer("seconds", 60);
    int warmup = a.integer("warmup", 20);
    int metrics = a.integer("metrics", 200);
    int checks = a.integer("checks", 30);
    int interval = a.integer("interval", 10);
    int concurrency = a.integer("concurrency", 64);
    String xmx = a.text("xmx", "512m");
    boolean pg = a.text("store", "sqlite").equals("postgresql");
    Path dir = Files.createDirectories(Path.of(a.text("dir", "target/bench-ingest")));
    Path db = dir.resolve("collector.db");
    for (String s : new String[] {"", "-wal", "-shm"}) {
      Files.deleteIfExists(Path.of(db + s));
    }

    EmbeddedPostgres server = pg ? EmbeddedPg.start() : null;
    String url = pg ? EmbeddedPg.database(server, "bench_ingest") : null;
    StatePolicy policy = new StatePolicy(3, 3);
    List<FakeAgent> agents = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    try (Store store =
        pg
            ? PostgresStore.open(
                url, "postgres", null, Clock.systemUTC(), policy, HistoryRetention.DEFAULT)
            : SqliteStore.open(db, Clock.systemUTC(), policy)) {
      Tokens t = new Tokens();
      for (int i = 0; i < agentsN; i++) {
        FakeAgent agent = new FakeAgent(String.format("node%05d", i), checks, metrics, i);
        agents.add(agent);
        tokens.add(t.issue(store, Role.NODE, agent.node));
      }
      tokens.add(t.issue(store, Role.OPERATOR, null));
    }
    String operator = tokens.get(agentsN);

    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process collector =
        startCollector(dir, port, pg ? url : null, db, List.of("-Xmx" + xmx), a.text("jfr", null));
    try {
      HttpClient http =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(5))
              .build();
      String base = "http://127.0.0.1:" + port;
      waitHealthy(http, base, collector);
      System.out.printf(
          "ingest: %d agents x %d checks / %d metrics every %d s, %s store, collector -Xmx%s,"
              + " %d s (first %d s warm-up)%n",
          agentsN, checks, metrics, interval, pg ? "postgresql" : "sqlite", xmx, seconds, warmup);

      WireCodec codec = new WireCodec();
      Semaphore inFlight = new Semaphore(concurrency);
      Stats latency = new Stats();
      AtomicLong ok = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      AtomicLong sent = new AtomicLong();
      long[] next = new long[agentsN];
      long begin = System.currentTimeMillis();
      for (int i = 0; i < agentsN; i++) {
        next[i] = begin + (long) ((double) i / agentsN * interval * 1000);
      }
      long end = begin + seconds * 1000L;
      long measureFrom = begin + warmup * 1000L;
      long peakRss = 0;
      long nextRss = begin;
      double samplesAtStart = -1;
      long measuredStart = 0;
      int cursor = 0;
      while (System.currentTimeMillis() < end) {
        long now = System.currentTimeMillis();
        if (now >= nextRss) {
          peakRss = Math.max(peakRss, rssKb(collector.pid()));
          nextRss = now + 1000;
        }
        if (samplesAtStart < 0 && now >= measureFrom) {
          samplesAtStart = scrapeValue(http, base, operator, "custos_ingest_samples_total");
          measuredStart = System.nanoTime();
        }
        // Agents are due in phase order, so one pass over the ring finds the due ones.
        int due = 0;
        while (due < agentsN && next[cursor] <= now) {
          int i = cursor;
          next[i] += interval * 1000L;
          cursor = (cursor + 1) % agentsN;
          due++;
          byte[] body = codec.encode(agents.get(i).next(now));
          inFlight.acquire();
          sent.incrementAndGet();
          long started = System.nanoTime();
          boolean measure = now >= measureFrom;
          http.sendAsync(
                  HttpRequest.newBuilder(URI.create(base + "/api/v1/reports"))
                      .header("Authorization", "Bearer " + tokens.get(i))
                      .header("Content-Type", "application/json")
                      .timeout(Duration.ofSeconds(30))
                      .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .whenComplete(
                  (r, e) -> {
                    inFlight.release();
                    if (e == null && r.statusCode() == 200) {
                      ok.incrementAndGet();
                      if (measure) {
                        latency.add(System.nanoTime() - started);
                      }
                    } else {
                      failed.incrementAndGet();
                    }
                  });
        }
        Thread.sleep(due == 0 ? 5 : 0);
      }
      inFlight.acquire(concurrency);
      double elapsed = (System.nanoTime() - measuredStart) / 1e9;
      double samples =
          scrapeValue(http, base, operator, "custos_ingest_samples_total") - samplesAtStart;
      peakRss = Math.max(peakRss, rssKb(collector.pid()));
      String metricsText = scrape(http, base, operator);
      double offered = agentsN / (double) interval;
      System.out.printf(
          "  offered %.0f reports/s (%,.0f samples/s); sent %,d, ok %,d, failed %,d%n",
          offered, offered * metrics, sent.get(), ok.get(), failed.get());
      System.out.printf(
          "  sustained after warm-up: %,.0f samples/s = %.0f reports/s%n",
          samples / elapsed, samples / elapsed / metrics);
      System.out.printf(
          "  client round trip: p50 %s, p99 %s, max %s (%,d reports)%n",
          Stats.ms(latency.percentile(50)),
          Stats.ms(latency.percentile(99)),
          Stats.ms(latency.percentile(100)),
          latency.count());
      System.out.printf("  collector ingest histogram: %s%n", histogram(metricsText));
      System.out.printf(
          "  collector RSS peak %,d MiB; store size %,.0f MiB%n",
          peakRss / 1024, value(metricsText, "custos_store_size_bytes") / 1048576.0);
    } finally {
      collector.destroy();
      collector.waitFor(30, TimeUnit.SECONDS);
      if (server != null) {
        server.close();
      }
    }
  }

  /**
   * Starts a collector JVM on this class path, listening on 127.0.0.1:{@code port}, its config
   * ({@code dir/collector.yml}) naming the PostgreSQL database {@code pgUrl} or, when null, the
   * SQLite file {@code db}, and an archive store in {@code dir/backups} (a PostgreSQL collector's
   * default is /var/lib/custos/backups, which a bench must not touch); output goes to {@code
   * dir/collector.log}.
   *
   * @param jvm heap and other JVM flags
   * @param jfr a JFR recording file, or null for none
   */
  static Process startCollector(
      Path dir, int port, String pgUrl, Path db, List<String> jvm, String jfr) throws IOException {
    Path yml = dir.resolve("collector.yml");
    Files.writeString(
        yml,
        "listen: 127.0.0.1:"
            + port
            + "\n"
            + (pgUrl != null
                ? "store: { postgresql: { url: '" + pgUrl + "', user: postgres } }\n"
                : "store: { sqlite: '" + db.toAbsolutePath() + "' }\n")
            + "backups: { store: '"
            + dir.toAbsolutePath().resolve("backups")
            + "' }\n");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xms32m"));
    command.addAll(jvm);
    if (jfr != null) {
      command.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile");
    }
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            "io.custos.collector.cli.CollectorMain",
            "run",
            "--config",
            yml.toString()));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("collector.log").toFile())
        .start();
  }

  static void waitHealthy(HttpClient http, String base, Process collector) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      if (!collector.isAlive()) {
        throw new IllegalStateException("collector exited with " + collector.exitValue());
      }
      try {
        if (http.send(
                    HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (java.io.IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("collector not healthy after 60 s");
  }

  static long rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(new File("/proc/" + pid + "/status").toPath())) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (Exception e) {
      // process gone
    }
    return 0;
  }

  static String scrape(HttpClient http, String base, String token) throws Exception {
    return http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        base
                            + "/metrics?name[]=custos_ingest_samples_total"
                            + "&name[]=custos_ingest_duration_seconds"
                            + "&name[]=custos_store_size_bytes"))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  static double scrapeValue(HttpClient http, String base, String token, String name)
      throws Exception {
    return value(scrape(http, base, token), name);
  }

  static double value(String text, String name) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /** p50 and p99 upper bounds from the collector's own histogram. */
  static String histogram(String text) {
    Matcher m =
        Pattern.compile("(?m)^custos_ingest_duration_seconds_bucket\\{le=\"([^\"]+)\"\\} (\\S+)$")
            .matcher(text);
    List<String> les = new ArrayList<>();
    List<Double> counts = new ArrayList<>();
    while (m.find()) {
      les.add(m.group(1));
      counts.add(Double.parseDouble(m.group(2)));
    }
    if (counts.isEmpty()) {
      return "n/a";
    }
    double total = counts.get(counts.size() - 1);
    String p50 = null;
    String p99 = null;
    for (int i = 0; i < counts.size(); i++) {
      if (p50 == null && counts.get(i) >= total * 0.5) {
        p50 = les.get(i);
      }
      if (p99 == null && counts.get(i) >= total * 0.99) {
        p99 = les.get(i);
      }
    }
    return String.format(
        "p50 <= %s s, p99 <= %s s, mean %.2f ms over %,.0f reports",
        p50, p99, value(text, "custos_ingest_duration_seconds_sum") / total * 1000, total);
  }
}
