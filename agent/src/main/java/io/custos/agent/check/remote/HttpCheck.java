package io.custos.agent.check.remote;

import io.custos.agent.check.Check;
import io.custos.agent.check.CheckContext;
import io.custos.agent.check.Schedule;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Status;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A web page answers as expected and fast enough, and its TLS certificate is not about to expire.
 * Registered as {@code http} and {@code https}. See {@link HttpConfig} for the YAML:
 *
 * <pre>{@code
 * - { type: http, name: URL Status, url: "https://www.example.net/", status: 200,
 *     warning: 500ms, critical: 2s, contains: Welcome }
 * }</pre>
 *
 * <p>One service, by default {@code HTTP <url>}. "Web page down" is CRITICAL: connection refused,
 * no answer within the timeout, an unexpected status ({@code HTTP CRITICAL - 500 Internal Server
 * Error, expected 200}; without {@code status}, 4xx is WARNING and 5xx CRITICAL), or the body
 * lacking {@code contains}/{@code regex}. "Web page too slow" is WARNING/CRITICAL by the time to
 * the whole body: {@code HTTP WARNING - 200 OK, 16 bytes in 0.312 s (warning 50ms)}. For https the
 * certificate's days to expiry are checked against {@code certificate_warning}/{@code
 * certificate_critical}; an untrusted certificate is CRITICAL unless {@code verify_tls: false}. The
 * body read is bounded to 1 MiB. Metrics (label {@code url}): {@code http_response_seconds}, {@code
 * http_status_code}, {@code http_content_bytes}, {@code tls_certificate_expiry_seconds}.
 *
 * <p>Redirects are answers unless {@code follow_redirects: true} (then up to 5, never from https
 * down to http).
 */
public final class HttpCheck implements Check {
  static final int MAX_BODY = 1024 * 1024;
  private static final int MAX_REDIRECTS = 5;

  private final HttpConfig config;
  private final Schedule schedule;
  private final Pattern regex;
  private final String service;

  public HttpCheck(HttpConfig config) {
    this(config, config.defaultSchedule());
  }

  /**
   * The check for one {@code checks:} entry: its own keys and its shared ones ({@code timeout}).
   */
  public HttpCheck(HttpConfig config, Schedule schedule) {
    this.config = config;
    this.schedule = schedule;
    this.regex = config.regex() == null ? null : Pattern.compile(config.regex());
    this.service = "HTTP " + config.url();
  }

  @Override
  public String kind() {
    return "http";
  }

  @Override
  public String name() {
    return service;
  }

  @Override
  public List<CheckResult> run(CheckContext context) throws GeneralSecurityException {
    Duration limit = Schedule.ownTimeout(schedule.timeout());
    long start = System.nanoTime();
    URI uri = config.url();
    try {
      for (int hop = 0; ; hop++) {
        HttpURLConnection c = open(uri, limit);
        try {
          int code = c.getResponseCode();
          String location = c.getHeaderField("Location");
          if (config.followRedirects()
              && code >= 300
              && code < 400
              && location != null
              && hop < MAX_REDIRECTS) {
            URI next = uri.resolve(location);
            if (!("https".equals(uri.getScheme()) && "http".equals(next.getScheme()))) {
              uri = next;
              continue;
            }
          }
          X509Certificate cert = c instanceof HttpsURLConnection s ? leaf(s) : null;
          byte[] body = readBody(c);
          Duration took = Duration.ofNanos(System.nanoTime() - start);
          return List.of(
              result(code, c.getResponseMessage(), body, took, cert, uri, context.now()));
        } finally {
          c.disconnect();
        }
      }
    } catch (SSLException e) {
      return List.of(critical("TLS failure: " + e.getMessage(), context.now()));
    } catch (IOException e) {
      return List.of(critical(Remote.why(e, limit), context.now()));
    }
  }

  private HttpURLConnection open(URI uri, Duration limit)
      throws IOException, GeneralSecurityException {
    URL url = uri.toURL();
    HttpURLConnection c = (HttpURLConnection) url.openConnection();
    c.setInstanceFollowRedirects(false);
    c.setConnectTimeout((int) limit.toMillis());
    c.setReadTimeout((int) limit.toMillis());
    c.setRequestProperty("User-Agent", "custos-agent http check");
    c.setUseCaches(false);
    if (c instanceof HttpsURLConnection s && !config.verifyTls()) {
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, new TrustManager[] {new TrustAll()}, null);
      s.setSSLSocketFactory(ssl.getSocketFactory());
      s.setHostnameVerifier((host, session) -> true);
    }
    return c;
  }

  private static X509Certificate leaf(HttpsURLConnection s) throws IOException {
    try {
      Certificate[] chain = s.getServerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
    } catch (IllegalStateException | javax.net.ssl.SSLPeerUnverifiedException e) {
      return null;
    }
  }

  private static byte[] readBody(HttpURLConnection c) throws IOException {
    InputStream in;
    try {
      in = c.getInputStream();
    } catch (IOException e) {
      in = c.getErrorStream(); // 4xx/5xx: the body is the error page
    }
    if (in == null) {
      return new byte[0];
    }
    try (InputStream body = in) {
      return body.readNBytes(MAX_BODY);
    }
  }

  /** The result of one answered request; pure but for the configuration. */
  CheckResult result(
      int code,
      String reason,
      byte[] body,
      Duration took,
      X509Certificate cert,
      URI finalUri,
      long now) {
    Map<String, String> label = Map.of("url", config.url().toString());
    List<Metric> metrics = new ArrayList<>();
    metrics.add(
        Remote.time("http_response_seconds", label, took, config.warning(), config.critical()));
    metrics.add(Metric.of("http_status_code", label, code, null));
    metrics.add(Metric.of("http_content_bytes", label, body.length, "B"));
    String line = code + (reason == null ? "" : " " + reason);
    Status status;
    List<String> notes = new ArrayList<>();
    if (config.status() != null) {
      status = code == config.status() ? Status.OK : Status.CRITICAL;
      if (status != Status.OK) {
        notes.add("expected " + config.status());
      }
    } else {
      status = code >= 500 ? Status.CRITICAL : code >= 400 ? Status.WARNING : Status.OK;
    }
    String text = new String(body, StandardCharsets.UTF_8);
    if (config.contains() != null && !text.contains(config.contains())) {
      status = Status.CRITICAL;
      notes.add("\"" + config.contains() + "\" not found");
    }
    if (regex != null && !regex.matcher(text).find()) {
      status = Status.CRITICAL;
      notes.add("/" + config.regex() + "/ not found");
    }
    Status slow = Remote.ofTime(took, config.warning(), config.critical());
    status = status.worse(slow);
    String timing =
        body.length
            + " bytes in "
            + Remote.seconds(took)
            + Remote.crossed(slow, config.warning(), config.critical());
    if (cert != null) {
      Instant expires = cert.getNotAfter().toInstant();
      Duration left = Duration.between(Instant.ofEpochMilli(now), expires);
      metrics.add(Metric.of("tls_certificate_expiry_seconds", label, left.getSeconds(), "s"));
      Status certStatus =
          left.compareTo(config.certificateCritical()) <= 0
              ? Status.CRITICAL
              : left.compareTo(config.certificateWarning()) <= 0 ? Status.WARNING : Status.OK;
      status = status.worse(certStatus);
      String day = expires.atOffset(ZoneOffset.UTC).toLocalDate().toString();
      timing +=
          ", certificate "
              + (left.isNegative()
                  ? "expired on " + day
                  : "expires in " + left.toDays() + " days (" + day + ")");
    }
    if (!finalUri.equals(config.url())) {
      notes.add("after redirect to " + finalUri);
    }
    return new CheckResult(
        service,
        "http",
        status,
        "HTTP "
            + status
            + " - "
            + line
            + (notes.isEmpty() ? "" : ", " + String.join(", ", notes))
            + ", "
            + timing,
        now,
        metrics);
  }

  private CheckResult critical(String why, long now) {
    return new CheckResult(
        service,
        "http",
        Status.CRITICAL,
        ("HTTP CRITICAL - " + why + " (" + config.url() + ")").replaceAll("[\\r\\n]+", " "),
        now,
        List.of());
  }

  /** Accepts any certificate, for {@code verify_tls: false}; the expiry is still checked. */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
