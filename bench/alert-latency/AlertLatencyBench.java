import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Alert latency: the time from the POST of the report that makes a state hard to the SMTP server
 * (an in-process GreenMail) having accepted the mail, with group_wait 0, while load threads post
 * realistic reports (6 results with metrics each, 500 hosts) as fast as a target rate allows.
 *
 * <p>Run with {@code bench/alert-latency/run.sh [samples] [load-threads] [reports-per-second]}.
 */
public final class AlertLatencyBench {
  public static void main(String[] args) throws Exception {
    int samples = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 200;

    GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", "smtp").dynamicPort());
    mail.start();
    Path dir = Files.createTempDirectory("custos-bench");
    String yaml =
        "listen: 127.0.0.1:0\nstore: { sqlite: '"
            + dir.resolve("c.db")
            + "' }\ndefaults: { max_attempts: 1 }\n"
            + "notify: { group_wait: 0s, email: { to: [root@localhost],"
            + " smtp: { host: 127.0.0.1, port: "
            + mail.getSmtp().getPort()
            + ", starttls: off } } }\n";
    Collector collector = Collector.start(CollectorConfig.parse(yaml, "bench.yml"), Clock.systemUTC());
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI reports = URI.create("http://127.0.0.1:" + collector.port() + "/api/v1/reports");
    WireCodec codec = new WireCodec();

    int loadHosts = 500;
    String[] tokens = new String[loadHosts];
    for (int i = 0; i < loadHosts; i++) {
      tokens[i] = collector.createToken(String.format("load%03d", i));
    }
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong posted = new AtomicLong();
    List<Thread> load = new ArrayList<>();
    long periodNs = 1_000_000_000L * threads / rate;
    for (int t = 0; t < threads; t++) {
      int first = t;
      Thread th =
          new Thread(
              () -> {
                long seq = System.currentTimeMillis() * 10 + first;
                long next = System.nanoTime();
                int h = first;
                while (running.get()) {
                  String node = String.format("load%03d", h);
                  byte[] body = codec.encode(report(node, seq += 10, Status.OK, 30));
                  try {
                    http.send(
                        HttpRequest.newBuilder(reports)
                            .header("Authorization", "Bearer " + tokens[h])
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                        HttpResponse.BodyHandlers.discarding());
                    posted.incrementAndGet();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                  h = (h + threads) % loadHosts;
                  next += periodNs;
                  long wait = next - System.nanoTime();
                  if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                  }
                }
              },
              "load-" + t);
      th.setDaemon(true);
      load.add(th);
      th.start();
    }

    Thread.sleep(3000); // warm up under load
    long loadStart = posted.get();
    long t0all = System.nanoTime();
    double[] ms = new double[samples];
    double[] postMs = new double[samples];
    for (int i = 0; i < samples; i++) {
      String node = "probe" + i;
      String token = collector.createToken(node);
      byte[] body = codec.encode(report(node, 1, Status.CRITICAL, 3600));
      int before = mail.getReceivedMessages().length;
      long t0 = System.nanoTime();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(reports)
                  .header("Authorization", "Bearer " + token)
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      postMs[i] = (System.nanoTime() - t0) / 1e6;
      if (r.statusCode() != 200) {
        throw new IllegalStateException("probe report: " + r.statusCode() + " " + r.body());
      }
      while (mail.getReceivedMessages().length <= before) {
        Thread.onSpinWait();
        if (System.nanoTime() - t0 > 30_000_000_000L) {
          throw new IllegalStateException("no mail within 30 s for " + node);
        }
      }
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    double seconds = (System.nanoTime() - t0all) / 1e9;
    long loadReports = posted.get() - loadStart;
    running.set(false);
    Arrays.sort(ms);
    Arrays.sort(postMs);
    System.out.printf(
        "alert latency, %d samples: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        samples, pct(ms, 50), pct(ms, 90), pct(ms, 99), ms[ms.length - 1]);
    System.out.printf(
        "  of which the report's POST until its 200: p50 %.1f ms, p99 %.1f ms%n",
        pct(postMs, 50), pct(postMs, 99));
    System.out.printf(
        "background load: %d threads, %.0f reports/s achieved (target %d), 6 results each%n",
        threads, loadReports / seconds, rate);
    collector.close();
    mail.stop();
  }

  private static double pct(double[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /** A report shaped like an agent's: file systems, load, memory, swap, with metrics. */
  private static Report report(String node, long seq, Status fsStatus, int intervalS) {
    long now = System.currentTimeMillis();
    List<CheckResult> results = new ArrayList<>();
    for (String mount : List.of("/", "/var", "/home")) {
      Status s = mount.equals("/") ? fsStatus : Status.OK;
      results.add(
          new CheckResult(
              "Filesystem " + mount,
              "filesystem",
              s,
              "DISK " + s + " - free space: " + mount + " 4992 MB (70% inode=84%)",
              now,
              List.of(
                  Metric.of("fs_used_percent", Map.of("mount", mount), 30.1, "%"),
                  Metric.of("fs_free_bytes", Map.of("mount", mount), 5.2e9, "B"))));
    }
    results.add(
        new CheckResult(
            "Load", "load", Status.OK, "LOAD OK - load average: 0.52, 0.58, 0.59", now,
            List.of(Metric.of("load1", Map.of(), 0.52, null))));
    results.add(
        new CheckResult(
            "Memory", "memory", Status.OK, "MEMORY OK - 41% used", now,
            List.of(Metric.of("memory_used_percent", Map.of(), 41, "%"))));
    results.add(
        new CheckResult(
            "Swap", "memory", Status.OK, "SWAP OK - 0% used", now,
            List.of(Metric.of("swap_used_percent", Map.of(), 0, "%"))));
    return new Report(
        Report.VERSION, node, "custos-agent/bench", seq, now, intervalS, List.of("bench"), results,
        List.of());
  }
}
