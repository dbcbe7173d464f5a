package io.custos.collector.http;

import static io.custos.collector.TestReports.report;
import static io.custos.collector.TestReports.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.custos.collector.TestClock;
import io.custos.collector.status.StatusBoard;
import io.custos.collector.store.Role;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Tokens;
import io.custos.collector.store.sqlite.SqliteStore;
import io.custos.common.wire.Status;
import io.custos.common.wire.WireCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Work before authentication and slow clients, on an {@code EmbeddedChannel} fed raw bytes: the
 * token is checked on the headers and a refused body is never decompressed nor buffered.
 */
class RequestGuardTest {
  static final long T0 = Instant.parse("2026-11-27T12:00:00Z").toEpochMilli();
  static final int MAX_BODY = 1 << 20;

  @TempDir Path dir;
  SqliteStore store;
  EmbeddedChannel server;
  String token;

  @BeforeEach
  void setUp() {
    TestClock clock = new TestClock(Instant.ofEpochMilli(T0));
    StatePolicy policy = new StatePolicy(3, 3);
    store = SqliteStore.open(dir.resolve("c.db"), clock, policy);
    token = new Tokens().issue(store, Role.NODE, "web01");
    server = new EmbeddedChannel();
    CollectorServerInitializer.configure(
        server.pipeline(),
        TestRoutes.create(store, new StatusBoard(store, clock, policy)),
        Runnable::run,
        new ServerOptions(MAX_BODY, 10, Duration.ofSeconds(10), null));
  }

  @AfterEach
  void tearDown() {
    server.finishAndReleaseAll();
    store.close();
  }

  void send(String text) {
    server.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    server.runPendingTasks();
  }

  void send(byte[] bytes) {
    server.writeInbound(Unpooled.wrappedBuffer(bytes));
    server.runPendingTasks();
  }

  String answers() {
    StringBuilder sb = new StringBuilder();
    ByteBuf b;
    while ((b = server.readOutbound()) != null) {
      sb.append(b.toString(StandardCharsets.UTF_8));
      b.release();
    }
    return sb.toString();
  }

  static String head(String auth, int length, String extra) {
    return "POST /api/v1/reports HTTP/1.1\r\nHost: c\r\n"
        + (auth == null ? "" : "Authorization: " + auth + "\r\n")
        + "Content-Type: application/json\r\nContent-Encoding: gzip\r\n"
        + extra
        + "Content-Length: "
        + length
        + "\r\n\r\n";
  }

  @Test
  void aBodyWithoutTokenIsRefused401OnTheHeadersBeforeItArrives() {
    send(head(null, 8_000_000, ""));

    String out = answers();
    assertThat(out).startsWith("HTTP/1.1 401").contains("WWW-Authenticate: Bearer");
    assertThat(out).contains("missing Authorization");
  }

  @Test
  void anUnknownTokenIsRefused401OnTheHeadersAndItsGzipBodyIsDiscardedUndecoded() {
    send(head("Bearer not-a-token", 8_000_000, ""));
    assertThat(answers()).startsWith("HTTP/1.1 401").contains("unknown or revoked token");

    // Not gzip at all: decompressing it would fail with 400; discarded unread, it cannot.
    byte[] junk = new byte[1 << 16];
    for (int i = 0; i < 8_000_000 / junk.length; i++) {
      send(junk);
    }
    send(new byte[8_000_000 % junk.length]);
    assertThat(answers()).isEmpty();
    assertThat(server.isOpen()).as("keep-alive after the discarded body").isTrue();

    // The connection is still in step: the next request is answered.
    send("GET /healthz HTTP/1.1\r\nHost: c\r\n\r\n");
    assertThat(answers()).startsWith("HTTP/1.1 200");
  }

  @Test
  void aRefusedRequestThatExpects100ContinueIsAnsweredAndClosed() {
    send(head("Bearer not-a-token", 8_000_000, "Expect: 100-continue\r\n"));

    String out = answers();
    assertThat(out).startsWith("HTTP/1.1 401").doesNotContain("100 Continue");
    assertThat(server.isOpen()).isFalse();
  }

  @Test
  void aNodeTokenOnAnOperatorRouteIs403BeforeTheBody() {
    send(
        "POST /api/v1/acks HTTP/1.1\r\nHost: c\r\nAuthorization: Bearer "
            + token
            + "\r\nContent-Length: 5000000\r\n\r\n");

    assertThat(answers()).startsWith("HTTP/1.1 40");
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderAroundARefusal() {
    byte[] report =
        new WireCodec().encode(report("web01", 1, T0, result("Load", Status.OK, "OK", T0)));
    String good =
        "POST /api/v1/reports HTTP/1.1\r\nHost: c\r\nAuthorization: Bearer "
            + token
            + "\r\nContent-Length: "
            + report.length
            + "\r\n\r\n"
            + new String(report, StandardCharsets.ISO_8859_1);
    send(
        good
            + head(null, 3, "").replace("Content-Encoding: gzip\r\n", "")
            + "abc"
            + "GET /healthz HTTP/1.1\r\nHost: c\r\n\r\n");

    String out = answers();
    int stored = out.indexOf("\"stored\":true");
    int refused = out.indexOf("HTTP/1.1 401");
    int health = out.indexOf("{\"status\":\"ok\"}");
    assertThat(stored).isPositive();
    assertThat(refused).isGreaterThan(stored);
    assertThat(health).isGreaterThan(refused);
  }

  @Test
  void headersTricklingInLongerThanTheHeaderTimeoutAre408AndClosed() {
    send("GET /healthz HTTP/1.1\r\n");
    server.advanceTimeBy(5, TimeUnit.SECONDS);
    server.runScheduledPendingTasks();
    send("X-Slow: 1\r\n");
    assertThat(server.isOpen()).isTrue();

    server.advanceTimeBy(6, TimeUnit.SECONDS);
    server.runScheduledPendingTasks();

    assertThat(answers()).startsWith("HTTP/1.1 408");
    assertThat(server.isOpen()).isFalse();
  }

  @Test
  void aKeepAliveConnectionIdleBetweenRequestsIsNotCutByTheHeaderTimeout() {
    send("GET /healthz HTTP/1.1\r\nHost: c\r\n\r\n");
    assertThat(answers()).startsWith("HTTP/1.1 200");

    server.advanceTimeBy(30, TimeUnit.SECONDS);
    server.runScheduledPendingTasks();

    assertThat(server.isOpen()).isTrue();
    send("GET /healthz HTTP/1.1\r\nHost: c\r\n\r\n");
    assertThat(answers()).startsWith("HTTP/1.1 200");
  }
}
