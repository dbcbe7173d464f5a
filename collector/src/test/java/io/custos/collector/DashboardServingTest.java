package io.custos.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.collector.config.CollectorConfig;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's files from the jar, over real HTTP: CSP, ETag/304, caching, gzip, no escape. */
class DashboardServingTest {
  @TempDir Path dir;
  final TestClock clock = new TestClock(Instant.parse("2026-11-30T12:00:00Z"));
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  Collector collector;

  @BeforeEach
  void start() throws Exception {
    collector =
        Collector.start(
            CollectorConfig.parse(
                "listen: 127.0.0.1:0\nstore: { sqlite: '" + dir.resolve("c.db") + "' }\n",
                "test.yml"),
            clock);
  }

  @AfterEach
  void stop() {
    collector.close();
  }

  private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.port() + path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), BodyHandlers.ofByteArray());
  }

  @Test
  void theIndexCarriesTheContentSecurityPolicyAndIsAlwaysRevalidated() throws Exception {
    HttpResponse<byte[]> r = get("/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).startsWith("<!DOCTYPE html>");
    assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'")
        .doesNotContain("unsafe-inline");
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
    String etag = r.headers().firstValue("ETag").orElseThrow();

    HttpResponse<byte[]> again = get("/", "If-None-Match", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(get("/", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
  }

  @Test
  void uplotComesFromItsWebjarCachedForAnHourAndGzippedWhenAccepted() throws Exception {
    HttpResponse<byte[]> plain = get("/ui/vendor/uplot/uPlot.iife.min.js");
    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(plain.headers().firstValue("Content-Type"))
        .hasValue("text/javascript; charset=utf-8");
    assertThat(plain.headers().firstValue("Cache-Control")).hasValue("max-age=3600");
    assertThat(new String(plain.body(), StandardCharsets.UTF_8)).contains("uPlot");

    HttpResponse<byte[]> gz = get("/ui/vendor/uplot/uPlot.iife.min.js", "Accept-Encoding", "gzip");
    assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(gz.body().length).isLessThan(plain.body().length);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz.body()))) {
      assertThat(in.readAllBytes()).isEqualTo(plain.body());
    }
    assertThat(gz.headers().firstValue("ETag")).isNotEqualTo(plain.headers().firstValue("ETag"));
    assertThat(get("/ui/vendor/uplot/uPlot.min.css").statusCode()).isEqualTo(200);
  }

  @Test
  void theDashboardsOwnModulesAndStylesAreAlwaysRevalidatedByTheirEtag() throws Exception {
    for (String path : List.of("/ui/app.js", "/ui/live.js", "/ui/app.css")) {
      HttpResponse<byte[]> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.headers().firstValue("Cache-Control")).as(path).hasValue("no-cache");
      String etag = r.headers().firstValue("ETag").orElseThrow();
      assertThat(get(path, "If-None-Match", etag).statusCode()).as(path).isEqualTo(304);
    }
  }

  @Test
  void pathsOutsideTheUiDirectoriesAreNotFound() throws Exception {
    assertThat(get("/ui/nothing.js").statusCode()).isEqualTo(404);
    assertThat(get("/ui/..%2F..%2Fstore%2Fsqlite%2Fmigrations%2FV1__initial.sql").statusCode())
        .isEqualTo(404);
    assertThat(get("/ui/%2E%2E/cli/x.txt").statusCode()).isEqualTo(404);
    assertThat(get("/ui/vendor/uplot/..%2F..%2F..%2F..%2Fx.js").statusCode()).isEqualTo(404);
  }
}
