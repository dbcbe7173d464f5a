package io.custos.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.collector.Collector;
import io.custos.collector.store.Tokens;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code custos-collector run} does on SIGHUP, without the signal. */
class CollectorDaemonTest {
  @TempDir Path dir;
  final StringWriter log = new StringWriter();
  ConfigOption option;
  CollectorDaemon daemon;

  @BeforeEach
  void start() throws Exception {
    option = new ConfigOption();
    option.file = dir.resolve("collector.yml");
    write("hosts: { absent_after: 3 }\n");
    daemon = CollectorDaemon.start(option, Clock.systemUTC(), new PrintWriter(log, true));
  }

  @AfterEach
  void stop() {
    daemon.close();
  }

  private void write(String extra) throws Exception {
    Files.writeString(
        option.file,
        "listen: 127.0.0.1:0\nstore: { sqlite: '" + dir.resolve("c.db") + "' }\n" + extra);
  }

  @Test
  void anInvalidFileIsRefusedWithFileLineAndKeyAndTheRunningCollectorStays() throws Exception {
    Collector before = daemon.collector();
    String token = before.createToken("web01");
    write("hosts: { absent_aftre: 5 }\n");

    assertThat(daemon.reload()).isFalse();

    assertThat(log.toString())
        .contains("reload refused, still running the configuration from " + option.file)
        .contains(option.file + ":3:")
        .contains("absent_aftre");
    assertThat(daemon.collector()).isSameAs(before);
    assertThat(before.store().findToken(Tokens.hash(token))).isPresent();
    assertThat(daemon.failed()).isFalse();
  }

  @Test
  void aValidFileRestartsTheCollectorOnTheSameStore() throws Exception {
    Collector before = daemon.collector();
    String token = before.createToken("web01");
    write("hosts: { absent_after: 5 }\n");

    assertThat(daemon.reload()).isTrue();

    Collector after = daemon.collector();
    assertThat(after).isNotSameAs(before);
    assertThat(after.port()).isPositive();
    assertThat(after.store().findToken(Tokens.hash(token))).isPresent();
    assertThat(log.toString()).contains("reloaded the configuration from " + option.file);
  }

  @Test
  void issue23_reloadThroughTheApiWithoutASignalAppliesNewParents() throws Exception {
    Collector before = daemon.collector();
    String admin = before.createRoleToken("admin");
    String operator = before.createRoleToken("operator");
    write("hosts: { parents: { \"web*\": [sw1] } }\n");
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.util.function.Function<String, java.net.http.HttpResponse<String>> post =
        token -> {
          try {
            return http.send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + before.port() + "/api/v1/reload"))
                    .header("Authorization", "Bearer " + token)
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        };
    assertThat(post.apply(operator).statusCode()).as("admin only").isEqualTo(403);
    assertThat(daemon.collector()).isSameAs(before);

    java.net.http.HttpResponse<String> r = post.apply(admin);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(20))
        .until(() -> log.toString().contains("reloaded the configuration from " + option.file));
    assertThat(daemon.collector()).isNotSameAs(before);
    assertThat(daemon.collector().alerts().topology().parentsOf("web07")).containsExactly("sw1");
  }

  @Test
  void aValidFileThatCannotStartFallsBackToTheRunningConfiguration() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Files.writeString(
          option.file,
          "listen: 127.0.0.1:"
              + taken.getLocalPort()
              + "\nstore: { sqlite: '"
              + dir.resolve("c.db")
              + "' }\n");

      assertThat(daemon.reload()).isFalse();
    }

    assertThat(log.toString())
        .contains("reload failed, starting again with the previous configuration");
    assertThat(daemon.failed()).isFalse();
    assertThat(daemon.collector().port()).isPositive();
  }
}
