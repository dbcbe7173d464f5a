package io.custos.collector.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Map.Entry;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;

/**
 * Decides on the request line and headers alone whether a request's body is read at all: route,
 * method and bearer token ({@link Router#admit}). It sits after the HTTP codec and before
 * decompression and aggregation, so an unauthenticated body is never decompressed nor buffered: its
 * chunks are released as they arrive and the refusal (401, 403, 404, 405) travels down the pipeline
 * as a {@link Rejected} message, to be answered in order with any pipelined requests.
 *
 * <p>A token lookup goes to the worker {@code executor}; meanwhile the connection stops reading
 * ({@code autoRead} off) and what was already decoded is held here, in order. A refused request
 * that announced {@code Expect: 100-continue} or no keep-alive is answered and the connection
 * closed; otherwise its body is read and discarded so the connection stays usable. A full executor
 * is a 503 with {@code Retry-After}. A connection that took one of the places {@link
 * ConnectionLimit} reserves for token holders must show a valid token on its first request, else it
 * is answered 503 and closed; one that shows one is trusted from then on. One instance per
 * connection; touched only on its event loop.
 */
final class AdmissionGate extends ChannelInboundHandlerAdapter {
  /** A request refused before its body; {@link CollectorServerHandler} answers it in order. */
  record Rejected(Response response, HttpVersion version, boolean keepAlive) {}

  /**
   * Sent down in order when the client pipelined more requests than the HTTP codec keeps pending
   * ({@code maxPipelineDepth}, 128): those before it are answered, then the connection closes.
   */
  static final Object PIPELINE_FULL = new Object();

  static final Response BUSY =
      Response.error(503, "collector busy (http.shed_queue), retry later")
          .withHeader("Retry-After", "5");

  static final Response RESERVED =
      Response.error(
              503,
              "the collector's last free connections are reserved for clients with a token"
                  + " (http.reserved_connections), retry later")
          .withHeader("Retry-After", "5");

  private final Router router;
  private final Executor executor;
  private final HeaderTimeout headerTimeout;
  private final BooleanSupplier shedding;
  private final ArrayDeque<Object> held = new ArrayDeque<>();
  private boolean waiting;
  private boolean discarding;
  private boolean overflowed;

  AdmissionGate(Router router, Executor executor, HeaderTimeout headerTimeout) {
    this(router, executor, headerTimeout, null);
  }

  /**
   * @param headerTimeout told when a request's headers are complete and when it ends, or null
   * @param shedding true while the workers are too far behind to take more: every request but
   *     {@code /healthz} is then answered 503 with {@code Retry-After} on its headers; null for
   *     never
   */
  AdmissionGate(
      Router router, Executor executor, HeaderTimeout headerTimeout, BooleanSupplier shedding) {
    this.router = router;
    this.executor = executor;
    this.headerTimeout = headerTimeout;
    this.shedding = shedding;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (overflowed) {
      ReferenceCountUtil.release(msg); // after PIPELINE_FULL: never answered, the connection closes
      return;
    }
    if (waiting) {
      held.add(msg);
      return;
    }
    process(ctx, msg);
  }

  private void process(ChannelHandlerContext ctx, Object msg) {
    if (msg == PIPELINE_FULL) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (msg instanceof HttpRequest head) {
      if (headerTimeout != null) {
        headerTimeout.headersComplete();
      }
      admit(ctx, head);
    } else if (discarding) {
      if (msg instanceof LastHttpContent) {
        discarding = false;
        requestDone();
      }
      ReferenceCountUtil.release(msg);
      return;
    } else {
      ctx.fireChannelRead(msg);
    }
    if (msg instanceof LastHttpContent) {
      requestDone();
    }
  }

  private void requestDone() {
    if (headerTimeout != null) {
      headerTimeout.requestDone();
    }
  }

  private void admit(ChannelHandlerContext ctx, HttpRequest head) {
    if (head.decoderResult().isFailure()) {
      ctx.fireChannelRead(head); // the handler answers 400
      return;
    }
    Request request;
    try {
      request = Request.of(head.method().name(), head.uri(), lowerCaseHeaders(head));
    } catch (IllegalArgumentException e) {
      ctx.fireChannelRead(head); // the handler answers 400 naming the target
      return;
    }
    if (shedding != null && !isHealth(request) && shedding.getAsBoolean()) {
      decide(ctx, head, BUSY);
      return;
    }
    if (!router.needsToken(request)) {
      if (ConnectionLimit.onProbation(ctx.channel())) {
        decide(ctx, head, RESERVED, false);
        return;
      }
      decide(ctx, head, router.admit(request));
      return;
    }
    waiting = true;
    ctx.channel().config().setAutoRead(false);
    try {
      executor.execute(
          () -> {
            Response r = router.admit(request);
            try {
              ctx.executor().execute(() -> resume(ctx, head, r));
            } catch (RejectedExecutionException e) {
              ReferenceCountUtil.release(head);
            }
          });
    } catch (RejectedExecutionException e) {
      resume(
          ctx,
          head,
          Response.error(503, "collector busy or shutting down, retry later")
              .withHeader("Retry-After", "5"));
    }
  }

  private void resume(ChannelHandlerContext ctx, HttpRequest head, Response verdict) {
    waiting = false;
    if (!ctx.channel().isActive()) {
      ReferenceCountUtil.release(head);
      releaseHeld();
      return;
    }
    if (verdict == null) {
      ConnectionLimit.trust(ctx.channel());
      decide(ctx, head, null);
    } else {
      // A connection on a reserved place that showed no valid token does not keep it.
      decide(ctx, head, verdict, !ConnectionLimit.onProbation(ctx.channel()));
    }
    while (!waiting && !held.isEmpty()) {
      process(ctx, held.poll());
    }
    if (!waiting && !overflowed) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  private void decide(ChannelHandlerContext ctx, HttpRequest head, Response verdict) {
    decide(ctx, head, verdict, true);
  }

  private void decide(
      ChannelHandlerContext ctx, HttpRequest head, Response verdict, boolean mayKeepAlive) {
    if (verdict == null) {
      ctx.fireChannelRead(head);
      return;
    }
    boolean keepAlive =
        mayKeepAlive && HttpUtil.isKeepAlive(head) && !HttpUtil.is100ContinueExpected(head);
    if (head instanceof HttpContent c) {
      // A FullHttpRequest: nothing more of it to discard.
      ReferenceCountUtil.release(c);
    } else {
      discarding = true;
    }
    ctx.fireChannelRead(new Rejected(verdict, head.protocolVersion(), keepAlive));
  }

  static boolean isHealth(Request request) {
    return request.path().equals("/healthz");
  }

  private static Map<String, String> lowerCaseHeaders(HttpRequest head) {
    Map<String, String> headers = new HashMap<>();
    for (Entry<String, String> h : head.headers()) {
      headers.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + ", " + b);
    }
    return headers;
  }

  private void releaseHeld() {
    Object m;
    while ((m = held.poll()) != null) {
      ReferenceCountUtil.release(m);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    if (cause instanceof DecoderException
        && String.valueOf(cause.getMessage()).contains("maxPipelineDepth")) {
      // Not a broken request: more pipelined than the codec keeps before one is answered.
      if (!overflowed) {
        overflowed = true;
        LingeringClose.arm(ctx.channel());
        ctx.channel().config().setAutoRead(false);
        if (waiting) {
          held.add(PIPELINE_FULL);
        } else {
          ctx.fireChannelRead(PIPELINE_FULL);
        }
      }
      return;
    }
    super.exceptionCaught(ctx, cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    releaseHeld();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseHeld();
  }
}
