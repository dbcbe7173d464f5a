package io.custos.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.custos.collector.config.CollectorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slow and idle clients against a real collector on loopback. */
class ConnectionLimitTest {
  @TempDir Path dir;
  Collector collector;

  @BeforeEach
  void start() throws Exception {
    collector =
        Collector.start(
            CollectorConfig.parse(
                "listen: 127.0.0.1:0\nstore: { sqlite: "
                    + dir.resolve("c.db")
                    + " }\nhttp: { max_connections: 2, max_connections_per_address: 10, header_timeout: 1s }\n",
                "test"),
            Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    collector.close();
  }

  Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", collector.port());
    s.setSoTimeout(20_000);
    return s;
  }

  static String readAll(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  static String healthz(Socket s) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write("GET /healthz HTTP/1.1\r\nHost: c\r\nConnection: close\r\n\r\n".getBytes());
    out.flush();
    return readAll(s);
  }

  @Test
  void connectionsBeyondTheLimitAre503AndClosedWhileTheOthersAreServed() throws Exception {
    List<Socket> open = new ArrayList<>(List.of(connect(), connect(), connect()));
    try {
      // Connections become active on different event loops: any one of the three is refused.
      Socket refused =
          await()
              .atMost(Duration.ofSeconds(20))
              .until(
                  () -> {
                    for (Socket s : open) {
                      if (s.getInputStream().available() > 0) {
                        return s;
                      }
                    }
                    return null;
                  },
                  s -> s != null);
      assertThat(readAll(refused)).startsWith("HTTP/1.1 503").contains("http.max_connections");
      open.remove(refused);
      for (Socket s : open) {
        assertThat(healthz(s)).startsWith("HTTP/1.1 200");
      }

      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                try (Socket d = connect()) {
                  assertThat(healthz(d)).startsWith("HTTP/1.1 200");
                }
              });
    } finally {
      for (Socket s : open) {
        s.close();
      }
    }
  }

  @Test
  void aClientTricklingItsHeadersIsCutAtTheHeaderTimeout() throws Exception {
    try (Socket slow = connect()) {
      slow.getOutputStream().write("GET /healthz HTTP/1.1\r\nX-A: 1\r\n".getBytes());
      slow.getOutputStream().flush();

      // Never finishes its headers: the collector answers 408 and closes after header_timeout.
      String answer = readAll(slow);

      assertThat(answer).startsWith("HTTP/1.1 408");
    }
    try (Socket next = connect()) {
      assertThat(healthz(next)).startsWith("HTTP/1.1 200");
    }
  }
}
