package io.custos.agent.ship;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;

/**
 * Sends reports to {@code <url>/api/v1/reports} with {@code java.net.http}: gzip-compressed JSON,
 * {@code Authorization: Bearer <token>}, bounded connect and request times.
 *
 * <p>Failure behaviour: a refused or timed-out connection is an {@link IOException}; any HTTP
 * answer, including 5xx, is a {@link ReportSender.Reply}.
 */
public final class HttpReportSender implements ReportSender {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

  private final HttpClient client;
  private final URI endpoint;
  private final String token;
  private final String userAgent;

  /**
   * @param collector base URL, e.g. {@code http://127.0.0.1:8480}
   * @param token the node's bearer token
   * @param userAgent e.g. {@code custos-agent/0.1.0}
   */
  public HttpReportSender(URI collector, String token, String userAgent) {
    String base = collector.toString().replaceAll("/+$", "");
    this.endpoint = URI.create(base + "/api/v1/reports");
    this.token = token;
    this.userAgent = userAgent;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public Reply send(byte[] json) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(REQUEST_TIMEOUT)
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .header("Content-Encoding", "gzip")
            .header("User-Agent", userAgent)
            .POST(HttpRequest.BodyPublishers.ofByteArray(gzip(json)))
            .build();
    try {
      HttpResponse<String> response =
          client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Reply(response.statusCode(), response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while sending to " + endpoint, e);
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
