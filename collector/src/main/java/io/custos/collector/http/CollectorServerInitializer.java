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

/**
 * The pipeline of one connection: connection limit, TLS when configured, HTTP/1.1 codec with a
 * header-read timeout, idle timeout, the {@link AdmissionGate} (route and token checked on the
 * headers, before any body is read), gzip/deflate request bodies decompressed, bodies aggregated up
 * to {@code maxBody} bytes (after decompression, so a gzip bomb is cut off too), then {@link
 * CollectorServerHandler}. With an archive store, {@link ArchiveUploadHandler} follows the gate and
 * streams archive uploads to disk, around decompression and aggregation; a {@link
 * ChunkedWriteHandler} lets downloads stream through TLS.
 */
final class CollectorServerInitializer extends ChannelInitializer<SocketChannel> {
  static final int IDLE_SECONDS = 120;

  private final Router router;
  private final Executor executor;
  private final ServerOptions options;
  private final ConnectionLimit limit;
  private final ArchiveStore archives;
  private final EventExecutorGroup disk;

  /**
   * @param archives the archive store whose uploads are streamed, or null for none
   * @param disk where upload bytes are written; null when {@code archives} is
   */
  CollectorServerInitializer(
      Router router,
      Executor executor,
      ServerOptions options,
      ArchiveStore archives,
      EventExecutorGroup disk) {
    this.router = router;
    this.executor = executor;
    this.options = options;
    this.limit = new ConnectionLimit(options.maxConnections());
    this.archives = archives;
    this.disk = disk;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ch.pipeline().addLast("limit", limit);
    if (options.tls() != null) {
      ch.pipeline().addLast("tls", options.tls().newHandler(ch.alloc()));
    }
    configure(ch.pipeline(), router, executor, options);
    if (archives != null) {
      ch.pipeline().addAfter("gate", "archive-upload", new ArchiveUploadHandler(archives, disk));
    }
  }

  /** The HTTP part of the pipeline; shared with the {@code EmbeddedChannel} tests. */
  static void configure(
      ChannelPipeline p, Router router, Executor executor, ServerOptions options) {
    HeaderTimeout headerTimeout = new HeaderTimeout(options.headerTimeout());
    p.addLast("header-timeout", headerTimeout);
    p.addLast("codec", new HttpServerCodec());
    p.addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS));
    p.addLast("gate", new AdmissionGate(router, executor, headerTimeout));
    p.addLast("decompressor", new HttpContentDecompressor());
    p.addLast("aggregator", new JsonHttpObjectAggregator(options.maxBody()));
    p.addLast("chunked", new ChunkedWriteHandler());
    p.addLast("handler", new CollectorServerHandler(router, executor));
  }
}
