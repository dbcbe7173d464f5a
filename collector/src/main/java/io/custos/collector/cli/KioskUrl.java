package io.custos.collector.cli;

import io.custos.collector.config.CollectorConfig;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * The wall screen's URL, {@code http://collector:8480/#token=VIEWER_TOKEN}: the dashboard reads the
 * token from the fragment (which browsers never send to the server), logs in with it and removes it
 * from the address bar.
 */
final class KioskUrl {
  private KioskUrl() {}

  /**
   * The collector's base URL: {@code explicit} when given, else {@code dashboard_url}, else the
   * listen address ({@code https} with {@code tls:}); a wildcard listen host ({@code 0.0.0.0},
   * {@code ::}) is replaced by this machine's name.
   *
   * @throws IllegalArgumentException when {@code explicit} is not an http(s) URL
   */
  static String base(CollectorConfig config, String explicit) {
    String base = explicit != null ? explicit : config.dashboardUrl();
    if (base == null) {
      String host = config.listenHost();
      if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
        host = localName();
      } else if (host.contains(":") && !host.startsWith("[")) {
        host = "[" + host + "]";
      }
      base = (config.tls() == null ? "http" : "https") + "://" + host + ":" + config.listenPort();
    }
    URI uri;
    try {
      uri = URI.create(base);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--url: expected an http(s) URL, got \"" + base + "\"");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
        || uri.getHost() == null) {
      throw new IllegalArgumentException("--url: expected an http(s) URL, got \"" + base + "\"");
    }
    return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  /** {@code base/#token=TOKEN}; the token is base64url, safe in a fragment as it is. */
  static String of(String base, String token) {
    return base + "/#token=" + token;
  }

  private static String localName() {
    try {
      return InetAddress.getLocalHost().getCanonicalHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
