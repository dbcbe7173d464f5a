package io.custos.collector;

import static io.custos.collector.TestReports.report;
import static io.custos.collector.TestReports.result;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.custos.collector.config.CollectorConfig;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.net.URI;
import java.net.URLEncoder;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read API for history, hosts, events and groups, over loopback HTTP as curl uses it. */
class HistoryApiTest {
  static final Instant T0 = Instant.parse("2026-11-20T00:00:00Z");

  @TempDir(factory = MemoryTempDir.class)
  Path dir;

  final TestClock clock = new TestClock(T0);
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  final ObjectMapper json = new ObjectMapper();
  Collector collector;
  String operator;

  @BeforeEach
  void start() throws Exception {
    CollectorConfig config =
        CollectorConfig.parse(
            "listen: 127.0.0.1:0\nstore: { sqlite: '"
                + dir.resolve("c.db")
                + "' }\ngroups: { webservers: [\"web*\"], databases: [\"db??\"] }\n",
            "test.yml");
    collector = Collector.start(config, clock);
    operator = collector.createRoleToken("operator");
  }

  @AfterEach
  void stop() {
    collector.close();
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.port() + path))
            .header("Authorization", "Bearer " + operator)
            .timeout(Duration.ofSeconds(20))
            .GET()
            .build(),
        BodyHandlers.ofString());
  }

  JsonNode getJson(String path) throws Exception {
    HttpResponse<String> r = get(path);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json.readTree(r.body());
  }

  /** One report a minute from web01 with load and two file systems, for {@code minutes}. */
  void feed(String host, int minutes) {
    for (int i = 0; i < minutes; i++) {
      long t = clock.millis();
      collector
          .store()
          .ingest(
              report(
                  host,
                  i,
                  t,
                  new CheckResult(
                      "Filesystems",
                      "filesystem",
                      i % 100 == 99 ? Status.WARNING : Status.OK,
                      "DISK OK",
                      t,
                      List.of(
                          Metric.of("fs_used_percent", Map.of("mount", "/"), i % 10, "%"),
                          Metric.of("fs_used_percent", Map.of("mount", "/var"), 50, "%"))),
                  new CheckResult(
                      "Load",
                      "load",
                      Status.OK,
                      "LOAD OK",
                      t,
                      List.of(Metric.of("load1", Map.of(), 0.25, null)))));
      clock.advance(Duration.ofMinutes(1));
      if (i % 600 == 599) {
        collector.store().history().maintain();
      }
    }
  }

  @Test
  void aHostsSeriesAreListed() throws Exception {
    feed("web01", 3);

    JsonNode list = getJson("/api/v1/metrics/web01");
    assertThat(list).hasSize(3);
    assertThat(list.get(0).get("series").asText()).isEqualTo("fs_used_percent{mount=\"/\"}");
    assertThat(list.get(0).get("unit").asText()).isEqualTo("%");
    assertThat(list.get(2).get("metric").asText()).isEqualTo("load1");
    assertThat(get("/api/v1/metrics/web01?format=text").body())
        .startsWith("Metric           Labels        Service")
        .contains("Unit  First Sample")
        .contains("load1");
    assertThat(get("/api/v1/metrics/nohost").statusCode()).isEqualTo(404);
    assertThat(get("/api/v1/metrics/web01/nometric").body()).contains("no series nometric");
  }

  @Test
  void rawValuesAreAnsweredForARecentRangeWithLabelsAsFilters() throws Exception {
    feed("web01", 30);

    JsonNode r = getJson("/api/v1/metrics/web01/fs_used_percent?mount=/&from=-10m");
    assertThat(r.get("resolution").asText()).isEqualTo("raw");
    assertThat(r.get("series")).hasSize(1);
    JsonNode s = r.get("series").get(0);
    assertThat(s.get("labels").get("mount").asText()).isEqualTo("/");
    assertThat(s.get("columns").toString()).isEqualTo("[\"time\",\"value\"]");
    assertThat(s.get("points")).hasSize(10);
    assertThat(s.get("points").get(9).get(1).asDouble()).isEqualTo(9.0);

    JsonNode both = getJson("/api/v1/metrics/web01/fs_used_percent?from=-10m");
    assertThat(both.get("series")).hasSize(2);

    String text = get("/api/v1/metrics/web01/fs_used_percent?mount=/&from=-3m&format=text").body();
    assertThat(text.lines().toList())
        .hasSize(4)
        .first()
        .asString()
        .startsWith("Time")
        .contains("Labels")
        .endsWith("Value");
  }

  @Test
  void aWeekAtFiveMinuteStepReadsTheFiveMinuteTier() throws Exception {
    feed("web01", 8 * 24 * 60);

    String from = URLEncoder.encode("2026-11-21T00:00:00Z", StandardCharsets.UTF_8);
    JsonNode r =
        getJson("/api/v1/metrics/web01/fs_used_percent?mount=/&from=" + from + "&to=now&step=5m");
    assertThat(r.get("resolution").asText()).isEqualTo("5m");
    assertThat(r.get("step_ms").asLong()).isEqualTo(300_000);
    JsonNode points = r.get("series").get(0).get("points");
    assertThat(points).hasSize(7 * 288);
    assertThat(points.get(0).toString())
        .isEqualTo("[" + Instant.parse("2026-11-21T00:00:00Z").toEpochMilli() + ",2.0,0.0,4.0,5]");

    JsonNode hourly = getJson("/api/v1/metrics/web01/load1?from=-8d&step=1h");
    assertThat(hourly.get("resolution").asText()).isEqualTo("1h");
    assertThat(hourly.get("series").get(0).get("points").get(5).get(4).asInt()).isEqualTo(60);
  }

  @Test
  void badParametersAreNamed() throws Exception {
    feed("web01", 2);
    assertThat(get("/api/v1/metrics/web01/load1?from=yesterday"))
        .satisfies(r -> assertThat(r.statusCode()).isEqualTo(400))
        .satisfies(r -> assertThat(r.body()).contains("from: expected epoch ms, ISO-8601"));
    assertThat(get("/api/v1/metrics/web01/load1?step=fast").body()).contains("step: expected");
    assertThat(get("/api/v1/metrics/web01/load1?from=-1d&step=1s").body())
        .contains("step: 1s over 1d");
    assertThat(get("/api/v1/metrics/web01/load1?from=now&to=-1h").body())
        .contains("from: must not be after to");
    assertThat(get("/api/v1/metrics/web01/load1?bad-label=x").body())
        .contains("bad-label: not a label name");
    assertThat(get("/api/v1/hosts?limit=0").body()).contains("limit: expected an integer from 1");
    assertThat(get("/api/v1/events?offset=-1").statusCode()).isEqualTo(400);
  }

  @Test
  void aRangeWhoseLengthOverflowsIs400NamingFromNotAnUncheckedQuery() throws Exception {
    // Issue 21 (left over): to - from wrapped negative and skipped the point-count check: 200.
    feed("web01", 2);
    HttpResponse<String> r =
        get("/api/v1/metrics/web01/load1?from=-106751991167d&to=9223372036854775807&step=1h");

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body())
        .contains("from: -106751991167d is too far before to (9223372036854775807)")
        .contains("does not fit in 64-bit milliseconds");
  }

  @Test
  void aHostShowsItsServicesAgentAndGroups() throws Exception {
    feed("web01", 2);

    JsonNode h = getJson("/api/v1/hosts/web01");
    assertThat(h.get("state").asText()).isEqualTo("UP");
    assertThat(h.get("agent").asText()).isEqualTo("custos-agent/0.1.0");
    assertThat(h.get("groups").toString()).isEqualTo("[\"web\",\"webservers\"]");
    assertThat(h.get("series").asInt()).isEqualTo(3);
    assertThat(h.get("services"))
        .extracting(s -> s.get("service").asText())
        .containsExactly("Filesystems", "Host Alive", "Load");
    assertThat(get("/api/v1/hosts/web01?format=text").body())
        .contains("webservers")
        .contains("Host Alive");
    assertThat(get("/api/v1/hosts/db01").statusCode()).isEqualTo(404);
  }

  @Test
  void groupsFilterHostsServicesAndEvents() throws Exception {
    feed("web01", 1);
    collector
        .store()
        .ingest(
            report(
                "db01",
                1,
                clock.millis(),
                result("Raid", Status.CRITICAL, "RAID CRITICAL", clock.millis())));

    assertThat(getJson("/api/v1/hosts?group=databases"))
        .extracting(x -> x.get("host").asText())
        .containsExactly("db01");
    assertThat(getJson("/api/v1/services?group=webservers"))
        .extracting(x -> x.get("host").asText())
        .containsOnly("web01");
    assertThat(getJson("/api/v1/events?group=databases"))
        .singleElement()
        .satisfies(e -> assertThat(e.get("new_status").asText()).isEqualTo("CRITICAL"));
    assertThat(getJson("/api/v1/events?group=webservers")).isEmpty();
  }

  @Test
  void listsArePaginatedWithALinkToTheNextPage() throws Exception {
    feed("web01", 400); // WARNING at minutes 99, 199, 299, 399, OK in between: 7 events
    HttpResponse<String> first = get("/api/v1/events?since=-1d&service=Filesystems&limit=3");
    assertThat(json.readTree(first.body())).hasSize(3);
    assertThat(first.headers().firstValue("X-Total-Count")).contains("7");
    String link = first.headers().firstValue("Link").orElseThrow();
    assertThat(link).endsWith(">; rel=\"next\"").contains("offset=3").contains("limit=3");
    String next = link.substring(1, link.indexOf('>'));
    JsonNode second = getJson(next);
    assertThat(second).hasSize(3);
    assertThat(second.get(0).get("time").asLong())
        .isGreaterThan(json.readTree(first.body()).get(2).get("time").asLong());
    HttpResponse<String> last =
        get("/api/v1/events?since=-1d&service=Filesystems&limit=3&offset=6");
    assertThat(json.readTree(last.body())).hasSize(1);
    assertThat(last.headers().firstValue("Link")).isEmpty();
  }
}
