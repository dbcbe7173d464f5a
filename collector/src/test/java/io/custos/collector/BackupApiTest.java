package io.custos.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.custos.collector.config.CollectorConfig;
import io.custos.common.wire.BackupEvent;
import io.custos.common.wire.Status;
import io.custos.common.wire.WireCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup catalog, {@code GET /api/v1/backups}, over loopback HTTP as agents and curl use it.
 */
class BackupApiTest {
  static final Instant T0 = Instant.parse("2026-11-27T01:00:00Z");
  static final long MS = T0.toEpochMilli();

  @TempDir Path dir;
  final TestClock clock = new TestClock(T0.plusSeconds(3600), ZoneId.of("Europe/Berlin"));
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  final ObjectMapper json = new ObjectMapper();
  Collector collector;
  String web01;
  String operator;

  @BeforeEach
  void start() throws Exception {
    CollectorConfig config =
        CollectorConfig.parse(
            "listen: 127.0.0.1:0\nstore: { sqlite: '" + dir.resolve("c.db") + "' }\n", "test.yml");
    collector = Collector.start(config, clock);
    web01 = collector.createToken("web01");
    operator = collector.createRoleToken("operator");
  }

  @AfterEach
  void stop() {
    collector.close();
  }

  HttpResponse<String> send(String method, String path, String token, byte[] body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.port() + path))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(20));
    if (body == null) {
      b.GET();
    } else {
      b.header("Content-Type", "application/json").POST(BodyPublishers.ofByteArray(body));
    }
    return http.send(b.build(), BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws Exception {
    return send("GET", path, operator, null);
  }

  JsonNode getJson(String path) throws Exception {
    HttpResponse<String> r = get(path);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json.readTree(r.body());
  }

  @Test
  void backupRunsPostedInAReportAreListed() throws Exception {
    BackupEvent full =
        new BackupEvent(
            "www",
            "full",
            "web01.www.20261127T010000Z.full.tar.zst",
            Status.OK,
            261_711_066,
            78_020,
            MS,
            MS + 18_520,
            "");
    BackupEvent failed =
        new BackupEvent(
            "etc",
            "incr",
            null,
            Status.CRITICAL,
            0,
            0,
            MS + 60_000,
            MS + 62_000,
            "cannot read /etc/shadow: Permission denied");
    HttpResponse<String> posted =
        send(
            "POST",
            "/api/v1/reports",
            web01,
            new WireCodec().encode(TestBackups.report("web01", 1, MS + 90_000, full, failed)));
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);

    HttpResponse<String> r = get("/api/v1/backups?node=web01");
    assertThat(r.headers().firstValue("X-Total-Count")).contains("2");
    JsonNode rows = json.readTree(r.body());
    assertThat(rows).hasSize(2);
    JsonNode newest = rows.get(0);
    assertThat(newest.get("node").asText()).isEqualTo("web01");
    assertThat(newest.get("set").asText()).isEqualTo("etc");
    assertThat(newest.get("level").asText()).isEqualTo("incr");
    assertThat(newest.get("archive").isNull()).isTrue();
    assertThat(newest.get("result").asText()).isEqualTo("CRITICAL");
    assertThat(newest.get("message").asText())
        .isEqualTo("cannot read /etc/shadow: Permission denied");
    JsonNode ok = rows.get(1);
    assertThat(ok.get("archive").asText()).isEqualTo("web01.www.20261127T010000Z.full.tar.zst");
    assertThat(ok.get("result").asText()).isEqualTo("OK");
    assertThat(ok.get("bytes").asLong()).isEqualTo(261_711_066);
    assertThat(ok.get("files").asLong()).isEqualTo(78_020);
    assertThat(ok.get("started").asLong()).isEqualTo(MS);
    assertThat(ok.get("started_iso").asText()).isEqualTo("2026-11-27T01:00:00Z");
    assertThat(ok.get("finished").asLong()).isEqualTo(MS + 18_520);
    assertThat(ok.get("duration_ms").asLong()).isEqualTo(18_520);
    assertThat(ok.get("message").asText()).isEmpty();
    assertThat(ok.get("received").asLong()).isEqualTo(clock.millis());

    assertThat(getJson("/api/v1/backups?result=critical"))
        .singleElement()
        .satisfies(b -> assertThat(b.get("set").asText()).isEqualTo("etc"));
    assertThat(getJson("/api/v1/backups?set=www&result=OK")).hasSize(1);
    assertThat(getJson("/api/v1/backups?node=db01")).isEmpty();

    // The same report replayed from the agent's spool adds nothing.
    send(
        "POST",
        "/api/v1/reports",
        web01,
        new WireCodec().encode(TestBackups.report("web01", 1, MS + 90_000, full, failed)));
    assertThat(get("/api/v1/backups").headers().firstValue("X-Total-Count")).contains("2");
  }

  @Test
  void textIsAnAlignedTableInLocalTime() throws Exception {
    collector
        .store()
        .ingest(
            TestBackups.report(
                "web01",
                1,
                MS,
                TestBackups.ok("web01", "www", "full", MS),
                TestBackups.failed("etc", MS + 60_000, "disk full")));

    String text = get("/api/v1/backups?format=text").body();

    assertThat(text.lines())
        .containsExactly(
            "Node   Set  Level  Archive                               Result    Size     Files "
                + " Started                  Duration  Message",
            "web01  etc  incr   -                                     CRITICAL  0B       0     "
                + " 2026-11-27 02:01:00 CET  2s        disk full",
            "web01  www  full   web01.www."
                + MS
                + ".full.tar.zst  OK        249.6MB  78020  2026-11-27 02:00:00 CET  18s");
  }

  @Test
  void theCatalogIsPaginatedWithALinkToTheNextPage() throws Exception {
    for (int i = 0; i < 5; i++) {
      collector
          .store()
          .ingest(
              TestBackups.report(
                  "web01", i, MS, TestBackups.ok("web01", "www", "incr", MS + i * 60_000L)));
    }

    HttpResponse<String> first = get("/api/v1/backups?node=web01&limit=2");
    assertThat(first.headers().firstValue("X-Total-Count")).contains("5");
    JsonNode rows = json.readTree(first.body());
    assertThat(rows)
        .extracting(b -> b.get("started").asLong())
        .containsExactly(MS + 240_000, MS + 180_000);
    String link = first.headers().firstValue("Link").orElseThrow();
    assertThat(link).endsWith(">; rel=\"next\"").contains("offset=2").contains("limit=2");
    JsonNode second = getJson(link.substring(1, link.indexOf('>')));
    assertThat(second)
        .extracting(b -> b.get("started").asLong())
        .containsExactly(MS + 120_000, MS + 60_000);
    HttpResponse<String> last = get("/api/v1/backups?node=web01&limit=2&offset=4");
    assertThat(json.readTree(last.body())).hasSize(1);
    assertThat(last.headers().firstValue("Link")).isEmpty();
  }

  @Test
  void badParametersAreNamedAndNodeTokensCannotRead() throws Exception {
    assertThat(get("/api/v1/backups?result=failed"))
        .satisfies(r -> assertThat(r.statusCode()).isEqualTo(400))
        .satisfies(
            r ->
                assertThat(r.body())
                    .contains("result: expected ok|warning|critical|unknown, got \\\"failed\\\""));
    assertThat(get("/api/v1/backups?limit=0").body()).contains("limit: expected an integer from 1");
    assertThat(get("/api/v1/backups?offset=-1").statusCode()).isEqualTo(400);
    assertThat(get("/api/v1/backups?format=csv").body()).contains("format: expected json|text");
    assertThat(send("GET", "/api/v1/backups", web01, null).statusCode()).isEqualTo(403);
  }
}
