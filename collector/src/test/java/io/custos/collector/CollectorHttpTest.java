package io.custos.collector;

import static io.custos.collector.TestReports.report;
import static io.custos.collector.TestReports.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.custos.collector.config.CollectorConfig;
import io.custos.common.wire.Report;
import io.custos.common.wire.Status;
import io.custos.common.wire.WireCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The collector over real loopback HTTP, as an agent and an operator use it. */
class CollectorHttpTest {
  static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
  static final long MS = T0.toEpochMilli();

  @TempDir Path dir;
  final TestClock clock = new TestClock(T0);
  final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  final ObjectMapper json = new ObjectMapper();
  final WireCodec codec = new WireCodec();
  CollectorConfig config;
  Collector collector;
  String web01;
  String operator;

  @BeforeEach
  void start() throws Exception {
    config =
        CollectorConfig.parse(
            "listen: 127.0.0.1:0\nstore: { sqlite: '"
                + dir.resolve("collector.db")
                + "' }\nhttp: { max_body: 64KB }\n",
            "test.yml");
    collector = Collector.start(config, clock);
    web01 = collector.createToken("web01");
    operator = collector.createRoleToken("operator");
  }

  @AfterEach
  void stop() {
    collector.close();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + collector.port() + path);
  }

  HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.GET().build(), BodyHandlers.ofString());
  }

  HttpResponse<String> post(String token, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri("/api/v1/reports"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.POST(BodyPublishers.ofByteArray(body)).build(), BodyHandlers.ofString());
  }

  byte[] bytes(Report r) {
    return codec.encode(r);
  }

  void assertStillHealthy() throws Exception {
    HttpResponse<String> r = get("/healthz", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"status\":\"ok\"}");
  }

  JsonNode services(String query) throws Exception {
    HttpResponse<String> r = get("/api/v1/services" + query, operator);
    assertThat(r.statusCode()).isEqualTo(200);
    return json.readTree(r.body());
  }

  @Test
  void aGoodReportIsStoredAndShown() throws Exception {
    HttpResponse<String> r =
        post(
            web01,
            bytes(
                report(
                    "web01",
                    1,
                    MS,
                    result("Root Partition", Status.OK, "DISK OK - free space: / 4992 MB", MS))));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json.readTree(r.body())).isEqualTo(json.readTree("{\"stored\":true,\"seq\":1}"));
    JsonNode rows = services("");
    assertThat(rows).hasSize(2);
    JsonNode disk = rows.get(1);
    assertThat(disk.get("host").asText()).isEqualTo("web01");
    assertThat(disk.get("service").asText()).isEqualTo("Root Partition");
    assertThat(disk.get("status").asText()).isEqualTo("OK");
    assertThat(disk.get("attempt").asInt()).isEqualTo(1);
    assertThat(disk.get("max_attempts").asInt()).isEqualTo(3);
    assertThat(disk.get("last_check").asLong()).isEqualTo(MS);
    assertThat(disk.get("output").asText()).isEqualTo("DISK OK - free space: / 4992 MB");
    assertThat(disk.get("stale").asBoolean()).isFalse();
    assertThat(disk.get("metrics").get(0).get("name").asText()).isEqualTo("fs_used_percent");

    JsonNode hosts = json.readTree(get("/api/v1/hosts", operator).body());
    assertThat(hosts.get(0).get("host").asText()).isEqualTo("web01");
    assertThat(hosts.get(0).get("state").asText()).isEqualTo("UP");
    assertThat(hosts.get(0).get("last_report_iso").asText()).isEqualTo("2026-11-27T12:00:00Z");
    assertThat(hosts.get(0).get("agent").asText()).isEqualTo("custos-agent/0.1.0");
    assertThat(hosts.get(0).get("services").asInt()).isEqualTo(1);
  }

  @Test
  void theTextTableIsAlignedAndHeaded() throws Exception {
    post(
        web01,
        bytes(
            report(
                "web01",
                1,
                MS,
                result("Root Partition", Status.OK, "DISK OK", MS - 5_000),
                result("Load", Status.CRITICAL, "LOAD CRITICAL - " + "x".repeat(200), MS))));
    clock.advance(Duration.ofSeconds(72));

    HttpResponse<String> r = get("/api/v1/services?format=text", operator);

    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    List<String> lines = r.body().lines().toList();
    assertThat(lines.get(0))
        .matches("Host +Service +Status +Duration +Attempt +Last Check +Flags +Status Information");
    assertThat(lines).hasSize(4);
    int statusColumn = lines.get(0).indexOf("Status ");
    int infoColumn = lines.get(0).indexOf("Status Information");
    for (String line : lines.subList(1, 4)) {
      assertThat(line.substring(statusColumn)).matches("(OK|CRITICAL) .*");
      assertThat(line.charAt(infoColumn - 1)).isEqualTo(' ');
      assertThat(line.charAt(infoColumn)).isNotEqualTo(' ');
    }
    assertThat(lines.get(1))
        .startsWith("web01  Host Alive")
        .contains("HOST UP - last report 1m 12s ago");
    assertThat(lines.get(2))
        .contains("Load")
        .contains("CRITICAL")
        .contains("1m 12s")
        .contains("1/3")
        .contains("2026-11-27 12:00:00 UTC")
        .endsWith("…");
    assertThat(lines.get(3)).contains("Root Partition").contains("2026-11-27 11:59:55 UTC");
  }

  @Test
  void aDuplicateSeqIsAcknowledgedButStoredOnce() throws Exception {
    byte[] body = bytes(report("web01", 5, MS, result("Load", Status.OK, "LOAD OK", MS)));
    post(web01, body);

    HttpResponse<String> again = post(web01, body);

    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json.readTree(again.body()))
        .isEqualTo(json.readTree("{\"stored\":false,\"duplicate\":true,\"seq\":5}"));
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("collector.db"));
        ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM reports")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
  }

  @Test
  void aWrongTokenIs401() throws Exception {
    HttpResponse<String> r = post("cst_node_forged", bytes(report("web01", 1, MS)));

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"custos\"");
    assertThat(r.body()).startsWith("{\"error\":");
    assertStillHealthy();
  }

  @Test
  void anotherNodesNameIs403() throws Exception {
    HttpResponse<String> r = post(web01, bytes(report("db01", 1, MS)));

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("web01").contains("db01");
    assertStillHealthy();
  }

  @Test
  void malformedJsonIs400NamingThePosition() throws Exception {
    HttpResponse<String> r =
        post(web01, "{\"v\": 1,\n \"node\": }".getBytes(StandardCharsets.UTF_8));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json.readTree(r.body()).get("error").asText())
        .startsWith("malformed JSON at line 2, column");
    assertStillHealthy();
  }

  @Test
  void aBadFieldIs400NamingIt() throws Exception {
    String body =
        new String(
                bytes(report("web01", 1, MS, result("Load", Status.OK, "x", MS))),
                StandardCharsets.UTF_8)
            .replace("\"status\":\"OK\"", "\"status\":\"BAD\"");

    HttpResponse<String> r = post(web01, body.getBytes(StandardCharsets.UTF_8));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json.readTree(r.body()).get("error").asText())
        .isEqualTo("results[0].status: expected OK|WARNING|CRITICAL|UNKNOWN, got \"BAD\"");
    assertStillHealthy();
  }

  @Test
  void anOversizedBodyIs413() throws Exception {
    HttpResponse<String> r = post(web01, new byte[65 * 1024]);

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).contains("http.max_body");
    assertStillHealthy();
  }

  @Test
  void aGzipBodyIsAccepted() throws Exception {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(bytes(report("web01", 1, MS, result("Load", Status.OK, "LOAD OK", MS))));
    }

    HttpResponse<String> r = post(web01, gz.toByteArray(), "Content-Encoding", "gzip");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(services("?host=web01")).hasSize(2);
  }

  @Test
  void aSilentHostGoesDown() throws Exception {
    post(web01, bytes(report("web01", 1, MS, result("Load", Status.OK, "LOAD OK", MS))));
    clock.advance(Duration.ofSeconds(125));

    JsonNode rows = services("?status=problems");

    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).get("service").asText()).isEqualTo("Host Alive");
    assertThat(rows.get(0).get("status").asText()).isEqualTo("CRITICAL");
    assertThat(rows.get(0).get("output").asText())
        .isEqualTo("HOST DOWN - no report for 2m 5s (3 intervals of 30s)");
    assertThat(services("?status=ok").get(0).get("stale").asBoolean()).isTrue();
    assertThat(json.readTree(get("/api/v1/hosts", operator).body()).get(0).get("state").asText())
        .isEqualTo("DOWN");
  }

  @Test
  void statusFiltersSelectRows() throws Exception {
    post(
        web01,
        bytes(
            report(
                "web01",
                1,
                MS,
                result("Load", Status.WARNING, "LOAD WARNING", MS),
                result("Raid", Status.OK, "RAID OK", MS))));

    assertThat(services("?status=problems"))
        .extracting(n -> n.get("service").asText())
        .containsExactly("Load");
    assertThat(services("?status=warning")).hasSize(1);
    assertThat(services("?status=critical")).isEmpty();
    HttpResponse<String> bad = get("/api/v1/services?status=broken", operator);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json.readTree(bad.body()).get("error").asText()).startsWith("status: expected");
    assertStillHealthy();
  }

  @Test
  void servicesSortByColumnAndFilterByHostSubstring() throws Exception {
    post(
        web01,
        bytes(
            report(
                "web01",
                1,
                MS,
                result("Load", Status.WARNING, "LOAD WARNING", MS),
                result("Disk", Status.CRITICAL, "DISK CRITICAL", MS),
                result("Raid", Status.OK, "RAID OK", MS))));

    assertThat(services("?status=all&sort=-status"))
        .extracting(n -> n.get("service").asText())
        .startsWith("Disk", "Load");
    assertThat(services("?status=all&sort=service"))
        .extracting(n -> n.get("service").asText())
        .containsExactly("Disk", "Host Alive", "Load", "Raid");
    assertThat(services("?host_contains=EB0")).hasSize(4);
    assertThat(services("?host_contains=db")).isEmpty();
    HttpResponse<String> bad = get("/api/v1/services?sort=colour", operator);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json.readTree(bad.body()).get("error").asText())
        .startsWith("sort: expected host|service|status")
        .contains("\"colour\"");
    assertStillHealthy();
  }

  @Test
  void unknownRoutesAndMethodsAreJsonErrors() throws Exception {
    HttpResponse<String> missing = get("/api/v1/nothing", operator);
    HttpResponse<String> method = get("/api/v1/reports", web01);

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).startsWith("{\"error\":");
    assertThat(method.statusCode()).isEqualTo(405);
    assertThat(method.headers().firstValue("Allow")).hasValue("POST");
    assertThat(get("/", null).body()).startsWith("<!DOCTYPE html>");
  }

  @Test
  void aRestartedCollectorKeepsItsData() throws Exception {
    post(
        web01, bytes(report("web01", 1, MS, result("Load", Status.CRITICAL, "LOAD CRITICAL", MS))));
    collector.close();
    int oldPort = collector.port();
    await().atMost(Duration.ofSeconds(5)).until(() -> refuses(oldPort));

    collector = Collector.start(config, clock);

    assertThat(services("?status=critical"))
        .extracting(n -> n.get("service").asText())
        .containsExactly("Load");
    HttpResponse<String> replay = post(web01, bytes(report("web01", 1, MS)));
    assertThat(replay.body()).contains("\"duplicate\":true");
  }

  static boolean refuses(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
