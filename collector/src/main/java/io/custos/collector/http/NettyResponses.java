package io.custos.collector.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedNioFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Converts a {@link Response} into a Netty response; the only place the two models meet. */
final class NettyResponses {
  private NettyResponses() {}

  static FullHttpResponse toNetty(Response r, HttpVersion version, boolean keepAlive) {
    FullHttpResponse res =
        new DefaultFullHttpResponse(
            version, HttpResponseStatus.valueOf(r.status()), Unpooled.wrappedBuffer(r.body()));
    res.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
    for (Map.Entry<String, String> h : r.headers().entrySet()) {
      res.headers().set(h.getKey(), h.getValue());
    }
    if (!r.headers().containsKey("Content-Length")) {
      // A HEAD answer names the length of the body it does not send.
      HttpUtil.setContentLength(res, r.body().length);
    }
    HttpUtil.setKeepAlive(res, keepAlive);
    return res;
  }

  /**
   * Writes a response whose body is {@link Response#file()}: the head, then the file slice by
   * zero-copy {@code sendfile} on plain connections or in 64 KiB chunks through TLS (which must see
   * the bytes). The file is closed when written or when the write fails.
   *
   * @return the future of the last write
   */
  static ChannelFuture writeFile(
      ChannelHandlerContext ctx, Response r, HttpVersion version, boolean keepAlive) {
    Response.FileBody f = r.file();
    HttpResponse head = new DefaultHttpResponse(version, HttpResponseStatus.valueOf(r.status()));
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
    for (Map.Entry<String, String> h : r.headers().entrySet()) {
      head.headers().set(h.getKey(), h.getValue());
    }
    HttpUtil.setContentLength(head, f.length());
    HttpUtil.setKeepAlive(head, keepAlive);
    ctx.write(head);
    if (ctx.pipeline().get(SslHandler.class) == null) {
      ctx.write(new DefaultFileRegion(f.channel(), f.offset(), f.length()));
      return ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }
    try {
      return ctx.writeAndFlush(
          new HttpChunkedInput(new ChunkedNioFile(f.channel(), f.offset(), f.length(), 1 << 16)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
