package io.custos.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sender and the spool against a real HTTP server on a loopback port. */
class HttpReportSenderTest {
  /** What the fake collector saw of one request. */
  record Seen(String method, String path, String auth, String type, String encoding, String body) {}

  private HttpServer server;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final AtomicInteger unavailableFor = new AtomicInteger();
  private URI url;

  @TempDir Path tempDir;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          byte[] raw = ex.getRequestBody().readAllBytes();
          String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
          String body =
              "gzip".equals(encoding) ? gunzip(raw) : new String(raw, StandardCharsets.UTF_8);
          seen.add(
              new Seen(
                  ex.getRequestMethod(),
                  ex.getRequestURI().getPath(),
                  ex.getRequestHeaders().getFirst("Authorization"),
                  ex.getRequestHeaders().getFirst("Content-Type"),
                  encoding,
                  body));
          boolean down = unavailableFor.getAndDecrement() > 0;
          byte[] reply =
              (down ? "{\"error\":\"store unavailable\"}" : "{\"stored\":true}")
                  .getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "application/json");
          ex.sendResponseHeaders(down ? 503 : 200, reply.length);
          ex.getResponseBody().write(reply);
          ex.close();
        });
    server.start();
    url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private static String gunzip(byte[] data) throws IOException {
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(data))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void postsGzippedJsonWithTheBearerToken() throws Exception {
    HttpReportSender sender = new HttpReportSender(url, "tok3n", "custos-agent/test");

    ReportSender.Reply reply = sender.send("{\"seq\":1}".getBytes(StandardCharsets.UTF_8));

    assertThat(reply).isEqualTo(new ReportSender.Reply(200, "{\"stored\":true}"));
    assertThat(seen)
        .containsExactly(
            new Seen(
                "POST",
                "/api/v1/reports",
                "Bearer tok3n",
                "application/json",
                "gzip",
                "{\"seq\":1}"));
  }

  @Test
  void spoolReplaysAfterA503() throws Exception {
    unavailableFor.set(1);
    HttpReportSender sender = new HttpReportSender(url, "tok3n", "custos-agent/test");
    Spool spool = new Spool(tempDir, 1 << 20, Clock.systemUTC());
    spool.add(1, "{\"seq\":1}".getBytes(StandardCharsets.UTF_8));
    spool.add(2, "{\"seq\":2}".getBytes(StandardCharsets.UTF_8));

    assertThat(spool.flush(sender)).isZero();
    assertThat(spool.depth()).isEqualTo(2);

    assertThat(spool.flush(sender)).isEqualTo(2);
    assertThat(spool.depth()).isZero();
    assertThat(seen)
        .extracting(Seen::body)
        .containsExactly("{\"seq\":1}", "{\"seq\":1}", "{\"seq\":2}");
  }

  @Test
  void refusedConnectionIsAnIOException() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    HttpReportSender sender =
        new HttpReportSender(URI.create("http://127.0.0.1:" + port), "t", "custos-agent/test");

    assertThatThrownBy(() -> sender.send(new byte[] {'{', '}'})).isInstanceOf(IOException.class);
  }

  @Test
  void endpointIgnoresTrailingSlashes() {
    assertThat(new HttpReportSender(URI.create("http://c:8480//"), "t", "a").endpoint().toString())
        .isEqualTo("http://c:8480/api/v1/reports");
  }
}
