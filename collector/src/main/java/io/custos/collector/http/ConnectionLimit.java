package io.custos.collector.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares the server's connections so that strangers cannot take them all: at most {@code max} open
 * at once, at most {@code perAddress} from one source address (one IPv4 address, or one IPv6 /64),
 * and the last {@code reserve} places kept for clients that prove a valid token.
 *
 * <p>A connection beyond {@code max} or its address's share is answered {@code 503} with {@code
 * Retry-After} and closed at once. One accepted while fewer than {@code reserve} places are left
 * for untrusted connections is <em>on probation</em>: its first request must carry a valid token (a
 * node's or an operator's, or a dashboard session), else {@link AdmissionGate} answers it {@code
 * 503} and closes it. A connection whose request carried a valid token is trusted ({@link #trust})
 * and no longer counts against the strangers' places. Shared by all connections of one server; the
 * first refusal of a burst is logged.
 */
@ChannelHandler.Sharable
final class ConnectionLimit extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimit.class);

  private static final AttributeKey<Boolean> REFUSED =
      AttributeKey.valueOf(ConnectionLimit.class, "refused");
  private static final AttributeKey<Slot> SLOT =
      AttributeKey.valueOf(ConnectionLimit.class, "slot");

  /** One accepted connection's place: its address key and whether it is trusted. */
  private static final class Slot {
    final ConnectionLimit limit;
    final Object address;
    boolean probation;
    boolean trusted;

    Slot(ConnectionLimit limit, Object address) {
      this.limit = limit;
      this.address = address;
    }
  }

  private final int max;
  private final int perAddress;
  private final int reserve;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger trusted = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private final ConcurrentHashMap<Object, AtomicInteger> byAddress = new ConcurrentHashMap<>();

  /**
   * @param max connections open at once
   * @param perAddress connections open at once from one source address
   * @param reserve places of {@code max} only clients with a valid token may keep
   */
  ConnectionLimit(int max, int perAddress, int reserve) {
    this.max = max;
    this.perAddress = perAddress;
    this.reserve = reserve;
  }

  ConnectionLimit(int max) {
    this(max, max, 0);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    if (open.incrementAndGet() > max) {
      refuse(ctx, "more than " + max + " connections open (http.max_connections)");
      return;
    }
    Object address = addressKey(ctx.channel().remoteAddress());
    AtomicInteger fromThere = byAddress.computeIfAbsent(address, a -> new AtomicInteger());
    Slot slot = new Slot(this, address);
    ctx.channel().attr(SLOT).set(slot);
    if (fromThere.incrementAndGet() > perAddress) {
      refuse(
          ctx,
          "more than "
              + perAddress
              + " connections open from this address (http.max_connections_per_address)");
      return;
    }
    slot.probation = open.get() - trusted.get() > max - reserve;
    refused.set(0);
    super.channelActive(ctx);
  }

  private void refuse(ChannelHandlerContext ctx, String why) {
    if (refused.getAndIncrement() == 0) {
      LOG.warn("{}; refusing new connections (first: {})", why, ctx.channel().remoteAddress());
    }
    String body = "{\"error\":\"" + why + ", retry\"}";
    String res =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n"
            + "X-Content-Type-Options: nosniff\r\n"
            + "Retry-After: 5\r\nConnection: close\r\nContent-Length: "
            + body.length()
            + "\r\n\r\n"
            + body;
    ctx.channel().attr(REFUSED).set(Boolean.TRUE);
    ctx.channel().config().setAutoRead(false);
    ctx.writeAndFlush(Unpooled.copiedBuffer(res, StandardCharsets.US_ASCII))
        .addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (ctx.channel().hasAttr(REFUSED)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    open.decrementAndGet();
    Slot slot = ctx.channel().attr(SLOT).getAndSet(null);
    if (slot != null) {
      AtomicInteger n = byAddress.get(slot.address);
      if (n != null && n.decrementAndGet() <= 0) {
        byAddress.remove(slot.address, n);
      }
      synchronized (slot) {
        if (slot.trusted) {
          trusted.decrementAndGet();
        }
      }
    }
    super.channelInactive(ctx);
  }

  /** Whether {@code ch} took one of the reserved places and has not yet shown a valid token. */
  static boolean onProbation(Channel ch) {
    Slot slot = ch.attr(SLOT).get();
    return slot != null && slot.probation && !slot.trusted;
  }

  /** {@code ch} showed a valid token: it may keep a reserved place. */
  static void trust(Channel ch) {
    Slot slot = ch.attr(SLOT).get();
    if (slot == null) {
      return;
    }
    synchronized (slot) {
      if (!slot.trusted) {
        slot.trusted = true;
        slot.limit.trusted.incrementAndGet();
      }
    }
  }

  /** The address a connection counts against: an IPv4 address, or an IPv6 address's /64. */
  static Object addressKey(SocketAddress remote) {
    if (!(remote instanceof InetSocketAddress a) || a.getAddress() == null) {
      return "other";
    }
    InetAddress ip = a.getAddress();
    if (ip instanceof Inet6Address) {
      return Arrays.toString(Arrays.copyOf(ip.getAddress(), 8));
    }
    return ip;
  }

  /** Connections open now, refused ones included until they close. */
  int open() {
    return open.get();
  }
}
