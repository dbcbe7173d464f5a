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
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Netty pipeline on an {@code EmbeddedChannel}: raw bytes in, raw bytes out, the worker
 * executor replaced by the calling thread.
 */
class CollectorServerHandlerTest {
  static final long T0 = Instant.parse("2026-11-27T12:00:00Z").toEpochMilli();
  static final int MAX_BODY = 4096;

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
        ServerOptions.of(MAX_BODY));
  }

  @AfterEach
  void tearDown() {
    server.finishAndReleaseAll();
    store.close();
  }

  /** Sends a request through a client codec into the server and decodes the answer. */
  FullHttpResponse exchange(FullHttpRequest request) {
    EmbeddedChannel client =
        new EmbeddedChannel(new HttpClientCodec(), new HttpObjectAggregator(1 << 20));
    client.writeOutbound(request);
    ByteBuf bytes;
    while ((bytes = client.readOutbound()) != null) {
      server.writeInbound(bytes);
    }
    server.runPendingTasks();
    while ((bytes = server.readOutbound()) != null) {
      client.writeInbound(bytes);
    }
    FullHttpResponse response = client.readInbound();
    client.finishAndReleaseAll();
    return response;
  }

  FullHttpRequest post(byte[] body, String encoding) {
    FullHttpRequest r =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/v1/reports", Unpooled.wrappedBuffer(body));
    r.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    if (encoding != null) {
      r.headers().set(HttpHeaderNames.CONTENT_ENCODING, encoding);
    }
    HttpUtil.setContentLength(r, body.length);
    return r;
  }

  static String body(FullHttpResponse r) {
    String s = r.content().toString(StandardCharsets.UTF_8);
    r.release();
    return s;
  }

  byte[] reportBytes(long seq) {
    return new WireCodec()
        .encode(report("web01", seq, T0, result("Load", Status.OK, "LOAD OK", T0)));
  }

  @Test
  void answersHealthz() {
    FullHttpResponse r =
        exchange(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/healthz"));
    assertThat(r.status().code()).isEqualTo(200);
    assertThat(r.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("application/json");
    assertThat(body(r)).isEqualTo("{\"status\":\"ok\"}");
    assertThat(server.isOpen()).as("keep-alive").isTrue();
  }

  @Test
  void acceptsAGzipBody() throws Exception {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(reportBytes(1));
    }

    FullHttpResponse r = exchange(post(gz.toByteArray(), "gzip"));

    assertThat(r.status().code()).isEqualTo(200);
    assertThat(body(r)).isEqualTo("{\"stored\":true,\"seq\":1}");
  }

  @Test
  void anOversizedBodyIs413InJson() {
    FullHttpResponse r = exchange(post(new byte[MAX_BODY + 1], null));

    assertThat(r.status().code()).isEqualTo(413);
    assertThat(body(r)).startsWith("{\"error\":\"request body larger than 4KB (http.max_body");
  }

  @Test
  void aGzipBombIsCutOffAt413() throws Exception {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(new byte[MAX_BODY * 10]);
    }

    FullHttpResponse r = exchange(post(gz.toByteArray(), "gzip"));

    assertThat(r.status().code()).isEqualTo(413);
    assertThat(body(r)).contains("http.max_body");
  }

  @Test
  void anUnsupportedEncodingIs415() {
    FullHttpResponse r = exchange(post(reportBytes(1), "compress"));
    assertThat(r.status().code()).isEqualTo(415);
    assertThat(body(r)).contains("Content-Encoding: compress is not supported");
  }

  @Test
  void malformedJsonIs400NamingThePosition() {
    FullHttpResponse r = exchange(post("{\"v\": 1,,}".getBytes(StandardCharsets.UTF_8), null));
    assertThat(r.status().code()).isEqualTo(400);
    assertThat(body(r)).contains("malformed JSON at line 1, column");
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() {
    EmbeddedChannel client =
        new EmbeddedChannel(new HttpClientCodec(), new HttpObjectAggregator(1 << 20));
    client.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/nope"));
    client.writeOutbound(
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/healthz"));
    ByteBuf all = Unpooled.buffer();
    ByteBuf b;
    while ((b = client.readOutbound()) != null) {
      all.writeBytes(b);
      b.release();
    }
    server.writeInbound(all);
    server.runPendingTasks();
    while ((b = server.readOutbound()) != null) {
      client.writeInbound(b);
    }
    FullHttpResponse first = client.readInbound();
    FullHttpResponse second = client.readInbound();
    assertThat(first.status().code()).isEqualTo(404);
    assertThat(second.status().code()).isEqualTo(200);
    first.release();
    second.release();
    client.finishAndReleaseAll();
  }
}
