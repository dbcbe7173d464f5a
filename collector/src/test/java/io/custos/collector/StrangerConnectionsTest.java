package io.custos.collector;

import static io.custos.collector.TestReports.report;
import static io.custos.collector.TestReports.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.custos.collector.config.CollectorConfig;
import io.custos.common.wire.Status;
import io.custos.common.wire.WireCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Strangers cannot take the connection cap (issue 21: 400 sockets that sent nothing, or completed
 * their headers and then sent one byte every 5 s, against a cap of 300, held /healthz and every
 * agent out with 503). Real sockets against a real collector on loopback; the addresses 127.0.0.2
 * and up stand for other hosts (all of 127/8 is loopback on Linux).
 */
class StrangerConnectionsTest {
  @TempDir Path dir;
  Collector collector;
  final List<Socket> held = new ArrayList<>();

  void start(String http) throws Exception {
    collector =
        Collector.start(
            CollectorConfig.parse(
                "listen: 127.0.0.1:0\nstore: { sqlite: "
                    + dir.resolve("c.db")
                    + " }\nhttp: "
                    + http
                    + "\n",
                "test"),
            Clock.systemUTC());
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket s : held) {
      s.close();
    }
    if (collector != null) {
      collector.close();
    }
  }

  Socket connect(String from) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    s.connect(new InetSocketAddress("127.0.0.1", collector.port()));
    s.setSoTimeout(20_000);
    return s;
  }

  static String exchange(Socket s, String request) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(request.getBytes(StandardCharsets.UTF_8));
    out.flush();
    return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  String healthz(String from) throws IOException {
    try (Socket s = connect(from)) {
      return exchange(s, "GET /healthz HTTP/1.1\r\nHost: c\r\nConnection: close\r\n\r\n");
    }
  }

  String post(String from, String token, long seq) throws IOException {
    long now = System.currentTimeMillis();
    String body =
        new String(
            new WireCodec().encode(report("web01", seq, now, result("Load", Status.OK, "OK", now))),
            StandardCharsets.UTF_8);
    try (Socket s = connect(from)) {
      return exchange(
          s,
          "POST /api/v1/reports HTTP/1.1\r\nHost: c\r\nConnection: close\r\n"
              + "Authorization: Bearer "
              + token
              + "\r\nContent-Type: application/json\r\nContent-Length: "
              + body.getBytes(StandardCharsets.UTF_8).length
              + "\r\n\r\n"
              + body);
    }
  }

  @Test
  void fourHundredIdleAndTricklingSocketsFromOneAddressLeaveHealthzAndAgentsServed()
      throws Exception {
    start("{ max_connections: 300, header_timeout: 30s }");
    String token = collector.createToken("web01");
    // The input: 400 sockets against a cap of 300, half idle, half trickling a body.
    for (int i = 0; i < 400; i++) {
      Socket s = connect("127.0.0.1");
      held.add(s);
      if (i % 2 == 1) {
        s.getOutputStream()
            .write(
                ("POST /api/v1/reports HTTP/1.1\r\nHost: c\r\nContent-Length: 1000\r\n\r\nx")
                    .getBytes(StandardCharsets.US_ASCII));
      }
    }

    // One address holds a quarter of the cap (75); another host's probe and agent get through.
    assertThat(healthz("127.0.0.2")).startsWith("HTTP/1.1 200");
    assertThat(post("127.0.0.3", token, 1)).startsWith("HTTP/1.1 200");
    assertThat(healthz("127.0.0.1"))
        .startsWith("HTTP/1.1 503")
        .contains("Retry-After: 5")
        .contains("http.max_connections_per_address");
  }

  @Test
  void aSocketThatSendsNothingIsClosedAtTheHeaderTimeoutCountedFromAccept() throws Exception {
    start("{ header_timeout: 500ms }");
    try (Socket idle = connect("127.0.0.1")) {
      // Never sends a byte: closed without an answer once header_timeout has passed since accept.
      assertThat(idle.getInputStream().readAllBytes()).isEmpty();
    }
    try (Socket late = connect("127.0.0.1")) {
      await().pollDelay(Duration.ofMillis(700)).until(() -> true);
      // Its first byte comes after the timeout: too late, the connection is already closed.
      String answer;
      try {
        answer = exchange(late, "GET /healthz HTTP/1.1\r\nHost: c\r\n\r\n");
      } catch (IOException e) {
        answer = "";
      }
      assertThat(answer).doesNotContain("200 OK");
    }
  }

  @Test
  void aBodyTricklingBelowTheMinimumRateIs408AndClosed() throws Exception {
    start("{ header_timeout: 500ms, body_min_rate: 1KB }");
    String token = collector.createToken("web01");
    try (Socket slow = connect("127.0.0.1")) {
      OutputStream out = slow.getOutputStream();
      out.write(
          ("POST /api/v1/reports HTTP/1.1\r\nHost: c\r\nAuthorization: Bearer "
                  + token
                  + "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // One byte now and then, far below 1 KB/s: cut after the grace of header_timeout.
      String answer = new String(slow.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(answer).startsWith("HTTP/1.1 408").contains("http.body_min_rate");
    }
    assertThat(healthz("127.0.0.1")).startsWith("HTTP/1.1 200");
  }

  @Test
  void strangersCannotTakeTheConnectionsReservedForTokenHolders() throws Exception {
    // 8 places, 2 reserved: 6 strangers (from 6 addresses, each within its share) fill the rest.
    start("{ max_connections: 8, max_connections_per_address: 2, reserved_connections: 2 }");
    String token = collector.createToken("web01");
    for (int i = 0; i < 6; i++) {
      held.add(connect("127.0.1." + (i + 1)));
    }

    // A stranger's request on a reserved place is refused once the six are seen open...
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> healthz("127.0.2.1").startsWith("HTTP/1.1 503"));
    assertThat(healthz("127.0.2.1")).contains("http.reserved_connections");
    // ...while a node with a valid token takes it.
    assertThat(post("127.0.2.2", token, 1)).startsWith("HTTP/1.1 200");
    assertThat(post("127.0.2.3", "not-a-token", 2)).startsWith("HTTP/1.1 401");
  }

  @Test
  void threeHundredPipelinedRequestsAreAnsweredInOrderThenTheConnectionClosedCleanly()
      throws Exception {
    // Issue 21 (left over): past 128 pipelined requests the answer was "malformed request body",
    // ahead of the answers still pending.
    start("{ header_timeout: 30s }");
    String token = collector.createRoleToken("viewer");
    StringBuilder requests = new StringBuilder();
    int n = 300;
    for (int i = 0; i < n; i++) {
      // Alternately /healthz (its own thread) and a 404 naming its host, so the order shows.
      requests
          .append(i % 2 == 0 ? "GET /healthz" : "GET /api/v1/hosts/h" + i)
          .append(" HTTP/1.1\r\nHost: c\r\nAuthorization: Bearer ")
          .append(token)
          .append(i == n - 1 ? "\r\nConnection: close\r\n\r\n" : "\r\n\r\n");
    }
    String answers;
    try (Socket s = connect("127.0.0.1")) {
      answers = exchange(s, requests.toString());
    }

    assertThat(answers).doesNotContain("malformed");
    List<String> statuses = new ArrayList<>();
    java.util.regex.Matcher line =
        java.util.regex.Pattern.compile("HTTP/1\\.1 \\d{3}").matcher(answers);
    while (line.find()) {
      statuses.add(line.group());
    }
    // Some are answered, in order, then the connection is closed (Netty's codec closes after the
    // next answer once its 128 are exceeded); the client sends the rest again.
    assertThat(statuses.size()).isBetween(1, n);
    for (int i = 0; i < statuses.size(); i++) {
      assertThat(statuses.get(i)).startsWith(i % 2 == 0 ? "HTTP/1.1 200" : "HTTP/1.1 404");
    }
    java.util.regex.Matcher named =
        java.util.regex.Pattern.compile("no host \\\\\"h(\\d+)").matcher(answers);
    for (int i = 1; i < statuses.size(); i += 2) {
      assertThat(named.find()).isTrue();
      assertThat(Integer.parseInt(named.group(1))).isEqualTo(i);
    }
  }
}
