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
 * Closes a connection that holds a place without sending a request at a useful pace: idle and
 * trickling clients (slowloris, slow POST) must not keep agents out of the connection cap.
 *
 * <ul>
 *   <li>Headers: the request line and headers must be complete within {@code timeout} of the
 *       connection's accept (its first request, TLS handshake included) or of the request's first
 *       byte (later requests on a keep-alive connection); else {@code 408} and close, or a plain
 *       close when the client has sent nothing at all.
 *   <li>Body: once the headers are complete the body must keep an average of {@code minRate} bytes
 *       a second, with {@code timeout} of grace: at any time, {@code received >= minRate * (elapsed
 *       - timeout)} (Apache's {@code mod_reqtimeout body=T,MinRate=R}); else {@code 408} and close.
 *       Time during which the collector itself is not reading (it turned {@code autoRead} off to
 *       wait for a token lookup or a slow disk) is not held against the client.
 * </ul>
 *
 * <p>A keep-alive connection waiting for its next request is left to the idle timeout. Sits before
 * the HTTP codec, where it sees raw bytes; {@link AdmissionGate} tells it when the headers are
 * complete and when the request has ended. Time is the event loop's {@link
 * io.netty.util.concurrent.Ticker}, so tests drive it. One instance per connection, used on its
 * event loop only.
 */
final class HeaderTimeout extends ChannelInboundHandlerAdapter {
  private static final byte[] HEADERS_LATE =
      response(
          "{\"error\":\"request headers not received in time (http.header_timeout), closed\"}");
  private static final byte[] BODY_SLOW =
      response("{\"error\":\"request body arriving too slowly (http.body_min_rate), closed\"}");

  private enum State {
    BETWEEN_REQUESTS,
    HEADERS,
    BODY
  }

  private final long timeoutNanos;
  private final long minRate;
  private State state = State.BETWEEN_REQUESTS;
  private ScheduledFuture<?> timer;
  private boolean anyByte;
  // This handler's own context: what it writes must not pass through the HTTP codec.
  private ChannelHandlerContext ctx;
  private long bodyStart;
  private long bodyBytes;

  /**
   * @param timeout how long the headers may take, and the body's grace
   * @param minRate least average body rate in bytes a second; 0 for none
   */
  HeaderTimeout(Duration timeout, long minRate) {
    this.timeoutNanos = timeout.toNanos();
    this.minRate = minRate;
  }

  HeaderTimeout(Duration timeout) {
    this(timeout, 0);
  }

  private static byte[] response(String body) {
    return ("HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json; charset=utf-8\r\n"
            + "X-Content-Type-Options: nosniff\r\nConnection: close\r\nContent-Length: "
            + body.length()
            + "\r\n\r\n"
            + body)
        .getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (ctx.channel().isActive()) {
      startHeaders(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (timer == null && state == State.BETWEEN_REQUESTS) {
      startHeaders(ctx);
    }
    super.channelActive(ctx);
  }

  private void startHeaders(ChannelHandlerContext ctx) {
    state = State.HEADERS;
    timer = ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof ByteBuf b && b.isReadable()) {
      anyByte = true;
      if (state == State.BETWEEN_REQUESTS) {
        startHeaders(ctx);
      } else if (state == State.BODY) {
        bodyBytes += b.readableBytes();
      }
    }
    super.channelRead(ctx, msg);
  }

  private void expire(ChannelHandlerContext ctx) {
    timer = null;
    if (state != State.HEADERS || !ctx.channel().isActive()) {
      return;
    }
    if (!anyByte) {
      ctx.close(); // nothing to answer: not even a TLS handshake or a request line came
      return;
    }
    ctx.writeAndFlush(Unpooled.wrappedBuffer(HEADERS_LATE))
        .addListener(ChannelFutureListener.CLOSE);
  }

  /** The request line and headers have been decoded. */
  void headersComplete() {
    cancel();
    state = State.BODY;
    if (minRate > 0) {
      bodyStart = ctx.executor().ticker().nanoTime();
      bodyBytes = 0;
      timer = ctx.executor().schedule(() -> checkRate(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void checkRate(ChannelHandlerContext ctx) {
    timer = null;
    if (state != State.BODY || !ctx.channel().isActive()) {
      return;
    }
    long now = ctx.executor().ticker().nanoTime();
    if (!ctx.channel().config().isAutoRead()) {
      // We are not reading; start the measure again once we do.
      bodyStart = now;
      bodyBytes = 0;
      timer = ctx.executor().schedule(() -> checkRate(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
      return;
    }
    // The time by which the bytes received so far must have been followed by more.
    long deadline = bodyStart + timeoutNanos + bodyBytes * 1_000_000_000L / minRate;
    if (now < deadline) {
      timer = ctx.executor().schedule(() -> checkRate(ctx), deadline - now, TimeUnit.NANOSECONDS);
      return;
    }
    ctx.writeAndFlush(Unpooled.wrappedBuffer(BODY_SLOW)).addListener(ChannelFutureListener.CLOSE);
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
