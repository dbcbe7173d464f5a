package io.custos.agent.check.remote;

import io.custos.agent.check.CheckRunner;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** Response-time thresholds, connecting and wording shared by the remote checks. */
final class Remote {
  private Remote() {}

  /** The status of a response time against optional limits (at or above). */
  static Status ofTime(Duration took, Duration warning, Duration critical) {
    if (critical != null && took.compareTo(critical) >= 0) {
      return Status.CRITICAL;
    }
    if (warning != null && took.compareTo(warning) >= 0) {
      return Status.WARNING;
    }
    return Status.OK;
  }

  /** {@code " (warning 50ms)"} naming the limit a slow answer crossed, or empty. */
  static String crossed(Status s, Duration warning, Duration critical) {
    return switch (s) {
      case CRITICAL -> " (critical " + CheckRunner.format(critical) + ")";
      case WARNING -> " (warning " + CheckRunner.format(warning) + ")";
      default -> "";
    };
  }

  /** {@code 0.012 s}, as check_tcp and check_http print it. */
  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.3f s", d.toNanos() / 1e9);
  }

  /** A response-time metric in seconds with the limits. */
  static Metric time(
      String name, Map<String, String> labels, Duration took, Duration warning, Duration critical) {
    return new Metric(
        name,
        labels,
        took.toNanos() / 1e9,
        "s",
        warning == null ? null : warning.toMillis() / 1000.0,
        critical == null ? null : critical.toMillis() / 1000.0,
        0.0,
        null);
  }

  /** Connects; the caller closes. */
  static Socket connect(String host, int port, Duration timeout) throws IOException {
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
      s.setSoTimeout((int) Math.max(1, timeout.toMillis()));
      return s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  /** Why a connection failed, in words: "connection refused", "no answer within 2s", ... */
  static String why(IOException e, Duration timeout) {
    if (e instanceof ConnectException) {
      String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
      return m.contains("refused") ? "connection refused" : e.getMessage();
    }
    if (e instanceof SocketTimeoutException || e instanceof java.net.http.HttpTimeoutException) {
      return "no answer within " + CheckRunner.format(timeout);
    }
    if (e instanceof UnknownHostException) {
      return "unknown host " + e.getMessage();
    }
    if (e instanceof NoRouteToHostException) {
      return "no route to host";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
