package io.custos.agent.ship;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sends reports to {@code <url>/api/v1/reports} with {@link HttpURLConnection}: gzip-compressed
 * JSON, {@code Authorization: Bearer <token>}, bounded connect and read times.
 *
 * <p>Why not {@code java.net.http}: creating an {@code HttpClient} initialises the default TLS
 * context (the cacerts trust store) and its selector threads at once, about 12 MiB of resident
 * memory in a process that should stay under 64 MiB (see {@code bench/RESULTS.md}); {@code
 * HttpURLConnection} loads TLS only for an https collector.
 *
 * <p>Failure behaviour: a refused or timed-out connection is an {@link IOException}; any HTTP
 * answer, including 5xx, is a {@link ReportSender.Reply}.
 */
public final class HttpReportSender implements ReportSender {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
  private static final int MAX_REPLY = 64 * 1024;

  private final URI endpoint;
  private final String token;
  private final String userAgent;
  private final SSLSocketFactory tls;

  /**
   * @param collector base URL, e.g. {@code http://127.0.0.1:8480}
   * @param token the node's bearer token
   * @param userAgent e.g. {@code custos-agent/0.1.0}
   */
  public HttpReportSender(URI collector, String token, String userAgent) {
    this(collector, token, userAgent, null);
  }

  /**
   * @param tls the socket factory for an https collector (see {@link TlsFiles}), or null for the
   *     JDK's default, which trusts the system trust store
   */
  public HttpReportSender(URI collector, String token, String userAgent, SSLSocketFactory tls) {
    String base = collector.toString().replaceAll("/+$", "");
    this.endpoint = URI.create(base + "/api/v1/reports");
    this.token = token;
    this.userAgent = userAgent;
    this.tls = tls;
  }

  /**
   * A sender for the {@code collector:} section: its url, and for https its {@code ca_file} and
   * client {@code certificate}/{@code key} if given.
   *
   * @throws IOException naming the file when a TLS file cannot be used
   */
  public static HttpReportSender of(
      io.custos.agent.config.AgentConfig.Collector c, String token, String userAgent)
      throws IOException {
    return new HttpReportSender(
        c.url(), token, userAgent, TlsFiles.socketFactory(c.caFile(), c.certificate(), c.key()));
  }

  @Override
  public Reply send(byte[] json) throws IOException {
    byte[] body = gzip(json);
    HttpURLConnection c = (HttpURLConnection) endpoint.toURL().openConnection();
    if (tls != null && c instanceof HttpsURLConnection https) {
      https.setSSLSocketFactory(tls);
    }
    boolean answered = false;
    try {
      c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
      c.setReadTimeout((int) REQUEST_TIMEOUT.toMillis());
      c.setInstanceFollowRedirects(false);
      c.setUseCaches(false);
      c.setRequestMethod("POST");
      c.setRequestProperty("Authorization", "Bearer " + token);
      c.setRequestProperty("Content-Type", "application/json");
      c.setRequestProperty("Content-Encoding", "gzip");
      c.setRequestProperty("User-Agent", userAgent);
      c.setDoOutput(true);
      c.setFixedLengthStreamingMode(body.length);
      try (OutputStream out = c.getOutputStream()) {
        out.write(body);
      }
      int status = c.getResponseCode();
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      String reply = "";
      if (in != null) {
        try (InputStream r = in) {
          reply = new String(r.readNBytes(MAX_REPLY), StandardCharsets.UTF_8);
        }
      }
      answered = true;
      return new Reply(status, reply);
    } finally {
      // A fully read answer leaves the connection to the keep-alive cache for the next report.
      if (!answered) {
        c.disconnect();
      }
    }
  }

  /** The endpoint reports go to. */
  public URI endpoint() {
    return endpoint;
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }
}
