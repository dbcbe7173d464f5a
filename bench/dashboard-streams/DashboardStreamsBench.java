import io.custos.collector.Collector;
import io.custos.collector.config.CollectorConfig;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Report;
import io.custos.common.wire.Status;
import io.custos.common.wire.WireCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ingest latency with 0 and with N open dashboard streams (issue 13: 50 screens must not raise it
 * by more than 10 %). One collector (SQLite, its own fsync per report) with {@code hosts} hosts of
 * 20 services each; one client thread posts reports round-robin over the hosts, each changing the
 * output of 2 services (so every report makes events), and times each POST. Phases alternate
 * 0, N, 0, N streams so that drift in the machine's load shows. In the N phases one stream also
 * records when each report's event arrives: the push latency (goal: under 2 s).
 *
 * <p>Run with {@code bench/dashboard-streams/run.sh [reports-per-phase] [streams] [hosts]}.
 */
public final class DashboardStreamsBench {
  static final WireCodec CODEC = new WireCodec();

  public static void main(String[] args) throws Exception {
    int reports = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int streams = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    int hosts = args.length > 2 ? Integer.parseInt(args[2]) : 200;

    Path dir = Files.createTempDirectory("custos-bench");
    String yaml = "listen: 127.0.0.1:0\nstore: { sqlite: '" + dir.resolve("c.db") + "' }\n";
    Collector collector =
        Collector.start(CollectorConfig.parse(yaml, "bench.yml"), Clock.systemUTC());
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String base = "http://127.0.0.1:" + collector.port();
    String viewer = collector.createRoleToken("viewer");
    String[] tokens = new String[hosts];
    long[] seq = new long[hosts];
    for (int i = 0; i < hosts; i++) {
      tokens[i] = collector.createToken(host(i));
    }
    Map<Long, Long> arrived = new ConcurrentHashMap<>();
    long[] counter = {0};
    // warm-up: every host once, then as many again
    for (int i = 0; i < 2 * hosts; i++) {
      post(http, base, tokens, seq, i % hosts, ++counter[0]);
    }
    System.out.printf(
        "dashboard-streams: %d hosts x 20 services, %d reports per phase, %d streams%n",
        hosts, reports, streams);
    System.out.println("load average before: " + Files.readString(Path.of("/proc/loadavg")).strip());
    for (int round = 0; round < 2; round++) {
      for (int n : new int[] {0, streams}) {
        List<CompletableFuture<?>> open = new ArrayList<>();
        for (int s = 0; s < n; s++) {
          boolean recorder = s == 0;
          HttpRequest req =
              HttpRequest.newBuilder(URI.create(base + "/api/v1/stream"))
                  .header("Authorization", "Bearer " + viewer)
                  .build();
          open.add(
              http.sendAsync(req, HttpResponse.BodyHandlers.ofLines())
                  .thenAccept(
                      r ->
                          r.body()
                              .forEach(
                                  line -> {
                                    if (recorder) {
                                      int at = line.indexOf("MARK ");
                                      if (at >= 0) {
                                        int end = line.indexOf(' ', at + 5);
                                        long id = Long.parseLong(line.substring(at + 5, end));
                                        arrived.putIfAbsent(id, System.nanoTime());
                                      }
                                    }
                                  })));
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (collector.dashboardStreams() < n && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        Thread.sleep(500); // let the streams start (baseline built)
        arrived.clear();
        long[] lat = new long[reports];
        Map<Long, Long> sent = new ConcurrentHashMap<>();
        for (int i = 0; i < reports; i++) {
          long id = ++counter[0];
          long t0 = System.nanoTime();
          sent.put(id, t0);
          post(http, base, tokens, seq, i % hosts, id);
          lat[i] = System.nanoTime() - t0;
        }
        Thread.sleep(2500);
        Arrays.sort(lat);
        String push = "";
        if (n > 0) {
          long[] p = new long[arrived.size()];
          int k = 0;
          for (Map.Entry<Long, Long> e : arrived.entrySet()) {
            Long t0 = sent.get(e.getKey());
            if (t0 != null) {
              p[k++] = e.getValue() - t0;
            }
          }
          p = Arrays.copyOf(p, k);
          Arrays.sort(p);
          push =
              k == 0
                  ? "  push: no events seen"
                  : String.format(
                      "  push to a stream: p50 %.0f ms p99 %.0f ms max %.0f ms (%d of %d seen)",
                      p[k / 2] / 1e6, p[(int) (k * 0.99)] / 1e6, p[k - 1] / 1e6, k, reports);
        }
        System.out.printf(
            "round %d, %2d streams: ingest p50 %.2f ms p99 %.2f ms; load %s%s%n",
            round + 1,
            n,
            lat[reports / 2] / 1e6,
            lat[(int) (reports * 0.99)] / 1e6,
            Files.readString(Path.of("/proc/loadavg")).strip(),
            push);
        open.forEach(f -> f.cancel(true));
        deadline = System.nanoTime() + 30_000_000_000L;
        // cancelling the futures does not close the connections; the collector keeps them until
        // it closes, so the next 0-stream phase restarts it.
        if (n > 0) {
          collector.close();
          collector = Collector.start(CollectorConfig.parse(yaml, "bench.yml"), Clock.systemUTC());
          base = "http://127.0.0.1:" + collector.port();
          http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
          for (int i = 0; i < hosts; i++) {
            post(http, base, tokens, seq, i, ++counter[0]);
          }
        }
      }
    }
    collector.close();
    System.exit(0);
  }

  static String host(int i) {
    return String.format("web%03d", i);
  }

  static void post(HttpClient http, String base, String[] tokens, long[] seq, int h, long id)
      throws Exception {
    long now = System.currentTimeMillis();
    List<CheckResult> results = new ArrayList<>();
    for (int c = 0; c < 20; c++) {
      String out =
          c == 0
              ? "OK MARK " + id + " "
              : c == 1 ? "LOAD OK - " + (id % 97) / 10.0 : "OK check " + c + " fine";
      results.add(
          new CheckResult(
              "Check " + c,
              "custom",
              Status.OK,
              out,
              now,
              List.of(Metric.of("bench_value", Map.of("n", Integer.toString(c)), id % 100, "%"))));
    }
    Report r =
        new Report(
            Report.VERSION,
            host(h),
            "custos-agent/0.1.0",
            ++seq[h],
            now,
            30,
            List.of("web"),
            results,
            List.of());
    HttpResponse<String> res =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/reports"))
                .header("Authorization", "Bearer " + tokens[h])
                .POST(HttpRequest.BodyPublishers.ofByteArray(CODEC.encode(r)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (res.statusCode() != 200) {
      throw new IllegalStateException("report answered " + res.statusCode() + ": " + res.body());
    }
  }
}
