package io.custos.collector.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose request line and headers take longer than {@code timeout} from their
 * first byte (a slowloris client trickling a header a byte at a time), answering {@code 408}. Sits
 * before the HTTP codec, where it sees raw bytes; {@link AdmissionGate} tells it when the headers
 * are complete and when the request has ended. A keep-alive connection waiting for its next request
 * is left to the idle timeout. One instance per connection, used on its event loop only.
 */
final class HeaderTimeout extends ChannelInboundHandlerAdapter {
  private static final byte[] TIMEOUT =
      ("HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json; charset=utf-8\r\n"
              + "Connection: close\r\nContent-Length: 56\r\n\r\n"
              + "{\"error\":\"request headers not received in time, closed\"}")
          .getBytes(StandardCharsets.US_ASCII);

  private enum State {
    BETWEEN_REQUESTS,
    HEADERS,
    BODY
  }

  private final long timeoutNanos;
  private State state = State.BETWEEN_REQUESTS;
  private ScheduledFuture<?> timer;

  HeaderTimeout(Duration timeout) {
    this.timeoutNanos = timeout.toNanos();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (state == State.BETWEEN_REQUESTS && msg instanceof ByteBuf b && b.isReadable()) {
      state = State.HEADERS;
      timer = ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
    }
    super.channelRead(ctx, msg);
  }

  private void expire(ChannelHandlerContext ctx) {
    if (state == State.HEADERS && ctx.channel().isActive()) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** The request line and headers have been decoded. */
  void headersComplete() {
    state = State.BODY;
    cancel();
  }

  /** The request's last content has been read; the next byte starts a new request. */
  void requestDone() {
    state = State.BETWEEN_REQUESTS;
    cancel();
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancel();
    super.channelInactive(ctx);
  }
}
