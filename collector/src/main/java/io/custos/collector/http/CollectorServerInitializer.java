package io.custos.collector.http;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of one connection: HTTP/1.1 codec, idle timeout, gzip/deflate request bodies
 * decompressed, bodies aggregated up to {@code maxBody} bytes (after decompression, so a gzip bomb
 * is cut off too), then {@link CollectorServerHandler}.
 */
final class CollectorServerInitializer extends ChannelInitializer<SocketChannel> {
  static final int IDLE_SECONDS = 120;

  private final Router router;
  private final Executor executor;
  private final int maxBody;

  CollectorServerInitializer(Router router, Executor executor, int maxBody) {
    this.router = router;
    this.executor = executor;
    this.maxBody = maxBody;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    configure(ch.pipeline(), router, executor, maxBody);
  }

  /** Shared with the {@code EmbeddedChannel} tests. */
  static void configure(ChannelPipeline p, Router router, Executor executor, int maxBody) {
    p.addLast("codec", new HttpServerCodec());
    p.addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS));
    p.addLast("decompressor", new HttpContentDecompressor());
    p.addLast("aggregator", new JsonHttpObjectAggregator(maxBody));
    p.addLast("handler", new CollectorServerHandler(router, executor));
  }
}
