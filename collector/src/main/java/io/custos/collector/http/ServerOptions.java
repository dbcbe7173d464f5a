package io.custos.collector.http;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the HTTP server guards itself; see {@code http:} and {@code tls:} in the collector's
 * configuration.
 *
 * @param maxBody largest accepted request body in bytes, after decompression
 * @param maxConnections connections open at once before new ones are answered 503 and closed
 * @param headerTimeout longest time from a request's first byte to the end of its headers before
 *     the connection is answered 408 and closed
 * @param tls the TLS context (HTTPS), or null for plain HTTP
 * @param sessionKey the file holding the key that signs dashboard session cookies (created when
 *     absent), or null for a random key per start (sessions then end with the collector)
 * @param reload asks the daemon to reload its configuration ({@code POST /api/v1/reload}, admin),
 *     returning at once; null when this server has no daemon to reload (the route is then absent)
 */
public record ServerOptions(
    int maxBody,
    int maxConnections,
    Duration headerTimeout,
    TlsContext tls,
    Path sessionKey,
    Runnable reload) {
  public static final int DEFAULT_MAX_CONNECTIONS = 1024;
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);

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
  }

  /** Options without a reload route. */
  public ServerOptions(
      int maxBody, int maxConnections, Duration headerTimeout, TlsContext tls, Path sessionKey) {
    this(maxBody, maxConnections, headerTimeout, tls, sessionKey, null);
  }

  /** Options with a random session key per start. */
  public ServerOptions(int maxBody, int maxConnections, Duration headerTimeout, TlsContext tls) {
    this(maxBody, maxConnections, headerTimeout, tls, null);
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
