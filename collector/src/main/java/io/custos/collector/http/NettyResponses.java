package io.custos.collector.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
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
    HttpUtil.setContentLength(res, r.body().length);
    HttpUtil.setKeepAlive(res, keepAlive);
    return res;
  }
}
