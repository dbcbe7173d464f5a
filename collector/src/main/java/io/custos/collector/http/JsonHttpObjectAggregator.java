package io.custos.collector.http;

import io.custos.common.units.ByteSize;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;

/**
 * {@link HttpObjectAggregator} whose 413 answers carry the collector's JSON error body instead of
 * an empty one. Connection handling is Netty's: a request whose declared length is too large on a
 * keep-alive connection is answered and its body discarded; one found too large while streaming
 * (chunked, or grown by decompression) is answered and the connection closed, since the rest of the
 * body cannot be skipped reliably.
 */
final class JsonHttpObjectAggregator extends HttpObjectAggregator {
  private final int maxBody;

  JsonHttpObjectAggregator(int maxBody) {
    super(maxBody);
    this.maxBody = maxBody;
  }

  private FullHttpResponse tooLarge(boolean keepAlive) {
    Response r =
        Response.error(
            413,
            "request body larger than "
                + new ByteSize(maxBody)
                + " (http.max_body, after decompression), not accepted");
    return NettyResponses.toNetty(r, HttpVersion.HTTP_1_1, keepAlive);
  }

  @Override
  protected Object newContinueResponse(
      HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
    Object response = super.newContinueResponse(start, maxContentLength, pipeline);
    if (response instanceof FullHttpResponse res
        && res.status().code() == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()) {
      boolean keepAlive = !super.closeAfterContinueResponse(res);
      ReferenceCountUtil.release(res);
      return tooLarge(keepAlive);
    }
    return response;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized)
      throws Exception {
    if (!(oversized instanceof HttpRequest)) {
      super.handleOversizedMessage(ctx, oversized);
      return;
    }
    boolean close =
        oversized instanceof FullHttpMessage
            || (!HttpUtil.is100ContinueExpected(oversized) && !HttpUtil.isKeepAlive(oversized));
    if (close) {
      ctx.writeAndFlush(tooLarge(false)).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.writeAndFlush(tooLarge(true)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }
  }
}
