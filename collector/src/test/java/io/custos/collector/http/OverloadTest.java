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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overload (issue 21: on a saturated machine /healthz waited behind 512 queued requests, and the
 * collector stored reports whose agents had given up): the pipeline on an {@code EmbeddedChannel}
 * whose worker pool is a queue the test runs by hand, and whose time the test advances.
 */
class OverloadTest {
  static final long T0 = Instant.parse("2026-11-27T12:00:00Z").toEpochMilli();

  @TempDir Path dir;
  SqliteStore store;
  Router router;
  String token;
  final ArrayDeque<Runnable> workQueue = new ArrayDeque<>();
  final AtomicBoolean shedding = new AtomicBoolean();

  @BeforeEach
  void setUp() {
    TestClock clock = new TestClock(Instant.ofEpochMilli(T0));
    StatePolicy policy = new StatePolicy(3, 3);
    store = SqliteStore.open(dir.resolve("c.db"), clock, policy);
    token = new Tokens().issue(store, Role.NODE, "web01");
    router = TestRoutes.create(store, new StatusBoard(store, clock, policy));
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  EmbeddedChannel server() {
    EmbeddedChannel ch = new EmbeddedChannel();
    CollectorServerInitializer.configure(
        ch.pipeline(),
        router,
        workQueue::add,
        ServerOptions.of(1 << 16),
        null,
        Runnable::run,
        shedding::get);
    return ch;
  }

  static void send(EmbeddedChannel server, FullHttpRequest request) {
    EmbeddedChannel client = new EmbeddedChannel(new HttpClientCodec());
    client.writeOutbound(request);
    ByteBuf bytes;
    while ((bytes = client.readOutbound()) != null) {
      server.writeInbound(bytes);
    }
    client.finishAndReleaseAll();
  }

  static FullHttpResponse answer(EmbeddedChannel server) {
    server.runPendingTasks();
    EmbeddedChannel client =
        new EmbeddedChannel(new HttpClientCodec(), new HttpObjectAggregator(1 << 20));
    client.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));
    client.readOutbound();
    ByteBuf bytes;
    while ((bytes = server.readOutbound()) != null) {
      client.writeInbound(bytes);
    }
    FullHttpResponse r = client.readInbound();
    client.finishAndReleaseAll();
    return r;
  }

  static String body(FullHttpResponse r) {
    String s = r.content().toString(StandardCharsets.UTF_8);
    r.release();
    return s;
  }

  FullHttpRequest postReport() {
    byte[] body =
        new WireCodec().encode(report("web01", 1, T0, result("Load", Status.OK, "LOAD OK", T0)));
    FullHttpRequest r =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/v1/reports", Unpooled.wrappedBuffer(body));
    r.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    HttpUtil.setContentLength(r, body.length);
    return r;
  }

  static FullHttpRequest healthz() {
    return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/healthz");
  }

  /** Runs what the workers have queued, as a worker would, then the event loop's part. */
  void runWorkers(EmbeddedChannel server) {
    Runnable r;
    while ((r = workQueue.poll()) != null) {
      r.run();
      server.runPendingTasks();
    }
  }

  @Test
  void healthzIsAnsweredWhileEveryWorkerIsBusy() {
    EmbeddedChannel agent = server();
    send(agent, postReport());
    assertThat(workQueue).as("the report waits for a worker").hasSize(1);

    EmbeddedChannel probe = server();
    send(probe, healthz());

    FullHttpResponse r = answer(probe);
    assertThat(r.status().code()).isEqualTo(200);
    assertThat(body(r)).isEqualTo("{\"status\":\"ok\"}");
    agent.finishAndReleaseAll();
    probe.finishAndReleaseAll();
  }

  @Test
  void aDeepQueueIsShedWith503AndRetryAfterOnTheHeadersButHealthzIsServed() {
    shedding.set(true);
    EmbeddedChannel agent = server();
    send(agent, postReport());

    FullHttpResponse r = answer(agent);
    assertThat(r.status().code()).isEqualTo(503);
    assertThat(r.headers().get("Retry-After")).isEqualTo("5");
    assertThat(body(r)).contains("http.shed_queue");
    assertThat(workQueue).as("not even the token lookup was queued").isEmpty();

    EmbeddedChannel probe = server();
    send(probe, healthz());
    FullHttpResponse h = answer(probe);
    assertThat(h.status().code()).isEqualTo(200);
    h.release();
    agent.finishAndReleaseAll();
    probe.finishAndReleaseAll();
  }

  @Test
  void aRequestThatWaitedLongerThanMaxQueueWaitIs503AndNotRun() {
    EmbeddedChannel agent = server();
    agent.freezeTime();
    send(agent, postReport());
    workQueue.poll().run(); // the token lookup
    agent.runPendingTasks(); // admitted: the report is queued for a worker
    assertThat(workQueue).hasSize(1);

    agent.advanceTimeBy(ServerOptions.DEFAULT_MAX_QUEUE_WAIT.toSeconds() + 1, TimeUnit.SECONDS);
    runWorkers(agent);

    FullHttpResponse r = answer(agent);
    assertThat(r.status().code()).isEqualTo(503);
    assertThat(r.headers().get("Retry-After")).isEqualTo("5");
    assertThat(body(r)).contains("http.max_queue_wait");
    assertThat(store.services("web01")).as("nothing stored").isEmpty();
    agent.finishAndReleaseAll();
  }

  @Test
  void aRequestWhoseClientHasGoneIsNotRun() {
    EmbeddedChannel agent = server();
    send(agent, postReport());
    workQueue.poll().run();
    agent.runPendingTasks();
    assertThat(workQueue).hasSize(1);

    agent.close();
    runWorkers(agent);

    assertThat(store.services("web01")).as("nothing stored").isEmpty();
    agent.finishAndReleaseAll();
  }

  @Test
  void aRequestWithinMaxQueueWaitIsRun() {
    EmbeddedChannel agent = server();
    agent.freezeTime();
    send(agent, postReport());
    workQueue.poll().run();
    agent.runPendingTasks();
    agent.advanceTimeBy(ServerOptions.DEFAULT_MAX_QUEUE_WAIT.toSeconds() - 1, TimeUnit.SECONDS);
    runWorkers(agent);

    FullHttpResponse r = answer(agent);
    assertThat(r.status().code()).isEqualTo(200);
    r.release();
    assertThat(store.services("web01")).hasSize(1);
    agent.finishAndReleaseAll();
  }
}
