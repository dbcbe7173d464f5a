package io.custos.collector.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses connections beyond {@code max} open at once with a {@code 503} and {@code Retry-After},
 * so that idle or trickling clients cannot take every file descriptor. Shared by all connections of
 * one server; the first refusal of a burst is logged.
 */
@ChannelHandler.Sharable
final class ConnectionLimit extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimit.class);

  private static final AttributeKey<Boolean> REFUSED =
      AttributeKey.valueOf(ConnectionLimit.class, "refused");

  private final int max;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();

  ConnectionLimit(int max) {
    this.max = max;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (open.incrementAndGet() > max) {
      if (refused.getAndIncrement() == 0) {
        LOG.warn("more than {} connections open (http.max_connections); refusing new ones", max);
      }
      String body =
          "{\"error\":\"more than " + max + " connections open (http.max_connections), retry\"}";
      String res =
          "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n"
              + "Retry-After: 5\r\nConnection: close\r\nContent-Length: "
              + body.length()
              + "\r\n\r\n"
              + body;
      ctx.channel().attr(REFUSED).set(Boolean.TRUE);
      ctx.channel().config().setAutoRead(false);
      ctx.writeAndFlush(Unpooled.copiedBuffer(res, StandardCharsets.US_ASCII))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    refused.set(0);
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (ctx.channel().hasAttr(REFUSED)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    open.decrementAndGet();
    super.channelInactive(ctx);
  }

  /** Connections open now, refused ones included until they close. */
  int open() {
    return open.get();
  }
}
