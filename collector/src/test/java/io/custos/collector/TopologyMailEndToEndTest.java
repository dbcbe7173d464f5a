package io.custos.collector;

import static io.custos.collector.TestReports.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.custos.collector.config.CollectorConfig;
import io.custos.common.wire.Status;
import io.custos.common.wire.WireCodec;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23's topology input end to end: ten hosts behind a switch host that dies give ONE DOWN
 * mail, naming them, and later ONE UP mail, through a real collector (SQLite, HTTP API, its own
 * ticker and delivery thread) and SMTP to GreenMail; the API, the text table, the summary and
 * {@code /metrics} show the ten as UNREACHABLE meanwhile. The collector's clock is a test clock.
 */
class TopologyMailEndToEndTest {
  @RegisterExtension
  static final GreenMailExtension MAIL =
      new GreenMailExtension(
          new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());

  private static final List<String> WEBS =
      List.of(
          "web01", "web02", "web03", "web04", "web05", "web06", "web07", "web08", "web09", "web10");

  @TempDir Path dir;
  final TestClock clock = new TestClock(Instant.parse("2026-12-08T03:00:00Z"));
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  final ObjectMapper json = new ObjectMapper();
  final Map<String, String> tokens = new HashMap<>();
  final Map<String, Long> seq = new HashMap<>();
  Collector collector;
  String operator;

  @AfterEach
  void stop() {
    if (collector != null) {
      collector.close();
    }
  }

  private void start() throws Exception {
    CollectorConfig config =
        CollectorConfig.parse(
            "listen: 127.0.0.1:0\nstore: { sqlite: '"
                + dir.resolve("c.db")
                + "' }\ndefaults: { max_attempts: 1 }\n"
                + "hosts: { parents: { \"web*\": [sw1] } }\n"
                + "notify:\n  group_wait: 0s\n  renotify: 1h\n  email:\n    to: [root@localhost]\n"
                + "    from: custos@collector.example.net\n"
                + "    smtp: { host: 127.0.0.1, port: "
                + MAIL.getSmtp().getPort()
                + ", starttls: 'off' }\n",
            "test.yml");
    collector = Collector.start(config, clock);
    operator = collector.createRoleToken("operator");
  }

  private void report(String node, Status load) throws Exception {
    String token = tokens.computeIfAbsent(node, collector::createToken);
    long n = seq.merge(node, 1L, Long::sum);
    String body =
        new String(
            new WireCodec()
                .encode(
                    TestReports.report(
                        node,
                        n,
                        clock.millis(),
                        result("Load", load, "LOAD " + load, clock.millis()))),
            StandardCharsets.UTF_8);
    HttpResponse<String> r = send("/api/v1/reports", token, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private HttpResponse<String> send(String path, String token, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.port() + path))
            .header("Authorization", "Bearer " + token);
    b = body == null ? b.GET() : b.POST(BodyPublishers.ofString(body));
    return http.send(b.build(), BodyHandlers.ofString());
  }

  private String get(String path) throws Exception {
    HttpResponse<String> r = send(path, operator, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  private static List<String> awaitMails(int n) throws Exception {
    await().atMost(Duration.ofSeconds(20)).until(() -> MAIL.getReceivedMessages().length >= n);
    List<String> out = new ArrayList<>();
    for (MimeMessage m : MAIL.getReceivedMessages()) {
      out.add(m.getSubject());
    }
    return out;
  }

  private void fleetReports() throws Exception {
    report("sw1", Status.OK);
    for (String w : WEBS) {
      clock.advance(Duration.ofSeconds(1));
      report(w, Status.OK);
    }
  }

  @Test
  void aDeadSwitchWithTenHostsBehindItSendsOneDownMailAndLaterOneUpMail() throws Exception {
    start();
    fleetReports();
    clock.advance(Duration.ofSeconds(20));
    fleetReports();

    clock.advance(Duration.ofMinutes(3)); // the switch died: nobody behind it is heard

    assertThat(awaitMails(1)).containsExactly("[custos] PROBLEM sw1 is DOWN");
    String body = (String) MAIL.getReceivedMessages()[0].getContent();
    assertThat(body).contains("10 hosts behind it unreachable: " + String.join(", ", WEBS));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                json.readTree(get("/api/v1/summary")).get("hosts").get("unreachable").asInt()
                    == 10);
    JsonNode summary = json.readTree(get("/api/v1/summary")).get("hosts");
    assertThat(summary.toString()).isEqualTo("{\"up\":0,\"down\":1,\"unreachable\":10}");
    JsonNode hosts = json.readTree(get("/api/v1/hosts"));
    for (JsonNode h : hosts) {
      if (h.get("host").asText().equals("sw1")) {
        assertThat(h.get("state").asText()).isEqualTo("DOWN");
        assertThat(h.get("blocking")).hasSize(10);
      } else {
        assertThat(h.get("state").asText()).isEqualTo("UNREACHABLE");
        assertThat(h.get("parents").toString()).isEqualTo("[\"sw1\"]");
        assertThat(h.get("root_causes").toString()).isEqualTo("[\"sw1\"]");
      }
    }
    JsonNode web05 = json.readTree(get("/api/v1/hosts/web05"));
    assertThat(web05.get("state").asText()).isEqualTo("UNREACHABLE");
    assertThat(get("/api/v1/hosts/web05?format=text"))
        .contains("UNREACHABLE")
        .contains("Unreachable because: sw1 DOWN");
    assertThat(get("/api/v1/hosts?format=text")).contains("Parents").contains("UNREACHABLE");
    assertThat(get("/metrics"))
        .contains("custos_hosts{state=\"UNREACHABLE\"} 10.0")
        .contains("custos_host_state{host=\"web05\",state=\"UNREACHABLE\"} 1.0");
    assertThat(get("/api/v1/events?host=web05"))
        .contains("PROBLEM suppressed: host is UNREACHABLE (cut off by sw1 DOWN");

    fleetReports(); // a new switch
    assertThat(awaitMails(2)).last().isEqualTo("[custos] RECOVERY sw1 is UP");

    // A sentinel shows that nothing else was sent meanwhile: web01's own problem is mail 3.
    clock.advance(Duration.ofSeconds(5));
    report("web01", Status.CRITICAL);
    assertThat(awaitMails(3))
        .containsExactly(
            "[custos] PROBLEM sw1 is DOWN",
            "[custos] RECOVERY sw1 is UP",
            "[custos] PROBLEM web01/Load is CRITICAL");
  }
}
