package io.custos.collector.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose client may still be sending without losing the answers it has not read:
 * a plain close with unread bytes in the receive buffer makes the kernel send a reset, and the
 * client's kernel then drops what it had received. Once {@link #arm armed} (a client pipelined past
 * the codec's depth), a close shuts our side down instead (FIN after the last answer), reads and
 * discards whatever still comes, and closes when the client does or after {@value #LINGER_SECONDS}
 * s, as Apache's lingering close. Over TLS, a plain close. Sits before the HTTP codec; one instance
 * per connection.
 */
final class LingeringClose extends ChannelDuplexHandler {
  static final int LINGER_SECONDS = 2;

  private static final AttributeKey<Boolean> ARMED =
      AttributeKey.valueOf(LingeringClose.class, "armed");

  private boolean lingering;

  /** The next close of {@code ch} lingers. */
  static void arm(Channel ch) {
    ch.attr(ARMED).set(Boolean.TRUE);
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
    Channel ch = ctx.channel();
    if (lingering
        || !ch.hasAttr(ARMED)
        || !(ch instanceof SocketChannel socket)
        || !ch.isActive()
        || ch.pipeline().get(SslHandler.class) != null) {
      super.close(ctx, promise);
      return;
    }
    lingering = true;
    socket
        .shutdownOutput()
        .addListener(
            f -> {
              ch.config().setAutoRead(true);
              ctx.executor().schedule(() -> ctx.close(promise), LINGER_SECONDS, TimeUnit.SECONDS);
            });
    ch.closeFuture().addListener(f -> promise.trySuccess());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (lingering) {
      ReferenceCountUtil.release(msg);
      return;
    }
    super.channelRead(ctx, msg);
  }
}
