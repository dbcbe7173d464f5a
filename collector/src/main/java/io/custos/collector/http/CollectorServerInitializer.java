package io.custos.collector.http;

import io.custos.collector.archive.ArchiveStore;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.EventExecutorGroup;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The pipeline of one connection: connection limit, TLS when configured, HTTP/1.1 codec with a
 * header-read timeout and body rate, security headers on every answer ({@link SecurityHeaders}),
 * idle timeout, the {@link AdmissionGate} (route and token checked on the headers, before any body
 * is read), gzip/deflate request bodies decompressed, bodies aggregated up to {@code maxBody} bytes
 * (after decompression, so a gzip bomb is cut off too), then {@link CollectorServerHandler}. With
 * an archive store, {@link ArchiveUploadHandler} follows the gate and streams archive uploads to
 * disk, around decompression and aggregation; a {@link ChunkedWriteHandler} lets downloads stream
 * through TLS.
 */
final class CollectorServerInitializer extends ChannelInitializer<SocketChannel> {
  static final int IDLE_SECONDS = 120;

  private final Router router;
  private final Executor executor;
  private final ServerOptions options;
  private final ConnectionLimit limit;
  private final LiveFeed feed;
  private final ArchiveStore archives;
  private final EventExecutorGroup disk;
  private final Executor health;
  private final BooleanSupplier shedding;

  CollectorServerInitializer(Router router, Executor executor, ServerOptions options) {
    this(router, executor, options, null, null, null, null, null);
  }

  /**
   * @param feed the dashboard's live feed, or null for none
   * @param archives the archive store whose uploads are streamed, or null for none
   * @param disk where upload bytes are written; null when {@code archives} is
   * @param health where {@code /healthz} runs, apart from the other requests; null for {@code
   *     executor}
   * @param shedding whether the workers are so far behind that new requests are refused on their
   *     headers; null for never
   */
  CollectorServerInitializer(
      Router router,
      Executor executor,
      ServerOptions options,
      LiveFeed feed,
      ArchiveStore archives,
      EventExecutorGroup disk,
      Executor health,
      BooleanSupplier shedding) {
    this.router = router;
    this.executor = executor;
    this.options = options;
    this.limit =
        new ConnectionLimit(
            options.maxConnections(),
            options.maxConnectionsPerAddress(),
            options.reservedConnections());
    this.health = health;
    this.shedding = shedding;
    this.feed = feed;
    this.archives = archives;
    this.disk = disk;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ch.pipeline().addLast("limit", limit);
    if (options.tls() != null) {
      ch.pipeline().addLast("tls", options.tls().newHandler(ch.alloc()));
    }
    configure(ch.pipeline(), router, executor, options, feed, health, shedding);
    if (archives != null) {
      ch.pipeline().addAfter("gate", "archive-upload", new ArchiveUploadHandler(archives, disk));
    }
  }

  /** The HTTP part of the pipeline; shared with the {@code EmbeddedChannel} tests. */
  static void configure(
      ChannelPipeline p, Router router, Executor executor, ServerOptions options) {
    configure(p, router, executor, options, null);
  }

  /** As above, with event streams served from {@code feed} (may be null). */
  static void configure(
      ChannelPipeline p, Router router, Executor executor, ServerOptions options, LiveFeed feed) {
    configure(p, router, executor, options, feed, null, null);
  }

  /** As above, {@code /healthz} on {@code health} and shedding load when {@code shedding}. */
  static void configure(
      ChannelPipeline p,
      Router router,
      Executor executor,
      ServerOptions options,
      LiveFeed feed,
      Executor health,
      BooleanSupplier shedding) {
    HeaderTimeout headerTimeout = new HeaderTimeout(options.headerTimeout(), options.bodyMinRate());
    p.addLast("linger", new LingeringClose());
    p.addLast("header-timeout", headerTimeout);
    p.addLast("codec", new HttpServerCodec());
    p.addLast("security-headers", new SecurityHeaders(options.tls() != null));
    p.addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS));
    p.addLast("gate", new AdmissionGate(router, executor, headerTimeout, shedding));
    p.addLast("decompressor", new HttpContentDecompressor());
    p.addLast("aggregator", new JsonHttpObjectAggregator(options.maxBody()));
    p.addLast("chunked", new ChunkedWriteHandler());
    p.addLast(
        "handler",
        new CollectorServerHandler(
            router, executor, feed, health == null ? executor : health, options.maxQueueWait()));
  }
}
