package io.custos.collector;

import static io.custos.collector.TestReports.report;
import static io.custos.collector.TestReports.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.custos.collector.config.CollectorConfig;
import io.custos.collector.store.TokenRecord;
import io.custos.collector.store.Tokens;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Status;
import io.custos.common.wire.WireCodec;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
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
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/v1/stream}: Server-Sent Events over the real server, read by a real client. */
class LiveStreamTest {
  @TempDir Path dir;
  final TestClock clock = new TestClock(Instant.parse("2026-11-30T12:00:00Z"));
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  final List<CompletableFuture<?>> streams = new ArrayList<>();
  CollectorConfig config;
  Collector collector;
  String web01;
  String viewer;
  long seq;

  @BeforeEach
  void start() throws Exception {
    config =
        CollectorConfig.parse(
            "listen: 127.0.0.1:0\nstore: { sqlite: '" + dir.resolve("c.db") + "' }\n", "test.yml");
    collector = Collector.start(config, clock);
    web01 = collector.createToken("web01");
    viewer = collector.createRoleToken("viewer");
  }

  @AfterEach
  void stop() {
    streams.forEach(s -> s.cancel(true));
    collector.close();
  }

  private int post(CheckResult... results) throws Exception {
    byte[] body = new WireCodec().encode(report("web01", ++seq, clock.millis(), results));
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(base() + "/api/v1/reports"))
            .header("Authorization", "Bearer " + web01)
            .timeout(Duration.ofSeconds(20))
            .POST(BodyPublishers.ofByteArray(body))
            .build();
    return http.send(req, BodyHandlers.discarding()).statusCode();
  }

  private String base() {
    return "http://127.0.0.1:" + collector.port();
  }

  /** Opens a stream and collects its lines as they arrive. */
  private Queue<String> open(String token) throws Exception {
    Queue<String> lines = new ConcurrentLinkedQueue<>();
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(base() + "/api/v1/stream"))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "text/event-stream")
            .build();
    HttpResponse<Stream<String>> r = http.send(req, BodyHandlers.ofLines());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/event-stream");
    streams.add(CompletableFuture.runAsync(() -> r.body().forEach(lines::add)));
    await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains("retry: 2000"));
    return lines;
  }

  /** The data lines of events named {@code event}. */
  private static List<String> data(Queue<String> lines, String event) {
    List<String> out = new ArrayList<>();
    String current = null;
    for (String l : lines) {
      if (l.startsWith("event: ")) {
        current = l.substring(7);
      } else if (l.startsWith("data: ") && event.equals(current)) {
        out.add(l.substring(6));
      }
    }
    return out;
  }

  @Test
  void aStreamSaysReadyOnceRightAfterTheRetryLineAndBeforeAnyChange() throws Exception {
    assertThat(post(result("Disk /", Status.OK, "DISK OK", clock.millis()))).isEqualTo(200);
    Queue<String> lines = open(viewer);
    await().atMost(Duration.ofSeconds(10)).until(() -> data(lines, "ready").size() == 1);
    assertThat(List.copyOf(lines).subList(0, 5))
        .containsExactly("retry: 2000", "", "event: ready", "data: {}", "");

    clock.advance(Duration.ofSeconds(60));
    assertThat(post(result("Disk /", Status.WARNING, "DISK WARNING - 9% free", clock.millis())))
        .isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> !data(lines, "service").isEmpty());
    assertThat(data(lines, "ready")).containsExactly("{}");
  }

  @Test
  void aCriticalReportIsPushedAsServiceHostAndAlertEvents() throws Exception {
    assertThat(post(result("Disk /", Status.OK, "DISK OK", clock.millis()))).isEqualTo(200);
    Queue<String> lines = open(viewer);
    await().atMost(Duration.ofSeconds(10)).until(() -> collector.dashboardStreams() == 1);

    clock.advance(Duration.ofSeconds(60));
    assertThat(post(result("Disk /", Status.CRITICAL, "DISK CRITICAL - 2% free", clock.millis())))
        .isEqualTo(200);

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(data(lines, "service"))
                    .anySatisfy(
                        d ->
                            assertThat(d)
                                .contains("\"host\":\"web01\"")
                                .contains("\"service\":\"Disk /\"")
                                .contains("\"status\":\"CRITICAL\"")
                                .contains("DISK CRITICAL - 2% free")));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(data(lines, "alert"))
                    .anySatisfy(d -> assertThat(d).contains("\"new_status\":\"CRITICAL\"")));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(data(lines, "host"))
                    .anySatisfy(d -> assertThat(d).contains("\"problems\":1")));
  }

  @Test
  void aRevokedTokensStreamIsRefusedAndASessionStreamWorks() throws Exception {
    collector.store().revokeToken(TokenRecord.idOf(Tokens.hash(viewer)));
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(base() + "/api/v1/stream"))
            .header("Authorization", "Bearer " + viewer)
            .build();
    assertThat(http.send(req, BodyHandlers.discarding()).statusCode()).isEqualTo(401);

    String operator = collector.createRoleToken("operator");
    HttpResponse<String> login =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/api/v1/session"))
                .header("Content-Type", "application/json")
                .header("Origin", base())
                .POST(BodyPublishers.ofString("{\"token\":\"" + operator + "\"}"))
                .build(),
            BodyHandlers.ofString());
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    HttpResponse<Stream<String>> stream =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/api/v1/stream"))
                .header("Cookie", cookie)
                .build(),
            BodyHandlers.ofLines());
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.body().findFirst()).hasValue("retry: 2000");
  }

  @Test
  void aRevokedTokensOpenStreamEndsAtOnceAndGetsNoFurtherEvent() throws Exception {
    // Issue 21: a revoked token's open stream went on delivering events for 11 s.
    assertThat(post(result("Disk /", Status.OK, "DISK OK", clock.millis()))).isEqualTo(200);
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(base() + "/api/v1/stream"))
            .header("Authorization", "Bearer " + viewer)
            .build();
    HttpResponse<Stream<String>> r = http.send(req, BodyHandlers.ofLines());
    Queue<String> lines = new ConcurrentLinkedQueue<>();
    CompletableFuture<Void> ended = CompletableFuture.runAsync(() -> r.body().forEach(lines::add));
    streams.add(ended);
    await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains("retry: 2000"));

    collector.store().revokeToken(TokenRecord.idOf(Tokens.hash(viewer)));
    clock.advance(Duration.ofSeconds(60));
    assertThat(post(result("Disk /", Status.CRITICAL, "DISK CRITICAL - revoked", clock.millis())))
        .isEqualTo(200);

    // Ended by the feed's next pass (about a second), long before the 15 s ping.
    await().atMost(Duration.ofSeconds(5)).until(ended::isDone);
    assertThat(lines).noneMatch(l -> l.contains("DISK CRITICAL - revoked"));
  }

  @Test
  void aSubscriberThatDoesNotReadIsDroppedAndDoesNotSlowIngest() throws Exception {
    Queue<String> fast = open(viewer);
    try (Socket slow = new Socket()) {
      slow.setReceiveBufferSize(4096);
      slow.connect(new InetSocketAddress("127.0.0.1", collector.port()));
      OutputStream out = slow.getOutputStream();
      out.write(
          ("GET /api/v1/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + viewer + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = slow.getInputStream();
      in.read(new byte[64]); // the head has come; from now on this client reads nothing
      await().atMost(Duration.ofSeconds(10)).until(() -> collector.dashboardStreams() == 2);

      // Each report changes 100 outputs of 2 KB: about 200 KB of events per report.
      String pad = "x".repeat(2000);
      int reports = 0;
      while (collector.dashboardStreams() == 2 && reports < 400) {
        clock.advance(Duration.ofSeconds(10));
        CheckResult[] results = new CheckResult[100];
        for (int i = 0; i < results.length; i++) {
          results[i] = result("Check " + i, Status.OK, "OK " + seq + " " + pad, clock.millis());
        }
        assertThat(post(results)).isEqualTo(200);
        reports++;
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> collector.dashboardStreams() == 1);
      long last = seq;
      clock.advance(Duration.ofSeconds(10));
      assertThat(post(result("Check 0", Status.WARNING, "the end", clock.millis()))).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> assertThat(data(fast, "service")).anyMatch(d -> d.contains("the end")));
      assertThat(last).isGreaterThan(1);
    }
  }
}
