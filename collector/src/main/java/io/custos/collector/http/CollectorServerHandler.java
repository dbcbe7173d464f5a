package io.custos.collector.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapts one connection's aggregated requests to the {@link Router}. Routing and storage run on the
 * worker {@code executor}, never on the event loop, so a slow disk does not stall other
 * connections. A request the {@link AdmissionGate} refused on its headers arrives as {@link
 * AdmissionGate.Rejected} and is answered in its turn. {@code /healthz} runs on an executor of its
 * own, so it is answered behind a full queue. A request whose client has gone by the time a worker
 * takes it is not run; one that waited longer than {@code maxWait} is answered 503 with {@code
 * Retry-After} instead (its client is about to give up and send it again). Requests of one
 * connection are answered one at a time, in order (pipelining is allowed by HTTP/1.1). A full
 * executor is 503 with {@code Retry-After}; an unparsable request or a broken gzip body is 400 and
 * closes the connection; anything else keeps it open.
 */
final class CollectorServerHandler extends SimpleChannelInboundHandler<Object> {
  private static final Logger LOG = LoggerFactory.getLogger(CollectorServerHandler.class);

  private record Pending(Request request, Response immediate, HttpVersion version, boolean keep) {}

  private final Router router;
  private final Executor executor;
  private final LiveFeed feed;
  private final Executor health;
  private final long maxWaitNanos;
  // Touched only on this channel's event loop.
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private boolean busy;
  // Pipelined past the codec's depth: answer what is pending, in order, then close.
  private boolean closing;

  CollectorServerHandler(Router router, Executor executor) {
    this(router, executor, null);
  }

  /** With {@code feed} (may be null), event-stream answers stay open and get its events. */
  CollectorServerHandler(Router router, Executor executor, LiveFeed feed) {
    this(router, executor, feed, executor, ServerOptions.DEFAULT_MAX_QUEUE_WAIT);
  }

  /**
   * As above, {@code /healthz} run on {@code health}, and a request that waited longer than {@code
   * maxWait} for a worker answered 503 instead of run.
   */
  CollectorServerHandler(
      Router router, Executor executor, LiveFeed feed, Executor health, Duration maxWait) {
    this.router = router;
    this.executor = executor;
    this.feed = feed;
    this.health = health;
    this.maxWaitNanos = maxWait.toNanos();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Object in) {
    if (in == AdmissionGate.PIPELINE_FULL) {
      // Everything before it is queued; nothing comes after it. Answer those, then close. (The
      // codec itself closes after the next answer it encodes; LingeringClose keeps that clean.)
      closing = true;
      if (!busy && queue.isEmpty()) {
        ctx.close();
      }
      return;
    }
    if (in instanceof AdmissionGate.Rejected r) {
      queue.add(new Pending(null, r.response(), r.version(), r.keepAlive()));
      drain(ctx);
      return;
    }
    if (in instanceof ArchiveUploadHandler.Answered a) {
      queue.add(new Pending(null, a.response(), a.version(), a.keepAlive()));
      drain(ctx);
      return;
    }
    if (!(in instanceof FullHttpRequest msg)) {
      return; // nothing else reaches this handler; released by the superclass
    }
    HttpVersion version = msg.protocolVersion();
    if (msg.decoderResult().isFailure()) {
      Throwable cause = msg.decoderResult().cause();
      queue.add(
          new Pending(
              null,
              Response.error(400, "malformed HTTP request: " + cause.getMessage()),
              version,
              false));
      drain(ctx);
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(msg);
    String encoding = msg.headers().get(HttpHeaderNames.CONTENT_ENCODING);
    if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
      queue.add(
          new Pending(
              null,
              Response.error(
                  415, "Content-Encoding: " + encoding + " is not supported; send gzip or none"),
              version,
              keepAlive));
      drain(ctx);
      return;
    }
    Map<String, String> headers = new HashMap<>();
    for (Map.Entry<String, String> h : msg.headers()) {
      headers.merge(h.getKey(), h.getValue(), (a, b) -> a + ", " + b);
    }
    Pending p;
    try {
      Request request =
          Request.of(msg.method().name(), msg.uri(), headers, ByteBufUtil.getBytes(msg.content()));
      p = new Pending(request, null, version, keepAlive);
    } catch (IllegalArgumentException e) {
      p = new Pending(null, Response.error(400, e.getMessage()), version, keepAlive);
    }
    queue.add(p);
    drain(ctx);
  }

  private void drain(ChannelHandlerContext ctx) {
    if (busy || queue.isEmpty()) {
      return;
    }
    Pending p = queue.poll();
    busy = true;
    if (p.immediate() != null) {
      finish(ctx, p, p.immediate());
      return;
    }
    long queued = ctx.executor().ticker().nanoTime();
    Executor on = AdmissionGate.isHealth(p.request()) ? health : executor;
    try {
      on.execute(
          () -> {
            if (!ctx.channel().isActive()) {
              return; // the client has gone: its work would be for no one
            }
            Response r =
                ctx.executor().ticker().nanoTime() - queued > maxWaitNanos
                    ? Response.error(
                            503,
                            "collector busy: request waited for a worker longer than"
                                + " http.max_queue_wait, retry later")
                        .withHeader("Retry-After", "5")
                    : router.dispatch(p.request());
            try {
              ctx.executor().execute(() -> finish(ctx, p, r));
            } catch (RejectedExecutionException e) {
              LOG.debug("event loop gone before answering {}", p.request().path());
            }
          });
    } catch (RejectedExecutionException e) {
      finish(
          ctx,
          p,
          Response.error(503, "collector busy or shutting down, retry later")
              .withHeader("Retry-After", "5"));
    }
  }

  private void finish(ChannelHandlerContext ctx, Pending p, Response r) {
    if (feed != null
        && p.request() != null
        && r.status() == 200
        && Response.EVENT_STREAM.equals(r.contentType())) {
      startStream(ctx, p, r);
      return;
    }
    var future =
        r.file() == null
            ? ctx.writeAndFlush(NettyResponses.toNetty(r, p.version(), p.keep()))
            : NettyResponses.writeFile(ctx, r, p.version(), p.keep());
    busy = false;
    if (closing && queue.isEmpty()) {
      future.addListener(ChannelFutureListener.CLOSE);
      return;
    }
    if (!p.keep()) {
      future.addListener(ChannelFutureListener.CLOSE);
      queue.clear();
      return;
    }
    drain(ctx);
  }

  /**
   * Writes the head of an event stream and hands the connection to the feed. The connection stays
   * busy for good: later pipelined requests on it are never read, and the idle timeout does not
   * close it (pings keep it active anyway).
   */
  private void startStream(ChannelHandlerContext ctx, Pending p, Response r) {
    HttpResponse head = new DefaultHttpResponse(p.version(), HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
    for (Map.Entry<String, String> h : r.headers().entrySet()) {
      head.headers().set(h.getKey(), h.getValue());
    }
    HttpUtil.setTransferEncodingChunked(head, true);
    ctx.writeAndFlush(head);
    ctx.channel()
        .config()
        .setWriteBufferWaterMark(
            new WriteBufferWaterMark(LiveFeed.MAX_PENDING_BYTES / 2, LiveFeed.MAX_PENDING_BYTES));
    Request request = p.request();
    feed.subscribe(ctx.channel(), () -> router.stillAuthenticated(request));
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent && !busy) {
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof DecoderException && ctx.channel().isActive()) {
      // Typically a corrupt gzip body: the stream cannot be resynchronised, so answer and close.
      String why = cause.getCause() == null ? cause.getMessage() : cause.getCause().getMessage();
      Response r = Response.error(400, "malformed request body: " + why);
      ctx.writeAndFlush(NettyResponses.toNetty(r, HttpVersion.HTTP_1_1, false))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    if (cause instanceof IOException || !ctx.channel().isActive()) {
      // The client went away (reset, or closed mid-body after a 413): nothing to answer.
      LOG.debug("connection {} failed", ctx.channel().remoteAddress(), cause);
    } else {
      LOG.warn("connection {} failed", ctx.channel().remoteAddress(), cause);
    }
    ctx.close();
  }
}
