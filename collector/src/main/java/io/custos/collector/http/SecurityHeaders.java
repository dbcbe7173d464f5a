package io.custos.collector.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;

/**
 * Adds the headers every answer carries, whatever wrote it (handlers, the aggregator's 413, the
 * continue answers): {@code X-Content-Type-Options: nosniff}, so a browser never runs a JSON or
 * text answer as a script or page; and over TLS {@code Strict-Transport-Security: max-age=31536000}
 * (one year, RFC 6797), so a browser that once reached the collector over HTTPS does not fall back
 * to plain HTTP. Sits right after the HTTP codec; one instance per connection.
 */
final class SecurityHeaders extends ChannelOutboundHandlerAdapter {
  static final String HSTS = "max-age=31536000";

  private final boolean tls;

  SecurityHeaders(boolean tls) {
    this.tls = tls;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    if (msg instanceof HttpResponse r) {
      r.headers().set("X-Content-Type-Options", "nosniff");
      if (tls) {
        r.headers().set("Strict-Transport-Security", HSTS);
      }
    }
    super.write(ctx, msg, promise);
  }
}
