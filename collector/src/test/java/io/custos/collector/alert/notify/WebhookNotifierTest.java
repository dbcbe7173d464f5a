package io.custos.collector.alert.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.custos.collector.alert.Notice;
import io.custos.collector.alert.NoticeType;
import io.custos.collector.config.NotifySection;
import io.custos.common.wire.Status;
import java.net.InetSocketAddress;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookNotifierTest {
  private HttpServer server;
  private final AtomicReference<String> received = new AtomicReference<>();
  private final AtomicInteger status = new AtomicInteger(200);

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/hook",
        ex -> {
          received.set(new String(ex.getRequestBody().readAllBytes(), "UTF-8"));
          ex.sendResponseHeaders(status.get(), -1);
          ex.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private WebhookNotifier notifier() {
    return new WebhookNotifier(
        new NotifySection.Webhook(
            "http://127.0.0.1:" + server.getAddress().getPort() + "/hook", null));
  }

  private static Message message() {
    Notice n =
        new Notice(
            NoticeType.RECOVERY,
            "web01",
            "Load",
            Status.OK,
            "LOAD OK",
            2_000,
            1_000,
            1,
            3,
            null,
            null,
            null);
    return Messages.compose("web01", List.of(n), null, ZoneId.of("UTC"));
  }

  @Test
  void postsTheMessageAsJson() throws Exception {
    assertThat(notifier().send(message())).isEqualTo("HTTP 200");
    JsonNode body = new ObjectMapper().readTree(received.get());
    assertThat(body.get("host").asText()).isEqualTo("web01");
    assertThat(body.get("subject").asText()).isEqualTo("[custos] RECOVERY web01/Load is OK");
    JsonNode n = body.get("notifications").get(0);
    assertThat(n.get("type").asText()).isEqualTo("RECOVERY");
    assertThat(n.get("service").asText()).isEqualTo("Load");
    assertThat(n.get("status").asText()).isEqualTo("OK");
    assertThat(n.get("max_attempts").asInt()).isEqualTo(3);
  }

  @Test
  void aNon2xxAnswerIsAFailureToRetry() {
    status.set(503);
    assertThatThrownBy(() -> notifier().send(message())).hasMessageContaining("HTTP 503");
  }
}
