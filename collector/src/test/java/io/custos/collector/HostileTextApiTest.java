package io.custos.collector;

import static io.custos.collector.TestReports.report;
import static io.custos.collector.TestReports.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.custos.collector.config.CollectorConfig;
import io.custos.common.wire.Status;
import io.custos.common.wire.WireCodec;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a node's text can do to an operator (issue 21), over loopback HTTP as curl sees it: control
 * characters in {@code ?format=text}, and the headers every answer carries.
 */
class HostileTextApiTest {
  @TempDir Path dir;
  final TestClock clock = new TestClock(Instant.parse("2026-11-30T12:00:00Z"));
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  Collector collector;
  String web01;
  String operator;

  @BeforeEach
  void start() throws Exception {
    collector =
        Collector.start(
            CollectorConfig.parse(
                "listen: 127.0.0.1:0\nstore: { sqlite: '" + dir.resolve("c.db") + "' }\n", "t"),
            clock);
    web01 = collector.createToken("web01");
    operator = collector.createRoleToken("operator");
  }

  @AfterEach
  void stop() {
    collector.close();
  }

  String base() {
    return "http://127.0.0.1:" + collector.port();
  }

  HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), BodyHandlers.ofString());
  }

  @Test
  void escapeSequencesAndBidiOverridesReachTheTerminalShownNotObeyed() throws Exception {
    String hostile = "OK \u001b]0;owned\u0007\u001b[2J\u009b31m \u202Etxt.exe";
    byte[] body =
        new WireCodec()
            .encode(
                report(
                    "web01",
                    1,
                    clock.millis(),
                    result("Disk \u202E/", Status.CRITICAL, hostile, clock.millis())));
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/api/v1/reports"))
                .header("Authorization", "Bearer " + web01)
                .POST(BodyPublishers.ofByteArray(body))
                .build(),
            BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(200);

    for (String path :
        new String[] {
          "/api/v1/services?format=text",
          "/api/v1/hosts/web01?format=text",
          "/api/v1/events?format=text"
        }) {
      String text = get(path, operator).body();
      assertThat(text)
          .as(path)
          .doesNotContain("\u001b", "\u0007", "\u009b", "\u202E")
          .contains("^[]0;owned^G^[[2J<U+009B>31m <U+202E>txt.exe");
    }
    // JSON keeps the text as sent (escaped by JSON itself); the dashboard neutralises it.
    assertThat(get("/api/v1/services", operator).body()).contains("\\u001B]0;owned");
  }

  @Test
  void everyAnswerSaysNosniff() throws Exception {
    for (String[] c :
        new String[][] {
          {"/healthz", null},
          {"/api/v1/hosts", operator},
          {"/api/v1/hosts", null},
          {"/api/v1/nope", operator},
          {"/", null},
          {"/ui/app.js", null},
          {"/api/v1/services?format=text", operator},
          {"/metrics", operator}
        }) {
      HttpResponse<String> r = get(c[0], c[1]);
      assertThat(r.headers().firstValue("X-Content-Type-Options"))
          .as("%s %d", c[0], r.statusCode())
          .hasValue("nosniff");
      assertThat(r.headers().firstValue("Strict-Transport-Security"))
          .as("no HSTS over plain HTTP")
          .isEmpty();
    }
    // A request line the codec cannot read (answered as HTTP/1.0, the version it could not learn).
    try (Socket s = new Socket("127.0.0.1", collector.port())) {
      s.getOutputStream().write("BAD\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.0 400").contains("X-Content-Type-Options: nosniff");
    }
  }
}
