package io.custos.collector;

import static io.custos.collector.TestReports.report;
import static io.custos.collector.TestReports.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.custos.collector.config.CollectorConfig;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Report;
import io.custos.common.wire.Status;
import io.custos.common.wire.WireCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The routes the dashboard reads: filters, summary, groups, notifications, mass ack, graphs. */
class DashboardApiTest {
  @TempDir Path dir;
  final TestClock clock = new TestClock(Instant.parse("2026-11-30T12:00:00Z"));
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  final ObjectMapper json = new ObjectMapper();
  Collector collector;
  String operator;
  String viewer;

  @BeforeEach
  void start() throws Exception {
    Path sendmail = dir.resolve("sendmail");
    Files.writeString(sendmail, "#!/bin/sh\ncat >> " + dir.resolve("mbox") + "\n");
    sendmail.toFile().setExecutable(true);
    collector =
        Collector.start(
            CollectorConfig.parse(
                "listen: 127.0.0.1:0\nstore: { sqlite: '"
                    + dir.resolve("c.db")
                    + "' }\ndefaults: { max_attempts: 1 }\ngroups: { db: ['db*'] }\n"
                    + "servicegroups: { disks: { services: ['Disk *'] },"
                    + " web-load: { hosts: ['web*'], services: [Load] }, empty: { services: [x] } }\n"
                    + "notify: { group_wait: 0s, email: { sendmail: '"
                    + sendmail
                    + "' } }\n",
                "test.yml"),
            clock);
    operator = collector.createRoleToken("operator");
    viewer = collector.createRoleToken("viewer");
    long t = clock.millis();
    post(
        "web01",
        result("Disk /", Status.CRITICAL, "DISK CRITICAL - 3% free", t),
        result("Load", Status.WARNING, "LOAD WARNING - 7.1", t),
        new CheckResult(
            "Memory",
            "memory",
            Status.OK,
            "MEM OK - 41% used",
            t,
            List.of(new Metric("mem_used_percent", Map.of(), 41.0, "%", 80.0, 90.0, 0.0, 100.0))));
    post("db01", result("Disk /", Status.UNKNOWN, "cannot statvfs /", t));
  }

  @AfterEach
  void stop() {
    collector.close();
  }

  private void post(String node, CheckResult... results) throws Exception {
    String token = collector.createToken(node);
    Report r = report(node, 1, clock.millis(), results);
    HttpResponse<String> res =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/api/v1/reports"))
                .header("Authorization", "Bearer " + token)
                .POST(BodyPublishers.ofByteArray(new WireCodec().encode(r)))
                .build(),
            BodyHandlers.ofString());
    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
  }

  private String base() {
    return "http://127.0.0.1:" + collector.port();
  }

  private HttpResponse<String> call(String method, String path, String token, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base() + path))
            .header("Authorization", "Bearer " + token)
            .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body))
            .build(),
        BodyHandlers.ofString());
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r = call("GET", path, viewer, null);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return json.readTree(r.body());
  }

  private static List<String> names(JsonNode rows) {
    return rows.findValuesAsText("service").stream().toList();
  }

  @Test
  void servicesFilterByTextGroupAndUnhandled() throws Exception {
    assertThat(names(get("/api/v1/services?q=statvfs"))).containsExactly("Disk /");
    assertThat(get("/api/v1/services?q=LOAD%20warning").get(0).get("host").asText())
        .isEqualTo("web01");
    assertThat(names(get("/api/v1/services?group=db"))).containsExactly("Disk /", "Host Alive");
    assertThat(names(get("/api/v1/services?status=unhandled")))
        .containsExactlyInAnyOrder("Disk /", "Load", "Disk /");

    HttpResponse<String> ack =
        call("POST", "/api/v1/acks", operator, "{\"host\":\"web01\",\"service\":\"Disk /\"}");
    assertThat(ack.statusCode()).as(ack.body()).isEqualTo(201);
    JsonNode unhandled = get("/api/v1/services?status=unhandled");
    assertThat(unhandled).hasSize(2);
    assertThat(unhandled.findValuesAsText("output"))
        .containsExactlyInAnyOrder("LOAD WARNING - 7.1", "cannot statvfs /");
    assertThat(unhandled.findValuesAsText("unhandled")).containsOnly("true");
    JsonNode acked = get("/api/v1/services?host=web01&q=CRITICAL").get(0);
    assertThat(acked.get("unhandled").asBoolean()).as("acknowledged: handled").isFalse();
    JsonNode alive = get("/api/v1/services?group=db").get(1);
    assertThat(alive.get("service").asText()).isEqualTo("Host Alive");
    assertThat(alive.get("host_alive").asBoolean()).isTrue();
    assertThat(call("GET", "/api/v1/services?status=bad", viewer, null).body())
        .contains("unhandled");
  }

  @Test
  void summaryCountsHostsServicesAndWhatIsUnhandled() throws Exception {
    call("POST", "/api/v1/acks", operator, "{\"host\":\"db01\",\"service\":\"Disk /\"}");
    JsonNode s = get("/api/v1/summary");
    assertThat(s.get("hosts").toString()).isEqualTo("{\"up\":2,\"down\":0,\"unreachable\":0}");
    assertThat(s.get("services").toString())
        .isEqualTo("{\"ok\":1,\"warning\":1,\"critical\":1,\"unknown\":1}");
    assertThat(s.get("unhandled").toString())
        .isEqualTo("{\"warning\":1,\"critical\":1,\"unknown\":0}");
    assertThat(s.get("handled").asInt()).isEqualTo(1);
  }

  @Test
  void groupsCountTheirHostsAndServices() throws Exception {
    JsonNode g = get("/api/v1/groups");
    // TestReports tags every host "web"; "db" comes from the configured pattern.
    assertThat(g.findValuesAsText("group")).containsExactly("db", "web");
    assertThat(g.get(0).get("hosts").toString())
        .isEqualTo("{\"up\":1,\"down\":0,\"unreachable\":0}");
    assertThat(g.get(0).get("services").get("unknown").asInt()).isEqualTo(1);
    assertThat(g.get(1).get("hosts").get("up").asInt()).isEqualTo(2);
    assertThat(g.get(1).get("services").get("critical").asInt()).isEqualTo(1);
  }

  @Test
  void serviceGroupsCountTheirMembersAcrossHostsAndFilterTheServiceTable() throws Exception {
    JsonNode g = get("/api/v1/servicegroups");
    assertThat(g.findValuesAsText("group")).containsExactly("disks", "empty", "web-load");
    assertThat(g.get(0).get("hosts").toString()).isEqualTo("{\"up\":2,\"down\":0}");
    assertThat(g.get(0).get("services").toString())
        .isEqualTo("{\"ok\":0,\"warning\":0,\"critical\":1,\"unknown\":1}");
    assertThat(g.get(0).get("unhandled").asInt()).isEqualTo(2);
    assertThat(g.get(1).get("services").get("ok").asInt()).isZero();
    assertThat(g.get(2).get("services").get("warning").asInt()).isEqualTo(1);

    assertThat(get("/api/v1/services?servicegroup=disks").findValuesAsText("host"))
        .containsExactly("db01", "web01");
    HttpResponse<String> bad = call("GET", "/api/v1/services?servicegroup=nope", viewer, null);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("servicegroup: no service group \\\"nope\\\"");
  }

  @Test
  void notificationsSayWhatWasSentWhereAndWhy() throws Exception {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> get("/api/v1/notifications?result=sent").size() >= 3);
    JsonNode n = get("/api/v1/notifications?host=web01");
    JsonNode disk = null;
    for (JsonNode row : n) {
      if (row.get("service").asText().equals("Disk /")) {
        disk = row;
      }
    }
    assertThat(disk).isNotNull();
    assertThat(disk.get("type").asText()).isEqualTo("PROBLEM");
    assertThat(disk.get("result").asText()).isEqualTo("sent");
    assertThat(disk.get("channel").asText()).isEqualTo("email");
    assertThat(disk.get("status").asText()).isEqualTo("CRITICAL");
    assertThat(call("GET", "/api/v1/notifications?result=x", viewer, null).statusCode())
        .isEqualTo(400);
  }

  @Test
  void massAcknowledgeAcksEachTargetAndReportsTheOnesItCannot() throws Exception {
    HttpResponse<String> r =
        call(
            "POST",
            "/api/v1/acks",
            operator,
            "{\"targets\":[{\"host\":\"web01\",\"service\":\"Disk /\"},"
                + "{\"host\":\"web01\",\"service\":\"Load\"},"
                + "{\"host\":\"web01\",\"service\":\"Memory\"},"
                + "{\"host\":\"nope\",\"service\":\"x\"}],\"comment\":\"disk order placed\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = json.readTree(r.body());
    assertThat(body.get("acknowledged").findValuesAsText("service"))
        .containsExactly("Disk /", "Load");
    assertThat(body.get("errors").findValuesAsText("status")).containsExactly("409", "404");
    assertThat(get("/api/v1/services?status=unhandled").findValuesAsText("host"))
        .containsExactly("db01");
    assertThat(
            call("POST", "/api/v1/acks", viewer, "{\"targets\":[{\"host\":\"db01\"}]}")
                .statusCode())
        .isEqualTo(403);
    assertThat(call("POST", "/api/v1/acks", operator, "{\"targets\":[]}").body())
        .contains("targets:");
  }

  @Test
  void graphSeriesCarryTheThresholdsOfTheLastSample() throws Exception {
    JsonNode g = get("/api/v1/metrics/web01/mem_used_percent?from=-1h&to=now");
    assertThat(g.get("resolution").asText()).isEqualTo("raw");
    JsonNode s = g.get("series").get(0);
    assertThat(s.get("warning").asDouble()).isEqualTo(80.0);
    assertThat(s.get("critical").asDouble()).isEqualTo(90.0);
    assertThat(s.get("points").get(0).get(1).asDouble()).isEqualTo(41.0);
    JsonNode fs = get("/api/v1/metrics/web01/fs_used_percent?from=-1h&to=now");
    assertThat(fs.get("series").get(0).get("warning").isNull()).isTrue();
  }
}
