package io.custos.collector.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.collector.TestClock;
import io.custos.collector.status.StatusBoard;
import io.custos.collector.store.Role;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Tokens;
import io.custos.collector.store.sqlite.SqliteStore;
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
 * Idle and trickling clients, on the event loop's clock: the whole pipeline on an {@code
 * EmbeddedChannel} whose time the test advances (header_timeout 10s, body_min_rate 500 B/s).
 */
class HeaderTimeoutTest {
  @TempDir Path dir;
  SqliteStore store;
  EmbeddedChannel server;
  String token;

  @BeforeEach
  void setUp() {
    TestClock clock = new TestClock(Instant.parse("2026-11-27T12:00:00Z"));
    StatePolicy policy = new StatePolicy(3, 3);
    store = SqliteStore.open(dir.resolve("c.db"), clock, policy);
    token = new Tokens().issue(store, Role.NODE, "web01");
    server = new EmbeddedChannel();
    server.freezeTime();
    CollectorServerInitializer.configure(
        server.pipeline(),
        TestRoutes.create(store, new StatusBoard(store, clock, policy)),
        Runnable::run,
        ServerOptions.of(1 << 20));
  }

  @AfterEach
  void tearDown() {
    server.finishAndReleaseAll();
    store.close();
  }

  void send(String text) {
    server.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    server.runPendingTasks();
  }

  void advance(Duration d) {
    server.advanceTimeBy(d.toMillis(), TimeUnit.MILLISECONDS);
    server.runPendingTasks();
  }

  String written() {
    StringBuilder sb = new StringBuilder();
    ByteBuf b;
    while ((b = server.readOutbound()) != null) {
      sb.append(b.toString(StandardCharsets.UTF_8));
      b.release();
    }
    return sb.toString();
  }

  @Test
  void aConnectionThatSendsNothingIsClosedTenSecondsAfterAccept() {
    advance(Duration.ofMillis(9_999));
    assertThat(server.isOpen()).isTrue();

    advance(Duration.ofMillis(1));

    assertThat(server.isOpen()).isFalse();
    assertThat(written()).as("nothing to answer").isEmpty();
  }

  @Test
  void headersStartedAfterAcceptMustStillEndTenSecondsAfterAccept() {
    advance(Duration.ofSeconds(9));
    send("GET /healthz HTTP/1.1\r\n");
    advance(Duration.ofSeconds(1));

    assertThat(written()).startsWith("HTTP/1.1 408").contains("http.header_timeout");
    assertThat(server.isOpen()).isFalse();
  }

  @Test
  void aBodyOfOneByteEveryFiveSecondsIsCutAtTheMinimumRate() {
    send(
        "POST /api/v1/reports HTTP/1.1\r\nHost: c\r\nAuthorization: Bearer "
            + token
            + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n");
    // 10 s of grace, then 500 B/s on average: two bytes in 10 s are far below.
    send("{");
    advance(Duration.ofSeconds(5));
    send("\"");
    advance(Duration.ofSeconds(4));
    assertThat(server.isOpen()).isTrue();

    advance(Duration.ofSeconds(2));

    assertThat(written()).startsWith("HTTP/1.1 408").contains("http.body_min_rate");
    assertThat(server.isOpen()).isFalse();
  }

  @Test
  void aBodyAtTheMinimumRateIsRead() {
    send(
        "POST /api/v1/reports HTTP/1.1\r\nHost: c\r\nAuthorization: Bearer "
            + token
            + "\r\nContent-Type: application/json\r\nContent-Length: 20000\r\n\r\n");
    for (int i = 0; i < 20; i++) {
      send("x".repeat(1000)); // 1,000 B/s, above 500 B/s
      advance(Duration.ofSeconds(1));
      assertThat(server.isOpen()).as("after %d s", i + 1).isTrue();
    }
    assertThat(written()).startsWith("HTTP/1.1 400").doesNotContain("408");
  }
}
