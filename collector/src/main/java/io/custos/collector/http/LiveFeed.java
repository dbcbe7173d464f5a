package io.custos.collector.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.custos.collector.status.HostView;
import io.custos.collector.status.ServiceFilter;
import io.custos.collector.status.ServiceFlags;
import io.custos.collector.status.ServiceView;
import io.custos.collector.status.StatusBoard;
import io.custos.collector.store.EventRecord;
import io.custos.collector.store.StoreException;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's live updates, {@code GET /api/v1/stream}: Server-Sent Events (WHATWG HTML, §9.2
 * "Server-sent events") pushed to every open stream when a service, host or the event history
 * changes.
 *
 * <p>Events: {@code service} (one row as in {@code /api/v1/services}, when its status, output,
 * attempt, acknowledgement, downtime or flapping changed), {@code host} (one row as in {@code
 * /api/v1/hosts}, when state, counts, agent or tags changed), {@code removed} ({@code
 * {"host":…,"service":…}}, service absent for a whole host), {@code alert} (one row as in {@code
 * /api/v1/events}); a stream starts with {@code retry: 2000} and an {@code event: ready} (data
 * {@code {}}), both sent once the feed's comparison baseline is taken, so a page that reads its
 * lists on {@code ready} misses no change; it gets a {@code : ping} comment every {@value #PING_MS}
 * ms.
 *
 * <p>Ingest only marks a host dirty ({@link #changed}: a set insertion, never blocking, nothing at
 * all while no stream is open). One feed thread compares the dirty hosts' rows with what it last
 * sent, at most every {@value #COALESCE_MS} ms, and re-checks everything every {@value #SWEEP_MS}
 * ms for changes no request causes (a host going DOWN). Each stream's pending output is bounded by
 * Netty's write-buffer watermark ({@value #MAX_PENDING_BYTES} bytes): a subscriber that does not
 * read is closed, never waited for; its browser reconnects and reloads the lists. Every pass first
 * closes the streams whose token was revoked (by {@code custos-collector token revoke}, another
 * process) or whose session ended: a revoked stream ends within about a second and gets no event
 * after its token is found revoked.
 */
final class LiveFeed implements AutoCloseable {
  static final long PING_MS = 15_000;
  static final long SWEEP_MS = 10_000;
  static final long COALESCE_MS = 250;
  static final int MAX_PENDING_BYTES = 256 * 1024;

  /** Above this many dirty hosts one full pass is cheaper than one pass per host. */
  private static final int FULL_PASS_HOSTS = 200;

  /** How far back events are looked for (result times may lag the collector clock). */
  private static final long EVENT_WINDOW_MS = 15 * 60_000L;

  private static final int SEEN_EVENTS = 50_000;
  private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);

  /** An open stream; {@code started} once it got {@code retry:} and so the events. */
  private static final class Subscriber {
    final Channel channel;
    final BooleanSupplier stillAllowed;
    volatile boolean started;

    Subscriber(Channel channel, BooleanSupplier stillAllowed) {
      this.channel = channel;
      this.stillAllowed = stillAllowed;
    }

    Channel channel() {
      return channel;
    }

    BooleanSupplier stillAllowed() {
      return stillAllowed;
    }
  }

  private final StatusBoard board;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
  private final Set<String> dirty = ConcurrentHashMap.newKeySet();
  private volatile boolean sweepWanted;
  private volatile boolean closed;
  private final Object signal = new Object();
  private Thread thread;

  // Owned by the feed thread: what was last sent, by host then service.
  private final Map<String, Map<String, String>> services = new HashMap<>();
  private final Map<String, String> hosts = new HashMap<>();
  private final LinkedHashSet<String> seenEvents = new LinkedHashSet<>();
  private Map<String, ServiceFlags> flags = Map.of();
  private boolean baseline;
  private long lastSweep;
  private long lastPing;

  LiveFeed(StatusBoard board) {
    this.board = board;
  }

  /** Number of open streams. */
  int subscribers() {
    return subscribers.size();
  }

  /** A report or an operator changed {@code host}; never blocks, free while no stream is open. */
  void changed(String host) {
    if (subscribers.isEmpty()) {
      return;
    }
    dirty.add(host);
    wake();
  }

  /** Something changed that may touch any host (a downtime, an acknowledgement). */
  void changedAll() {
    if (subscribers.isEmpty()) {
      return;
    }
    sweepWanted = true;
    wake();
  }

  /**
   * Adds an open stream whose response head was written; it gets {@code retry: 2000} and then the
   * events from the feed thread. {@code stillAllowed} is asked at every ping whether its
   * credentials are still good.
   */
  void subscribe(Channel channel, BooleanSupplier stillAllowed) {
    if (closed) {
      channel.close();
      return;
    }
    subscribers.add(new Subscriber(channel, stillAllowed));
    channel.closeFuture().addListener(f -> subscribers.removeIf(s -> s.channel() == channel));
    startThread();
    wake();
  }

  private synchronized void startThread() {
    if (thread == null) {
      thread = new Thread(this::run, "custos-live-feed");
      thread.setDaemon(true);
      thread.start();
    }
  }

  private void wake() {
    synchronized (signal) {
      signal.notifyAll();
    }
  }

  private void run() {
    while (!closed) {
      try {
        synchronized (signal) {
          if (dirty.isEmpty() && !sweepWanted && !closed) {
            signal.wait(1000);
          }
        }
        if (closed) {
          return;
        }
        // Let a burst of reports arrive, then handle them in one pass.
        TimeUnit.MILLISECONDS.sleep(COALESCE_MS);
        step(System.nanoTime() / 1_000_000);
      } catch (InterruptedException e) {
        return;
      } catch (StoreException e) {
        LOG.debug("live feed cannot read the store: {}", e.getMessage());
      } catch (RuntimeException e) {
        LOG.warn("live feed pass failed; next one in {} ms", COALESCE_MS, e);
      }
    }
  }

  private void step(long nowMs) {
    if (subscribers.isEmpty()) {
      baseline = false;
      services.clear();
      hosts.clear();
      seenEvents.clear();
      dirty.clear();
      return;
    }
    // Before anything is sent: a revoked token's stream gets nothing more (one token lookup per
    // stream a pass; a pass runs at least every ~1.25 s, at most every COALESCE_MS).
    dropRevoked();
    if (!baseline) {
      dirty.clear();
      sweepWanted = false;
      scan(null, false);
      baseline = true;
      lastSweep = nowMs;
      lastPing = nowMs;
    } else if (sweepWanted || dirty.size() > FULL_PASS_HOSTS || nowMs - lastSweep >= SWEEP_MS) {
      sweepWanted = false;
      dirty.clear();
      scan(null, true);
      lastSweep = nowMs;
    } else if (!dirty.isEmpty()) {
      List<String> batch = new ArrayList<>(dirty);
      dirty.removeAll(batch);
      for (String host : batch) {
        scan(host, true);
      }
    }
    if (nowMs - lastPing >= PING_MS) {
      lastPing = nowMs;
      ping();
    }
    // A new stream starts only now, once what it will be compared against is current: every
    // change after its first line reaches it, and it loads the lists after that line.
    for (Subscriber s : subscribers) {
      if (!s.started) {
        s.started = true;
        send(s, "retry: 2000\n\nevent: ready\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  /**
   * Compares {@code host} (all when null) with what was sent; sends the differences if asked. The
   * alert engine's flags are re-read on a full pass only: reading them decodes every alert state,
   * which one report must not cost. Between full passes a row's acknowledgement and soft/hard may
   * lag by up to {@value #SWEEP_MS} ms; acknowledgements and downtimes made through the API ask for
   * a full pass at once.
   */
  private void scan(String host, boolean emit) {
    if (host == null) {
      flags = board.flags();
    }
    Map<String, HostView> hostRows = new HashMap<>();
    for (HostView h : board.hosts(host)) {
      hostRows.put(h.name(), h);
    }
    Map<String, Map<String, ServiceView>> rows = new HashMap<>();
    for (ServiceView v : board.services(ServiceFilter.parse(null, host), flags)) {
      rows.computeIfAbsent(v.host(), k -> new HashMap<>()).put(v.service(), v);
    }
    Set<String> scope = new HashSet<>(host == null ? hosts.keySet() : Set.of(host));
    scope.addAll(hostRows.keySet());
    scope.addAll(rows.keySet());
    if (host == null) {
      scope.addAll(services.keySet());
    }
    for (String h : scope) {
      HostView hostRow = hostRows.get(h);
      if (hostRow == null && !rows.containsKey(h)) {
        boolean known = hosts.remove(h) != null;
        known |= services.remove(h) != null;
        if (known && emit) {
          broadcast("removed", Response.mapper().createObjectNode().put("host", h));
        }
        continue;
      }
      if (hostRow != null) {
        String fp =
            hostRow.state()
                + "\0"
                + hostRow.since()
                + "\0"
                + hostRow.rootCauses()
                + "\0"
                + hostRow.blocking()
                + "\0"
                + hostRow.services()
                + "\0"
                + hostRow.problems()
                + "\0"
                + hostRow.agent()
                + "\0"
                + hostRow.tags()
                + "\0"
                + hostRow.intervalS();
        if (!fp.equals(hosts.put(h, fp)) && emit) {
          broadcast("host", HostsHandler.row(board, hostRow));
        }
      }
      Map<String, String> sent = services.computeIfAbsent(h, k -> new HashMap<>());
      Map<String, ServiceView> now = rows.getOrDefault(h, Map.of());
      for (Map.Entry<String, ServiceView> e : now.entrySet()) {
        String fp = fingerprint(e.getValue());
        if (!fp.equals(sent.put(e.getKey(), fp)) && emit) {
          broadcast("service", ServicesHandler.rows(List.of(e.getValue())).get(0));
        }
      }
      for (Iterator<String> it = sent.keySet().iterator(); it.hasNext(); ) {
        String service = it.next();
        if (!now.containsKey(service)) {
          it.remove();
          if (emit) {
            broadcast(
                "removed",
                Response.mapper().createObjectNode().put("host", h).put("service", service));
          }
        }
      }
    }
    long since = board.clock().millis() - EVENT_WINDOW_MS;
    for (EventRecord e : board.store().events(host, since)) {
      String key =
          e.host()
              + "\0"
              + e.service()
              + "\0"
              + e.time()
              + "\0"
              + e.kind()
              + "\0"
              + e.newStatus()
              + "\0"
              + e.output();
      if (seenEvents.add(key)) {
        if (emit) {
          broadcast("alert", EventsHandler.row(e));
        }
        if (seenEvents.size() > SEEN_EVENTS) {
          Iterator<String> it = seenEvents.iterator();
          it.next();
          it.remove();
        }
      }
    }
  }

  /** What a service event reports; not durations or check times, which change every time. */
  private static String fingerprint(ServiceView v) {
    // Host Alive's output says how long ago the last report came: it changes every second.
    boolean alive = v.hostAlive();
    return v.status()
        + "\0"
        + (alive ? "" : v.output())
        + "\0"
        + v.attempt()
        + "/"
        + v.maxAttempts()
        + "\0"
        + v.stale()
        + "\0"
        + v.flags()
        + "\0"
        + v.lastChange();
  }

  private void broadcast(String event, JsonNode data) {
    write("event: " + event + "\ndata: " + data + "\n\n");
  }

  /** Closes every stream whose token was revoked (or whose session ended) since the last pass. */
  private void dropRevoked() {
    for (Subscriber s : subscribers) {
      boolean ok;
      try {
        ok = s.stillAllowed().getAsBoolean();
      } catch (RuntimeException e) {
        ok = true; // a store hiccup is not a revocation
      }
      if (!ok) {
        LOG.info(
            "closing the live stream of {}: its token was revoked", s.channel().remoteAddress());
        drop(s);
      }
    }
  }

  private void ping() {
    write(": ping\n\n");
  }

  private void write(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    for (Subscriber s : subscribers) {
      if (s.started) {
        send(s, bytes);
      }
    }
  }

  private void send(Subscriber s, byte[] bytes) {
    Channel ch = s.channel();
    if (!ch.isActive()) {
      subscribers.remove(s);
    } else if (!ch.isWritable()) {
      LOG.info(
          "closing the live stream of {}: it reads too slowly (over {} bytes waiting)",
          ch.remoteAddress(),
          MAX_PENDING_BYTES);
      drop(s);
    } else {
      ch.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes)));
    }
  }

  private void drop(Subscriber s) {
    subscribers.remove(s);
    s.channel().close();
  }

  @Override
  public void close() {
    closed = true;
    wake();
    for (Subscriber s : subscribers) {
      s.channel().close();
    }
    subscribers.clear();
  }
}
