package io.custos.collector.http;

import io.custos.collector.alert.AlertEngine;
import io.custos.collector.archive.ArchiveStore;
import io.custos.collector.config.CollectorConfig;
import io.custos.collector.ingest.IngestGuard;
import io.custos.collector.metrics.CollectorMetrics;
import io.custos.collector.status.StatusBoard;
import io.custos.collector.store.Store;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The collector's HTTP server: Netty NIO event loops for I/O and a small bounded worker pool for
 * routing and storage ({@value #QUEUE} requests may wait; from {@link ServerOptions#shedQueue()}
 * waiting, new ones are answered 503 on their headers), with {@code /healthz} on a thread of its
 * own. {@link #start} returns once the socket is bound; {@link #close} stops accepting, lets
 * requests already being served finish (up to {@value #DRAIN_SECONDS}s), then closes every
 * connection.
 */
public final class CollectorServer implements AutoCloseable {
  static final int DRAIN_SECONDS = 10;
  private static final int WORKERS = 4;

  /** Requests that may wait for a worker; more are answered 503. */
  public static final int QUEUE = CollectorConfig.HttpSection.MAX_QUEUE;

  private static final int HEALTH_QUEUE = 16;
  static final int DISK_THREADS = 2;

  private final EventLoopGroup boss;
  private final EventLoopGroup io;
  private final ThreadPoolExecutor workers;
  private final ThreadPoolExecutor health;
  private final EventExecutorGroup disk;
  private final Channel channel;
  private final int port;
  private final LiveFeed feed;

  private CollectorServer(
      EventLoopGroup boss,
      EventLoopGroup io,
      ThreadPoolExecutor workers,
      ThreadPoolExecutor health,
      EventExecutorGroup disk,
      Channel channel,
      LiveFeed feed) {
    this.feed = feed;
    this.health = health;
    this.boss = boss;
    this.io = io;
    this.workers = workers;
    this.disk = disk;
    this.channel = channel;
    this.port = ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /**
   * Binds {@code host:port} (port 0 picks a free one) and serves the API on {@code store}: reports
   * go through the alert engine, which also serves the acknowledgement and downtime routes; ingest
   * and queue metrics go into {@code metrics} (served at /metrics); the archive store's routes are
   * served when {@code archives} is not null, upload bytes being written on {@value #DISK_THREADS}
   * threads of their own.
   *
   * @param options body and connection limits, header timeout, TLS
   * @param guard checks every report against the limits before it is stored
   * @throws IllegalStateException naming the address when it cannot be bound
   */
  public static CollectorServer start(
      String host,
      int port,
      ServerOptions options,
      Store store,
      StatusBoard board,
      CollectorMetrics metrics,
      AlertEngine engine,
      IngestGuard guard,
      ArchiveStore archives) {
    EventExecutorGroup disk =
        archives == null
            ? null
            : new DefaultEventExecutorGroup(
                DISK_THREADS, new DefaultThreadFactory("custos-archive-io", true));
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    EventLoopGroup io = new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor workers =
        new ThreadPoolExecutor(
            WORKERS,
            WORKERS,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            r -> {
              Thread t = new Thread(r, "custos-http-worker-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    metrics.watchWorkers(workers);
    // /healthz on a thread of its own: a probe must see the collector alive behind a full queue.
    ThreadPoolExecutor health =
        new ThreadPoolExecutor(
            1,
            1,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(HEALTH_QUEUE),
            r -> {
              Thread t = new Thread(r, "custos-http-health");
              t.setDaemon(true);
              return t;
            });
    int shedAt = options.shedQueue();
    LiveFeed feed = new LiveFeed(board);
    try {
      Channel ch =
          new ServerBootstrap()
              .group(boss, io)
              .channel(NioServerSocketChannel.class)
              .option(ChannelOption.SO_BACKLOG, 256)
              .childHandler(
                  new CollectorServerInitializer(
                      Routes.create(
                              store,
                              board,
                              metrics,
                              engine,
                              guard,
                              options.sessions(),
                              feed,
                              archives)
                          .reloadRoute(options.reload()),
                      workers,
                      options,
                      feed,
                      archives,
                      disk,
                      health,
                      () -> workers.getQueue().size() >= shedAt))
              .bind(host, port)
              .syncUninterruptibly()
              .channel();
      return new CollectorServer(boss, io, workers, health, disk, ch, feed);
    } catch (Exception e) {
      // Exception, not RuntimeException: syncUninterruptibly rethrows a BindException unchecked.
      workers.shutdownNow();
      health.shutdownNow();
      if (disk != null) {
        disk.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      }
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e, e);
    }
  }

  /** Open dashboard event streams ({@code GET /api/v1/stream}). */
  public int streams() {
    return feed.subscribers();
  }

  /** The bound port. */
  public int port() {
    return port;
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    feed.close();
    health.shutdown();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
    // The quiet period lets the answers of the drained requests reach their sockets.
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    io.shutdownGracefully(100, 2000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    if (disk != null) {
      // After the event loops: an upload cut short by the close is aborted on these threads.
      disk.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
