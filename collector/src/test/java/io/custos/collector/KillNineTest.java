package io.custos.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.collector.store.Role;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Tokens;
import io.custos.collector.store.history.SeriesKey;
import io.custos.collector.store.sqlite.SqliteStore;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Report;
import io.custos.common.wire.Status;
import io.custos.common.wire.WireCodec;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collector process killed with SIGKILL right after answering 200 for 200 reports loses none of
 * them, metric samples included.
 */
class KillNineTest {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedReportSurvivesKillNine() throws Exception {
    Path db = dir.resolve("c.db");
    String token;
    try (SqliteStore s = SqliteStore.open(db, Clock.systemUTC(), new StatePolicy(3, 3))) {
      token = new Tokens().issue(s, Role.NODE, "web01");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path yml =
        Files.writeString(
            dir.resolve("c.yml"),
            "listen: 127.0.0.1:" + port + "\nstore: { sqlite: '" + db + "' }\n");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.custos.collector.cli.CollectorMain",
                "run",
                "--config",
                yml.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("collector.log").toFile())
            .start();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String base = "http://127.0.0.1:" + port;
    long t0 = (System.currentTimeMillis() - 3_600_000L) / 1000 * 1000;
    try {
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () ->
                  http.send(
                              HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                              HttpResponse.BodyHandlers.discarding())
                          .statusCode()
                      == 200);
      WireCodec codec = new WireCodec();
      for (int seq = 0; seq < 200; seq++) {
        long t = t0 + seq * 10_000L;
        List<Metric> metrics = new ArrayList<>();
        for (int m = 0; m < 5; m++) {
          metrics.add(Metric.of("m" + m, Map.of("i", "x"), seq + m, null));
        }
        Report r =
            new Report(
                Report.VERSION,
                "web01",
                "custos-agent/0.1.0",
                seq,
                t,
                10,
                List.of(),
                List.of(new CheckResult("S", "c", Status.OK, "OK", t, metrics)),
                List.of());
        HttpResponse<String> resp =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/reports"))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(codec.encode(r)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
      }
    } finally {
      p.destroyForcibly(); // SIGKILL
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    try (SqliteStore s = SqliteStore.open(db, Clock.systemUTC(), new StatePolicy(3, 3))) {
      assertThat(s.hosts()).singleElement().extracting("lastSeq").isEqualTo(199L);
      for (int m = 0; m < 5; m++) {
        assertThat(
                s.history()
                    .query(
                        "web01", new SeriesKey("m" + m, Map.of("i", "x")), t0, t0 + 2_000_000L, 0)
                    .points())
            .hasSize(200);
      }
    }
  }
}
