package io.custos.collector.http;

import io.custos.collector.archive.ArchiveException;
import io.custos.collector.archive.ArchiveIndex;
import io.custos.collector.archive.ArchiveStore;
import io.custos.collector.archive.Upload;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the body of {@code PUT /api/v1/backups/{node}/{object}} to the {@link ArchiveStore}
 * instead of aggregating it: it sits after the {@link AdmissionGate} (which has checked the route
 * and that the token may write that node on the headers alone) and before decompression and the
 * aggregator, so neither {@code http.max_body} nor the ingest limits apply here; {@code
 * backups.max_object_size} does. Every other request passes through untouched.
 *
 * <p>Disk work runs in order on one executor of {@code disk} per upload, never on the event loop.
 * Backpressure: while more than {@value #HIGH_WATER} bytes wait for the disk the connection stops
 * reading ({@code autoRead} off), and reads again below {@value #LOW_WATER}, so memory per upload
 * stays bounded whatever the body size. A body cut short (connection closed, decoder failure) or
 * whose size or SHA-256 differ from its headers publishes nothing and its temporary file is
 * deleted. {@code Expect: 100-continue} is answered once the store has accepted the upload, or
 * refused with the final status (and the connection closed).
 *
 * <p>The answer goes down the pipeline as {@link Answered}, for {@link CollectorServerHandler} to
 * send in order; requests pipelined behind an upload wait here until it is answered. One instance
 * per connection; its fields are touched only on the event loop.
 */
final class ArchiveUploadHandler extends ChannelInboundHandlerAdapter {
  /** The answer to an upload, sent in order by {@link CollectorServerHandler}. */
  record Answered(Response response, HttpVersion version, boolean keepAlive) {}

  static final int HIGH_WATER = 4 << 20;
  static final int LOW_WATER = 1 << 20;

  private static final Logger LOG = LoggerFactory.getLogger(ArchiveUploadHandler.class);

  private final ArchiveStore store;
  private final EventExecutorGroup disk;
  private final ArrayDeque<Object> held = new ArrayDeque<>();

  /** The upload being received, or null. */
  private Session session;

  /** The rest of a refused upload's body is being read and dropped. */
  private boolean discarding;

  /** An upload's body ended and its answer is not out yet: later requests are held. */
  private boolean finishing;

  ArchiveUploadHandler(ArchiveStore store, EventExecutorGroup disk) {
    this.store = store;
    this.disk = disk;
  }

  /** Whether {@code head} is an archive upload: {@code PUT /api/v1/backups/{node}/{object}}. */
  static boolean isUpload(HttpRequest head) {
    if (!HttpMethod.PUT.equals(head.method()) || !head.decoderResult().isSuccess()) {
      return false;
    }
    String uri = head.uri();
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    String[] parts = path.split("/", -1);
    return parts.length == 6
        && parts[0].isEmpty()
        && parts[1].equals("api")
        && parts[2].equals("v1")
        && parts[3].equals("backups")
        && !parts[4].isEmpty()
        && !parts[5].isEmpty();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (finishing) {
      held.add(msg);
      return;
    }
    process(ctx, msg);
  }

  private void process(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest head && !(msg instanceof HttpContent) && isUpload(head)) {
      start(ctx, head);
    } else if (session != null && msg instanceof HttpContent c) {
      content(ctx, c);
    } else if (discarding && msg instanceof HttpContent c) {
      if (c instanceof LastHttpContent) {
        discarding = false;
      }
      c.release();
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  private void start(ChannelHandlerContext ctx, HttpRequest head) {
    HttpVersion version = head.protocolVersion();
    boolean keepAlive = HttpUtil.isKeepAlive(head);
    boolean expect = HttpUtil.is100ContinueExpected(head);
    Session s;
    try {
      s = session(head);
    } catch (ArchiveException e) {
      refuse(ctx, head, e);
      return;
    }
    s.version = version;
    s.keepAlive = keepAlive;
    s.io = disk.next();
    session = s;
    if (expect) {
      // The client waits for 100 Continue before sending the body: decide on the name first.
      ctx.channel().config().setAutoRead(false);
    }
    submit(
        ctx,
        s,
        () -> s.begin(),
        () -> {
          if (!expect || session != s) {
            return;
          }
          if (s.failure != null) {
            session = null;
            discarding = true;
            answer(ctx, s, s.failure, false);
            return;
          }
          ctx.writeAndFlush(
              new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
          ctx.channel().config().setAutoRead(true);
        });
  }

  /** Checks the head of an upload and builds its session. */
  private Session session(HttpRequest head) throws ArchiveException {
    Request r;
    try {
      r = Request.of(head.method().name(), head.uri(), lowerCaseHeaders(head));
    } catch (IllegalArgumentException e) {
      throw new ArchiveException(400, e.getMessage());
    }
    List<String> seg = r.segments();
    String node = seg.get(3);
    String object = seg.get(4);
    if (HttpUtil.isTransferEncodingChunked(head) || !HttpUtil.isContentLengthSet(head)) {
      throw new ArchiveException(411, "Content-Length required: the exact size of the archive");
    }
    long size;
    try {
      size = HttpUtil.getContentLength(head);
    } catch (NumberFormatException e) {
      throw new ArchiveException(400, "Content-Length: not a number");
    }
    String encoding = r.header("Content-Encoding");
    if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
      throw new ArchiveException(
          415, "Content-Encoding: " + encoding + " is not accepted for archives; send them as is");
    }
    String sha = ArchiveIndex.checkSha256(r.header("X-Custos-Sha256"));
    ArchiveIndex.Fields fields = ArchiveIndex.checkFields(node, object, lowerCaseHeaders(head));
    return new Session(node, object, size, sha, fields);
  }

  /**
   * Answers a refused upload now and drops its body, closing when the body is not worth reading.
   */
  private void refuse(ChannelHandlerContext ctx, HttpRequest head, ArchiveException e) {
    boolean expect = HttpUtil.is100ContinueExpected(head);
    boolean keep =
        HttpUtil.isKeepAlive(head)
            && !expect
            && e.status() != 413
            && e.status() != 507
            && e.status() != 411;
    discarding =
        HttpUtil.getContentLength(head, 0L) > 0 || HttpUtil.isTransferEncodingChunked(head);
    ctx.fireChannelRead(new Answered(error(e), head.protocolVersion(), keep));
  }

  private void content(ChannelHandlerContext ctx, HttpContent c) {
    Session s = session;
    if (c.decoderResult().isFailure()) {
      c.release();
      session = null;
      submit(ctx, s, s::abort, () -> {});
      ctx.fireChannelRead(
          new Answered(
              Response.error(400, "malformed request body: " + c.decoderResult().cause()),
              s.version,
              false));
      return;
    }
    ByteBuf buf = c.content();
    int n = buf.readableBytes();
    if (n > 0) {
      s.pending += n;
      ByteBuf data = buf.retain();
      submit(
          ctx,
          s,
          () -> s.write(data),
          () -> {
            s.pending -= n;
            if (s.pending <= LOW_WATER && s.paused) {
              s.paused = false;
              ctx.channel().config().setAutoRead(true);
            }
          });
      if (s.pending > HIGH_WATER && !s.paused) {
        s.paused = true;
        ctx.channel().config().setAutoRead(false);
      }
    }
    boolean last = c instanceof LastHttpContent;
    c.release();
    if (!last) {
      return;
    }
    finishing = true;
    ctx.channel().config().setAutoRead(false);
    submit(
        ctx,
        s,
        s::finish,
        () -> {
          session = null;
          answer(ctx, s, s.failure, s.keepAlive);
          finishing = false;
          while (!finishing && !held.isEmpty()) {
            process(ctx, held.poll());
          }
          if (!finishing) {
            ctx.channel().config().setAutoRead(true);
          }
        });
  }

  private void answer(
      ChannelHandlerContext ctx, Session s, ArchiveException failure, boolean keep) {
    Response r;
    if (failure == null) {
      r = Response.json(201, body(s.published, null));
    } else if (failure instanceof ArchiveStore.Exists e) {
      r = Response.json(200, body(e.index(), true));
    } else {
      r = error(failure);
    }
    ctx.fireChannelRead(new Answered(r, s.version, keep));
  }

  private static Map<String, Object> body(ArchiveIndex index, Boolean exists) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (exists != null) {
      m.put("exists", exists);
    }
    m.put("object", index.object());
    m.put("size", index.size());
    m.put("sha256", index.sha256());
    return m;
  }

  private static Response error(ArchiveException e) {
    return Response.error(e.status(), e.getMessage());
  }

  /** Runs {@code work} on the session's disk executor, then {@code then} on the event loop. */
  private void submit(ChannelHandlerContext ctx, Session s, Runnable work, Runnable then) {
    try {
      s.io.execute(
          () -> {
            work.run();
            try {
              ctx.executor().execute(then);
            } catch (RejectedExecutionException e) {
              s.abort();
            }
          });
    } catch (RejectedExecutionException e) {
      s.failure = new ArchiveException(503, "collector shutting down, retry later");
      s.abortNow();
      then.run();
    }
  }

  /**
   * Not passed on while an upload streams: the decoders after this handler see none of its
   * messages, and Netty's {@code MessageToMessageDecoder} answers a read-complete without a decoded
   * message by calling {@code read()} when {@code autoRead} is off, which would defeat the
   * backpressure above. Found by the bench: a 4 GiB upload filled the direct memory.
   */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (session != null || finishing) {
      return;
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent && session != null && session.pending > 0) {
      return; // reading is paused for the disk, not idle
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cutShort();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cutShort();
  }

  /** The connection ended before the body did: drop the upload. */
  private void cutShort() {
    Session s = session;
    session = null;
    if (s != null && !finishing) {
      try {
        s.io.execute(s::abort);
      } catch (RejectedExecutionException e) {
        s.abortNow();
      }
    }
    Object m;
    while ((m = held.poll()) != null) {
      ReferenceCountUtil.release(m);
    }
  }

  private static Map<String, String> lowerCaseHeaders(HttpRequest head) {
    Map<String, String> headers = new HashMap<>();
    for (Map.Entry<String, String> h : head.headers()) {
      headers.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + ", " + b);
    }
    return headers;
  }

  /**
   * One upload. The fields from {@code upload} to {@code published} are touched only on {@code io};
   * {@code pending} and {@code paused} only on the event loop.
   */
  private final class Session {
    final String node;
    final String object;
    final long size;
    final String sha256;
    final ArchiveIndex.Fields fields;
    HttpVersion version;
    boolean keepAlive;
    EventExecutor io;
    long pending;
    boolean paused;
    private Upload upload;
    private volatile ArchiveException failure;
    private ArchiveIndex published;

    Session(String node, String object, long size, String sha256, ArchiveIndex.Fields fields) {
      this.node = node;
      this.object = object;
      this.size = size;
      this.sha256 = sha256;
      this.fields = fields;
    }

    void begin() {
      try {
        upload = store.begin(node, object, size, sha256, fields);
      } catch (ArchiveException e) {
        failure = e;
      } catch (RuntimeException e) {
        LOG.error("upload of {} failed to start", object, e);
        failure = new ArchiveException(500, "internal error: " + e.getClass().getSimpleName());
      }
    }

    void write(ByteBuf data) {
      try {
        if (upload == null) {
          return; // refused: the body is dropped
        }
        for (ByteBuffer b : data.nioBuffers()) {
          upload.write(b);
        }
      } catch (ArchiveException e) {
        failure = e;
        upload = null;
      } finally {
        data.release();
      }
    }

    void finish() {
      if (upload == null) {
        return;
      }
      try {
        published = upload.finish();
      } catch (ArchiveException e) {
        failure = e;
      } catch (RuntimeException e) {
        LOG.error("upload of {} failed", object, e);
        failure = new ArchiveException(500, "internal error: " + e.getClass().getSimpleName());
      } finally {
        upload = null;
      }
    }

    void abort() {
      if (upload != null) {
        upload.abort();
        upload = null;
      }
    }

    /** Abort from a thread other than {@code io}, when {@code io} no longer runs tasks. */
    void abortNow() {
      Upload u = upload;
      if (u != null) {
        u.abort();
      }
    }
  }
}
