package io.custos.collector;

import static io.custos.collector.TestReports.report;
import static io.custos.collector.TestReports.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.custos.collector.config.CollectorConfig;
import io.custos.common.wire.Status;
import io.custos.common.wire.WireCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23: a DOWN host's "Since" and its Host Alive duration survive a restart of the collector
 * (from the Host Alive state in the store). Two collector instances, one after the other, over one
 * real SQLite file.
 */
class HostSinceRestartTest {
  @TempDir Path dir;
  final TestClock clock = new TestClock(Instant.parse("2026-11-27T03:00:00Z"));
  final HttpClient http = HttpClient.newHttpClient();
  final ObjectMapper json = new ObjectMapper();
  Collector collector;

  @AfterEach
  void stop() {
    if (collector != null) {
      collector.close();
    }
  }

  private CollectorConfig config() throws Exception {
    return CollectorConfig.parse(
        "listen: 127.0.0.1:0\nstore: { sqlite: '" + dir.resolve("c.db") + "' }\n", "test.yml");
  }

  private JsonNode get(String path, String token) throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.port() + path))
            .header("Authorization", "Bearer " + token)
            .build();
    return json.readTree(http.send(r, BodyHandlers.ofString()).body());
  }

  private JsonNode hostAlive(String token) throws Exception {
    for (JsonNode n : get("/api/v1/services?host=web01", token)) {
      if (n.get("service").asText().equals("Host Alive")) {
        return n;
      }
    }
    throw new AssertionError("no Host Alive row");
  }

  @Test
  void aDownHostsSinceAndDurationSurviveARestart() throws Exception {
    collector = Collector.start(config(), clock);
    String node = collector.createToken("web01");
    String operator = collector.createRoleToken("operator");
    long t0 = clock.millis();
    byte[] body =
        new WireCodec().encode(report("web01", 1, t0, result("Load", Status.OK, "LOAD OK", t0)));
    HttpRequest post =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + collector.port() + "/api/v1/reports"))
            .header("Authorization", "Bearer " + node)
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofByteArray(body))
            .build();
    assertThat(http.send(post, BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    clock.advance(Duration.ofMinutes(5));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                collector.store().events("web01", 0).stream()
                    .anyMatch(
                        e -> e.service().equals("Host Alive") && e.newStatus() == Status.CRITICAL));
    long since = get("/api/v1/hosts", operator).get(0).get("since").asLong();
    assertThat(get("/api/v1/hosts", operator).get(0).get("state").asText()).isEqualTo("DOWN");
    assertThat(hostAlive(operator).get("last_change").asLong()).isEqualTo(since);
    collector.close();

    clock.advance(Duration.ofHours(1));
    collector = Collector.start(config(), clock);
    operator = collector.createRoleToken("operator");
    // A restarted collector first gives every host absent_after to report (it could not hear them
    // while it was down); once that has passed, the host is DOWN since the stored time again.
    clock.advance(Duration.ofMinutes(2));

    JsonNode host = get("/api/v1/hosts", operator).get(0);
    assertThat(host.get("state").asText()).isEqualTo("DOWN");
    assertThat(host.get("since").asLong()).isEqualTo(since);
    JsonNode alive = hostAlive(operator);
    assertThat(alive.get("last_change").asLong()).isEqualTo(since);
    assertThat(alive.get("duration_s").asLong()).isEqualTo((clock.millis() - since) / 1000);
    assertThat(since).isBetween(t0, t0 + Duration.ofMinutes(5).toMillis());
  }
}
