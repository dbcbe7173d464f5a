package io.custos.collector.alert;

import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import java.net.URI;
import java.util.Set;

/**
 * The monitored host a remote check aims at, read from its metrics' labels: {@code target} (ping
 * {@code db01}, tcp {@code db01:5432}) or {@code url} (http). A name matches a host exactly, or by
 * its first DNS label ({@code db01.example.net} is host {@code db01}); an address that is no host's
 * name matches none. Pure.
 */
final class Targets {
  private Targets() {}

  /**
   * The host {@code r} aims at among {@code hosts}, or {@code previous} when its metrics name none
   * (a failing check often reports no metric; it keeps the target its last metrics named).
   */
  static String of(CheckResult r, Set<String> hosts, String previous) {
    for (Metric m : r.metrics()) {
      String t = m.labels().get("target");
      String name = null;
      if (t != null) {
        name = stripPort(t);
      } else if (m.labels().get("url") != null) {
        try {
          name = URI.create(m.labels().get("url")).getHost();
        } catch (IllegalArgumentException e) {
          name = null;
        }
      }
      if (name != null) {
        return host(name, hosts);
      }
    }
    return previous;
  }

  /** {@code name} as a known host, or null. */
  static String host(String name, Set<String> hosts) {
    if (hosts.contains(name)) {
      return name;
    }
    int dot = name.indexOf('.');
    if (dot > 0 && !Character.isDigit(name.charAt(0)) && hosts.contains(name.substring(0, dot))) {
      return name.substring(0, dot);
    }
    return null;
  }

  private static String stripPort(String t) {
    if (t.startsWith("[")) {
      int end = t.indexOf(']');
      return end > 0 ? t.substring(1, end) : t;
    }
    int colon = t.lastIndexOf(':');
    return colon > 0 && t.indexOf(':') == colon ? t.substring(0, colon) : t;
  }
}
