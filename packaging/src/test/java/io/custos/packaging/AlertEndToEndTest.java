package io.custos.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.custos.agent.Agent;
import io.custos.agent.check.CheckConfig;
import io.custos.agent.check.fs.FilesystemConfig;
import io.custos.agent.config.AgentConfig;
import io.custos.agent.ship.HttpReportSender;
import io.custos.collector.Collector;
import io.custos.collector.config.CollectorConfig;
import io.custos.common.units.ByteSize;
import io.custos.common.units.Percent;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert path end to end: a real agent checking this machine's file systems reports over HTTP to
 * a collector, whose alert engine mails an in-process SMTP server (GreenMail, SMTPS with AUTH). The
 * collector's clock is driven by the test, so hours pass in milliseconds; thresholds of 1 % / 2 %
 * make the file system check CRITICAL on any machine, raising them makes it recover.
 */
class AlertEndToEndTest {
  private static final String NODE = "e2e-node";

  @RegisterExtension
  static final GreenMailExtension MAIL =
      new GreenMailExtension(
              new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS).dynamicPort())
          .withConfiguration(GreenMailConfiguration.aConfig().withUser("custos", "s3cret"));

  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-27T09:00:00Z"));
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final List<AutoCloseable> open = new ArrayList<>();
  private Collector collector;
  private String nodeToken;
  private String operator;
  private int agents;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  @Test
  void exactlyTheMailsNagiosWouldSend() throws Exception {
    Path pass = Files.writeString(dir.resolve("smtp.pass"), "s3cret\n");
    String yaml =
        "listen: 127.0.0.1:0\n"
            + "store: { sqlite: '"
            + dir.resolve("c.db")
            + "' }\n"
            + "dashboard_url: https://mon.example.net/\n"
            + "defaults: { max_attempts: 3 }\n"
            + "notify:\n"
            + "  group_wait: 0s\n"
            + "  renotify: 2h\n"
            + "  email:\n"
            + "    to: [root@localhost]\n"
            + "    smtp: { host: 127.0.0.1, port: "
            + MAIL.getSmtps().getPort()
            + ", smtps: true, username: custos, password_file: '"
            + pass
            + "', ssl_trust: '*' }\n";
    collector = Collector.start(CollectorConfig.parse(yaml, "collector.yml"), clock);
    open.add(collector);
    nodeToken = collector.createToken(NODE);
    operator = collector.createRoleToken("operator");

    // Broken: CRITICAL on attempts 1 and 2 is soft; the third is hard and mails once.
    Agent broken = agent(1, 2);
    cycle(broken);
    cycle(broken);
    assertMails(0);
    cycle(broken);
    List<MimeMessage> mails = assertMails(1);
    assertThat(mails.get(0).getSubject()).startsWith("[custos] PROBLEM " + NODE + "/Filesystem ");
    assertThat(mails.get(0).getSubject()).endsWith(" is CRITICAL");
    assertThat((String) mails.get(0).getContent())
        .contains("Attempt: 3/3")
        .contains("DISK CRITICAL")
        .contains("Dashboard: https://mon.example.net/?host=" + NODE);
    cycle(broken);
    assertMails(1);

    // Acknowledged: one ACKNOWLEDGEMENT, then no reminder even after the 2h renotify interval.
    int acked = 0;
    for (JsonNode row : json.readTree(get("/api/v1/services?status=problems"))) {
      if (!row.get("service").asText().startsWith("Filesystem")) {
        continue;
      }
      String body =
          "{\"host\":\""
              + NODE
              + "\",\"service\":\""
              + row.get("service").asText()
              + "\",\"author\":\"alice\",\"comment\":\"disk ordered\"}";
      assertThat(send("POST", "/api/v1/acks", body).statusCode()).isEqualTo(201);
      acked++;
    }
    assertThat(acked).isPositive();
    await().atMost(Duration.ofSeconds(10)).until(() -> MAIL.getReceivedMessages().length > 1);
    int afterAck = MAIL.getReceivedMessages().length;
    assertThat(MAIL.getReceivedMessages()[1].getSubject()).startsWith("[custos] ACKNOWLEDGEMENT ");
    for (int i = 0; i < 6; i++) {
      clock.advance(Duration.ofMinutes(30));
      cycle(broken);
    }
    assertMails(afterAck);

    // Fixed: exactly one RECOVERY.
    Agent fixed = agent(98, 99);
    cycle(fixed);
    mails = assertMails(afterAck + 1);
    assertThat(mails.get(afterAck).getSubject())
        .startsWith("[custos] RECOVERY " + NODE + "/Filesystem ")
        .endsWith(" is OK");

    // In downtime: its start is announced (DOWNTIMESTART, as Nagios), then broken again, nothing.
    String downtime =
        "{\"host\":\""
            + NODE
            + "\",\"duration\":\"2h\",\"author\":\"bob\",\"comment\":\"disk swap\"}";
    assertThat(send("POST", "/api/v1/downtimes", downtime).statusCode()).isEqualTo(201);
    mails = assertMails(afterAck + 2);
    assertThat(mails.get(afterAck + 1).getSubject())
        .startsWith("[custos] DOWNTIMESTART " + NODE + ": ")
        .endsWith(" by bob: disk swap");
    Agent brokenAgain = agent(1, 2);
    for (int i = 0; i < 4; i++) {
      cycle(brokenAgain);
    }
    assertMails(afterAck + 2);
    assertThat(get("/api/v1/events?format=text&host=" + NODE))
        .contains("PROBLEM suppressed: in downtime");

    // The host goes silent past its downtime: one mail, saying the host is DOWN and the downtime
    // ended; none for its services.
    clock.advance(Duration.ofHours(4));
    collector.alerts().tick();
    mails = assertMails(afterAck + 3);
    assertThat(mails.get(afterAck + 2).getSubject())
        .isEqualTo("[custos] PROBLEM/DOWNTIMEEND " + NODE + ": DOWN, 1 downtime ended");
  }

  /** An agent whose only check is the file system, with these thresholds. */
  private Agent agent(double warning, double critical) throws Exception {
    AgentConfig config =
        new AgentConfig(
            NODE,
            List.of("e2e"),
            new AgentConfig.Collector(URI.create("http://127.0.0.1:" + collector.port()), null),
            Duration.ofMinutes(30),
            new AgentConfig.Spool(dir.resolve("spool" + agents++), ByteSize.parse("1MB")),
            List.of(
                CheckConfig.of(
                    new FilesystemConfig(
                        new Percent(warning), new Percent(critical), null, null))));
    Agent a =
        new Agent(
            config,
            clock,
            Path.of("/"),
            new HttpReportSender(config.collector().url(), nodeToken, "custos-agent/e2e"));
    open.add(a);
    return a;
  }

  private void cycle(Agent a) {
    clock.advance(Duration.ofSeconds(30));
    a.cycle();
    assertThat(a.spooled()).as("report delivered").isZero();
  }

  /** Waits until exactly {@code n} mails arrived and stay {@code n} for a moment. */
  private List<MimeMessage> assertMails(int n) {
    await().atMost(Duration.ofSeconds(10)).until(() -> MAIL.getReceivedMessages().length >= n);
    await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> MAIL.getReceivedMessages().length == n);
    return List.of(MAIL.getReceivedMessages());
  }

  private String get(String path) throws Exception {
    HttpResponse<String> r = send("GET", path, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.port() + path))
            .header("Authorization", "Bearer " + operator)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The collector's and agent's clock, advanced by the test. */
  static final class ManualClock extends Clock {
    private volatile Instant now;

    ManualClock(Instant start) {
      now = start;
    }

    synchronized void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
