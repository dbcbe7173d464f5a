package io.custos.collector;

import static io.custos.collector.TestReports.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.custos.collector.config.CollectorConfig;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import io.custos.common.wire.WireCodec;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} as Prometheus scrapes it, checked by the real {@code promtool}. */
class PrometheusExportTest {
  static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");

  @TempDir Path dir;
  final TestClock clock = new TestClock(T0);
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  Collector collector;
  String operator;
  String web01;

  @BeforeEach
  void start() throws Exception {
    collector =
        Collector.start(
            CollectorConfig.ofDefaults().withListen("127.0.0.1:0").withSqlite(dir.resolve("c.db")),
            clock);
    operator = collector.createRoleToken("operator");
    web01 = collector.createToken("web01");
  }

  @AfterEach
  void stop() {
    collector.close();
  }

  HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.timeout(Duration.ofSeconds(20)).build(), BodyHandlers.ofString());
  }

  HttpRequest.Builder at(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.port() + path));
  }

  String scrape() throws Exception {
    long t = clock.millis();
    CheckResult fs =
        new CheckResult(
            "Filesystems",
            "filesystem",
            Status.OK,
            "DISK OK",
            t,
            List.of(
                Metric.of("fs_used_percent", Map.of("mount", "/"), 30.5, "%"),
                Metric.of("fs_used_percent", Map.of("mount", "/var/\"x\""), 1e-3, "%"),
                Metric.of("fs_free_bytes", Map.of("mount", "/"), 5234491392.0, "B")));
    CheckResult net =
        new CheckResult(
            "NIC",
            "nic",
            Status.OK,
            "NIC OK",
            t,
            List.of(
                Metric.of("net_received_bytes_total", Map.of("interface", "eth0"), 1234, "B"),
                Metric.of("remote_up", Map.of("host", "db01"), 1, null)));
    HttpResponse<String> posted =
        send(
            at("/api/v1/reports")
                .header("Authorization", "Bearer " + web01)
                .POST(
                    HttpRequest.BodyPublishers.ofByteArray(
                        new WireCodec().encode(report("web01", 1, t, fs, net)))));
    assertThat(posted.statusCode()).isEqualTo(200);

    HttpResponse<String> r = send(at("/metrics").header("Authorization", "Bearer " + operator));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/plain; version=0.0.4");
    return r.body();
  }

  @Test
  void latestValuesAndOwnHealthAreExposed() throws Exception {
    String body = scrape();

    assertThat(body)
        .contains("fs_used_percent{host=\"web01\",mount=\"/\"} 30.5")
        .contains("fs_used_percent{host=\"web01\",mount=\"/var/\\\"x\\\"\"} 0.001")
        .contains("# TYPE net_received_bytes_total counter")
        .contains("net_received_bytes_total{host=\"web01\",interface=\"eth0\"} 1234.0")
        .contains("remote_up{exported_host=\"db01\",host=\"web01\"} 1.0")
        .contains("custos_host_up{host=\"web01\"} 1.0")
        .contains("custos_ingest_reports_total{result=\"stored\"} 1.0")
        .contains("custos_ingest_samples_total 5.0")
        .contains("custos_ingest_duration_seconds_count 1")
        .contains("custos_store_size_bytes ")
        .contains("custos_http_queue_depth 0.0");
  }

  @Test
  void namesTheCollectorUsesAreRenamedSoTheScrapeStaysValid() throws Exception {
    long t = clock.millis();
    CheckResult hostile =
        new CheckResult(
            "Hostile",
            "command",
            Status.OK,
            "OK",
            t,
            List.of(
                Metric.of("both_hosts", Map.of("host", "a", "exported_host", "b"), 1, null),
                Metric.of("custos_ingest_reports_total", Map.of("result", "stored"), 1e9, null),
                Metric.of("custos_host_up", Map.of("host", "web01"), 1, null)));
    HttpResponse<String> posted =
        send(
            at("/api/v1/reports")
                .header("Authorization", "Bearer " + web01)
                .POST(
                    HttpRequest.BodyPublishers.ofByteArray(
                        new WireCodec().encode(report("web01", 1, t, hostile)))));
    assertThat(posted.statusCode()).isEqualTo(200);

    HttpResponse<String> r = send(at("/metrics").header("Authorization", "Bearer " + operator));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains("both_hosts{exported_exported_host=\"a\",exported_host=\"b\",host=\"web01\"} 1.0")
        .contains("exported_custos_ingest_reports_total{host=\"web01\",result=\"stored\"} 1.0E9")
        .contains("exported_custos_host_up{exported_host=\"web01\",host=\"web01\"} 1.0")
        .contains("custos_ingest_reports_total{result=\"stored\"} 1.0")
        .doesNotContain("custos_ingest_reports_total{result=\"stored\"} 1.0E9");
    String promtool = onPath("promtool");
    if (promtool != null) {
      assertThat(promtool(promtool, r.body())).isZero();
    }
  }

  static int promtool(String promtool, String body) throws Exception {
    Process p = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true).start();
    p.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  @Test
  void nameFiltersSelectFamilies() throws Exception {
    scrape();
    HttpResponse<String> r =
        send(
            at("/metrics?name[]=custos_ingest_samples_total&name[]=fs_used_percent")
                .header("Authorization", "Bearer " + operator));
    assertThat(r.body())
        .contains("custos_ingest_samples_total 5.0")
        .contains("fs_used_percent{host=\"web01\",mount=\"/\"} 30.5")
        .doesNotContain("custos_host_up")
        .doesNotContain("fs_free_bytes");
  }

  @Test
  void openMetricsIsNegotiatedFromAccept() throws Exception {
    scrape();
    HttpResponse<String> r =
        send(
            at("/metrics")
                .header("Authorization", "Bearer " + operator)
                .header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/openmetrics-text");
    assertThat(r.body())
        .contains("custos_ingest_samples_total 5.0")
        .contains("fs_used_percent{host=\"web01\",mount=\"/\"} 30.5")
        .endsWith("# EOF\n");
  }

  @Test
  void theScrapeIsGzippedWhenAskedFor() throws Exception {
    scrape();
    HttpResponse<byte[]> r =
        http.send(
            at("/metrics")
                .header("Authorization", "Bearer " + operator)
                .header("Accept-Encoding", "gzip")
                .timeout(Duration.ofSeconds(20))
                .build(),
            BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .contains("custos_ingest_samples_total 5.0");
    }
  }

  @Test
  void theHelpTextDoesNotTellWhereTheStoreIs() throws Exception {
    assertThat(scrape())
        .contains("# HELP custos_store_size_bytes Bytes the store occupies on disk\n")
        .doesNotContain(dir.toString())
        .doesNotContain("c.db");
  }

  @Test
  void aTokenIsRequired() throws Exception {
    assertThat(send(at("/metrics")).statusCode()).isEqualTo(401);
    assertThat(send(at("/metrics").header("Authorization", "Bearer " + web01)).statusCode())
        .isEqualTo(403);
  }

  @Test
  void promtoolAcceptsTheExposition() throws Exception {
    String promtool = onPath("promtool");
    assumeTrue(
        promtool != null,
        "promtool not found: install the Debian package \"prometheus\" to run this test");
    String body = scrape();

    Process p = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true).start();
    p.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("promtool said:\n%s\nabout:\n%s", out, body).isZero();
  }

  static String onPath(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      File f = new File(d, tool);
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    return null;
  }
}
