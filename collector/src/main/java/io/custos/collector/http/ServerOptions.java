package io.custos.collector.http;

import io.custos.collector.config.CollectorConfig.HttpSection;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the HTTP server guards itself; see {@code http:} and {@code tls:} in the collector's
 * configuration.
 *
 * @param maxBody largest accepted request body in bytes, after decompression
 * @param maxConnections connections open at once before new ones are answered 503 and closed
 * @param headerTimeout longest time from a connection's accept (or, on a kept-alive connection, a
 *     request's first byte) to the end of its headers before the connection is answered 408 and
 *     closed; also the grace before {@code bodyMinRate} applies
 * @param tls the TLS context (HTTPS), or null for plain HTTP
 * @param sessionKey the file holding the key that signs dashboard session cookies (created when
 *     absent), or null for a random key per start (sessions then end with the collector)
 * @param maxConnectionsPerAddress connections open at once from one IPv4 address or IPv6 /64
 * @param reservedConnections places of {@code maxConnections} kept for clients with a valid token
 * @param bodyMinRate least average request body rate, bytes a second, after {@code headerTimeout}
 *     of grace; 0 for none
 * @param shedQueue requests waiting for a worker at which new ones are answered 503 on their
 *     headers
 * @param maxQueueWait longest a request may wait for a worker; one that waited longer is answered
 *     503 without being run (its client has given up or is about to)
 * @param reload asks the daemon to reload its configuration ({@code POST /api/v1/reload}, admin),
 *     returning at once; null when this server has no daemon to reload (the route is then absent)
 */
public record ServerOptions(
    int maxBody,
    int maxConnections,
    Duration headerTimeout,
    TlsContext tls,
    Path sessionKey,
    int maxConnectionsPerAddress,
    int reservedConnections,
    long bodyMinRate,
    int shedQueue,
    Duration maxQueueWait,
    Runnable reload) {
  public static final int DEFAULT_MAX_CONNECTIONS = 1024;
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
  public static final long DEFAULT_BODY_MIN_RATE = HttpSection.DEFAULT_BODY_MIN_RATE;
  public static final int DEFAULT_SHED_QUEUE = HttpSection.DEFAULT_SHED_QUEUE;
  public static final Duration DEFAULT_MAX_QUEUE_WAIT = HttpSection.DEFAULT_MAX_QUEUE_WAIT;

  public ServerOptions {
    if (maxBody < 1) {
      throw new IllegalArgumentException("maxBody must be positive, got " + maxBody);
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be positive, got " + maxConnections);
    }
    if (headerTimeout == null || headerTimeout.isNegative() || headerTimeout.isZero()) {
      throw new IllegalArgumentException("headerTimeout must be positive, got " + headerTimeout);
    }
    if (maxConnectionsPerAddress < 1) {
      throw new IllegalArgumentException(
          "maxConnectionsPerAddress must be positive, got " + maxConnectionsPerAddress);
    }
    if (reservedConnections < 0 || reservedConnections >= maxConnections) {
      throw new IllegalArgumentException(
          "reservedConnections must be from 0 to maxConnections - 1, got " + reservedConnections);
    }
    if (bodyMinRate < 0) {
      throw new IllegalArgumentException("bodyMinRate must not be negative, got " + bodyMinRate);
    }
    if (shedQueue < 1) {
      throw new IllegalArgumentException("shedQueue must be positive, got " + shedQueue);
    }
    if (maxQueueWait == null || maxQueueWait.isNegative() || maxQueueWait.isZero()) {
      throw new IllegalArgumentException("maxQueueWait must be positive, got " + maxQueueWait);
    }
  }

  /** With the default per-address share, reserve, body rate and queue limits. */
  public ServerOptions(
      int maxBody, int maxConnections, Duration headerTimeout, TlsContext tls, Path sessionKey) {
    this(
        maxBody,
        maxConnections,
        headerTimeout,
        tls,
        sessionKey,
        defaultPerAddress(maxConnections),
        defaultReserve(maxConnections),
        DEFAULT_BODY_MIN_RATE,
        DEFAULT_SHED_QUEUE,
        DEFAULT_MAX_QUEUE_WAIT,
        null);
  }

  /** Options without a reload route. */
  public ServerOptions(
      int maxBody,
      int maxConnections,
      Duration headerTimeout,
      TlsContext tls,
      Path sessionKey,
      int maxConnectionsPerAddress,
      int reservedConnections,
      long bodyMinRate,
      int shedQueue,
      Duration maxQueueWait) {
    this(
        maxBody,
        maxConnections,
        headerTimeout,
        tls,
        sessionKey,
        maxConnectionsPerAddress,
        reservedConnections,
        bodyMinRate,
        shedQueue,
        maxQueueWait,
        null);
  }

  /** Options with a random session key per start. */
  public ServerOptions(int maxBody, int maxConnections, Duration headerTimeout, TlsContext tls) {
    this(maxBody, maxConnections, headerTimeout, tls, null);
  }

  /** The default share of one address: a quarter of the connections. */
  public static int defaultPerAddress(int maxConnections) {
    return HttpSection.defaultPerAddress(maxConnections);
  }

  /** The default reserve for token holders: an eighth of the connections. */
  public static int defaultReserve(int maxConnections) {
    return HttpSection.defaultReserve(maxConnections);
  }

  /** The sessions these options describe; reads or creates the key file. */
  Sessions sessions() {
    return sessionKey == null
        ? Sessions.ephemeral(tls != null)
        : new Sessions(
            Sessions.loadOrCreateKey(sessionKey),
            tls != null,
            sessionKey.resolveSibling(sessionKey.getFileName() + ".ended"));
  }

  /** Plain HTTP with the default connection limit and header timeout. */
  public static ServerOptions of(int maxBody) {
    return new ServerOptions(maxBody, DEFAULT_MAX_CONNECTIONS, DEFAULT_HEADER_TIMEOUT, null);
  }
}
