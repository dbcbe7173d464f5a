package io.custos.collector;

import static io.custos.collector.TestReports.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.custos.collector.config.CollectorConfig;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Status;
import io.custos.common.wire.WireCodec;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's sequences end to end: a real collector (SQLite file, HTTP API, its own alert ticker
 * and delivery thread) mailing through SMTP to an in-process GreenMail server. The collector's
 * clock is a test clock the test advances; waiting for mail is Awaitility on real I/O. Where a
 * sequence must send <em>nothing</em>, a later sentinel problem of the same host is awaited and the
 * mails received up to it are compared, so that absence is shown without guessing a delay.
 */
class AlertMailEndToEndTest {
  @RegisterExtension
  static final GreenMailExtension MAIL =
      new GreenMailExtension(
          new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());

  @TempDir Path dir;
  TestClock clock = new TestClock(Instant.parse("2026-11-27T03:00:00Z"));
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  final ObjectMapper json = new ObjectMapper();
  Collector collector;
  String node;
  String operator;
  long seq;

  private void start(String groupWait) throws Exception {
    CollectorConfig config =
        CollectorConfig.parse(
            "listen: 127.0.0.1:0\nstore: { sqlite: '"
                + dir.resolve("c.db")
                + "' }\ndefaults: { max_attempts: 2 }\n"
                + "notify:\n  group_wait: "
                + groupWait
                + "\n  renotify: 1h\n  email:\n    to: [root@localhost]\n"
                + "    from: custos@collector.example.net\n"
                + "    smtp: { host: 127.0.0.1, port: "
                + MAIL.getSmtp().getPort()
                + ", starttls: 'off' }\n",
            "test.yml");
    collector = Collector.start(config, clock);
    node = collector.createToken("web01");
    operator = collector.createRoleToken("operator");
  }

  @AfterEach
  void stop() {
    if (collector != null) {
      collector.close();
    }
  }

  /** Advances the clock 30 s and posts one report of web01 with these results. */
  private void report(CheckResult... results) throws Exception {
    clock.advance(Duration.ofSeconds(30));
    String body =
        new String(
            new WireCodec().encode(TestReports.report("web01", ++seq, clock.millis(), results)),
            StandardCharsets.UTF_8);
    assertThat(send("POST", "/api/v1/reports", node, body).statusCode()).isEqualTo(200);
  }

  private void report(Status fs, Status load) throws Exception {
    long now = clock.millis() + 30_000;
    report(
        result("Filesystem /", fs, "DISK " + fs, now), result("Load", load, "LOAD " + load, now));
  }

  private HttpResponse<String> send(String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.port() + path))
            .header("Authorization", "Bearer " + token)
            .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    return http.send(b.build(), BodyHandlers.ofString());
  }

  /** Subjects of every mail received so far, in order. */
  private static List<String> subjects() throws Exception {
    List<String> out = new ArrayList<>();
    for (MimeMessage m : MAIL.getReceivedMessages()) {
      out.add(m.getSubject());
    }
    return out;
  }

  private static String body(int i) throws Exception {
    return (String) MAIL.getReceivedMessages()[i].getContent();
  }

  /** Waits until {@code n} mails arrived and returns their subjects. */
  private static List<String> awaitMails(int n) throws Exception {
    await().atMost(Duration.ofSeconds(20)).until(() -> MAIL.getReceivedMessages().length >= n);
    return subjects();
  }

  @Test
  void icinga_core_643_aNonStickyAckIsNotDroppedWhenTheSoftProblemBecomesHard() throws Exception {
    start("0s");
    report(Status.OK, Status.OK);
    report(Status.CRITICAL, Status.OK); // soft 1/2
    clock.advance(Duration.ofSeconds(30));
    HttpResponse<String> ack =
        send(
            "POST",
            "/api/v1/acks",
            operator,
            "host=web01&service=Filesystem+/&author=alice&comment=on+it&sticky=false");
    assertThat(ack.statusCode()).as(ack.body()).isEqualTo(201);
    assertThat(awaitMails(1))
        .containsExactly("[custos] ACKNOWLEDGEMENT web01/Filesystem / is CRITICAL");
    assertThat(body(0)).contains("Problem since: 2026-11-27 03:01:00 UTC (30s)");
    report(Status.CRITICAL, Status.OK); // hard 2/2: same status, the ack stays
    report(Status.CRITICAL, Status.OK);
    report(Status.CRITICAL, Status.CRITICAL); // sentinel: Load soft 1/2
    report(Status.CRITICAL, Status.CRITICAL); // Load hard
    assertThat(awaitMails(2))
        .containsExactly(
            "[custos] ACKNOWLEDGEMENT web01/Filesystem / is CRITICAL",
            "[custos] PROBLEM web01/Load is CRITICAL");
  }

  /** Waits until the event history of web01 has a line containing {@code text}. */
  private void awaitEvent(String text) {
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                collector.store().events("web01", 0).stream()
                    .anyMatch(e -> e.output().contains(text)));
  }

  @Test
  void icinga2_4427_aNotifiedProblemRecoveringInADowntimeIsMailedWithHowLongItLasted()
      throws Exception {
    start("30s");
    report(Status.OK, Status.OK);
    report(Status.CRITICAL, Status.OK);
    report(Status.CRITICAL, Status.OK); // hard: PROBLEM due in 30 s
    report(Status.CRITICAL, Status.OK);
    assertThat(awaitMails(1)).containsExactly("[custos] PROBLEM web01/Filesystem / is CRITICAL");
    // Non-OK since the result of 03:01:00, hard (2nd attempt) since 03:01:30, when it was decided.
    assertThat(body(0))
        .contains("Since: 2026-11-27 03:01:00 UTC (30s)")
        .contains("Hard since: 2026-11-27 03:01:30 UTC (0s)");
    HttpResponse<String> dt =
        send(
            "POST", "/api/v1/downtimes", operator, "host=web01&duration=2h&author=bob&comment=fix");
    assertThat(dt.statusCode()).as(dt.body()).isEqualTo(201);
    long id = json.readTree(dt.body()).get("id").asLong();
    awaitEvent("downtime #" + id + " by bob: fix started");
    report(Status.CRITICAL, Status.OK);
    assertThat(awaitMails(2))
        .last()
        .isEqualTo("[custos] DOWNTIMESTART web01: #" + id + " by bob: fix");
    for (int i = 0; i < 20; i++) {
      report(Status.CRITICAL, Status.OK);
    }
    report(Status.OK, Status.OK); // recovers inside the downtime: nothing yet
    assertThat(send("DELETE", "/api/v1/downtimes/" + id, operator, null).statusCode())
        .isEqualTo(200);
    awaitEvent("RECOVERY notified now");
    report(Status.OK, Status.OK);
    assertThat(awaitMails(3))
        .last()
        .isEqualTo("[custos] DOWNTIMECANCELLED/RECOVERY web01: 1 downtime cancelled, 1 recovered");
    assertThat(body(2))
        .contains("Notification Type: RECOVERY")
        // Decided at 03:01:30, the first mail really left after group_wait, at 03:02:00.
        .contains("Notification: 2nd, first sent 2026-11-27 03:02:00 UTC")
        .contains("Was: CRITICAL for 12m, since 2026-11-27 03:01:00 UTC")
        .contains("Notification Type: DOWNTIMECANCELLED");
  }

  @Test
  void alertmanager_dedup_hardAndRecoveredWithinGroupWaitSendsNothing() throws Exception {
    start("45s");
    report(Status.OK, Status.OK);
    report(Status.CRITICAL, Status.OK);
    report(Status.CRITICAL, Status.OK); // hard: PROBLEM waits 45 s
    report(Status.OK, Status.OK); // recovered 30 s later, in the same batch
    for (int i = 0; i < 4; i++) {
      report(Status.OK, Status.OK);
    }
    report(Status.OK, Status.CRITICAL); // sentinel
    report(Status.OK, Status.CRITICAL);
    for (int i = 0; i < 3; i++) {
      report(Status.OK, Status.CRITICAL);
    }
    assertThat(awaitMails(1))
        .as("the first problem, hard and recovered within group_wait, sent nothing")
        .containsExactly("[custos] PROBLEM web01/Load is CRITICAL");
    awaitEvent("PROBLEM not sent via email: the problem began and ended within group_wait");
  }

  @Test
  void aGroupedSubjectLeadsWithTheWorstNewsAndRemindersAreNumbered() throws Exception {
    start("30s");
    report(Status.CRITICAL, Status.OK);
    report(Status.CRITICAL, Status.OK); // hard: PROBLEM due in 30 s
    report(Status.CRITICAL, Status.OK);
    assertThat(awaitMails(1)).containsExactly("[custos] PROBLEM web01/Filesystem / is CRITICAL");
    report(Status.CRITICAL, Status.CRITICAL); // Load soft
    report(Status.OK, Status.CRITICAL); // one transaction: RECOVERY Filesystem, PROBLEM Load
    report(Status.OK, Status.CRITICAL);
    assertThat(awaitMails(2))
        .last()
        .isEqualTo("[custos] PROBLEM/RECOVERY web01: 1 CRITICAL, 1 recovered");
    for (int i = 0; i < 121; i++) {
      report(Status.OK, Status.CRITICAL); // an hour: the reminder is decided ...
    }
    awaitEvent("re-notification");
    report(Status.OK, Status.CRITICAL); // ... and goes out after group_wait
    assertThat(awaitMails(3)).last().isEqualTo("[custos] PROBLEM web01/Load is CRITICAL");
    // Decided at 03:02:30; the first mail really left after group_wait, at 03:03:00.
    assertThat(body(2)).contains("Notification: 2nd, first sent 2026-11-27 03:03:00 UTC");
  }

  @Test
  void theHostAliveAttemptShownIsTheOneTheEngineUses() throws Exception {
    start("0s");
    report(Status.OK, Status.OK);
    JsonNode up = hostAlive();
    assertThat(up.get("attempt").asInt() + "/" + up.get("max_attempts").asInt()).isEqualTo("1/1");
    clock.advance(Duration.ofMinutes(3));
    assertThat(awaitMails(1)).containsExactly("[custos] PROBLEM web01 is DOWN");
    JsonNode down = hostAlive();
    assertThat(down.get("status").asText()).isEqualTo("CRITICAL");
    assertThat(down.get("state_type").asText()).isEqualTo("HARD");
    assertThat(down.get("attempt").asInt() + "/" + down.get("max_attempts").asInt())
        .isEqualTo("1/1");
    report(Status.OK, Status.OK);
    assertThat(awaitMails(2)).last().isEqualTo("[custos] RECOVERY web01 is UP");
    assertThat(body(1)).contains("Was: DOWN for ");
  }

  private JsonNode hostAlive() throws Exception {
    for (JsonNode r : json.readTree(send("GET", "/api/v1/services", operator, null).body())) {
      if (r.get("service").asText().equals("Host Alive")) {
        return r;
      }
    }
    throw new AssertionError("no Host Alive row");
  }

  @Test
  void icinga2_7270_flappingThatStartsInsideADowntimeIsAnnouncedWhenItEnds() throws Exception {
    start("30s");
    report(Status.OK, Status.OK);
    HttpResponse<String> dt =
        send("POST", "/api/v1/downtimes", operator, "host=web01&duration=2h&author=bob&comment=x");
    long id = json.readTree(dt.body()).get("id").asLong();
    awaitEvent("downtime #" + id + " by bob: x started");
    for (int i = 0; i < 7; i++) {
      report(Status.CRITICAL, Status.OK);
      report(Status.OK, Status.OK);
    }
    assertThat(awaitMails(1))
        .containsExactly("[custos] DOWNTIMESTART web01: #" + id + " by bob: x");
    awaitEvent("flapping started");
    assertThat(send("DELETE", "/api/v1/downtimes/" + id, operator, null).statusCode())
        .isEqualTo(200);
    awaitEvent("FLAPPINGSTART notified now");
    report(Status.OK, Status.OK);
    assertThat(awaitMails(2))
        .last()
        .isEqualTo(
            "[custos] FLAPPINGSTART/DOWNTIMECANCELLED web01: 1 flapping, 1 downtime cancelled");
    for (int i = 0; i < 25; i++) {
      report(Status.OK, Status.OK);
    }
    assertThat(awaitMails(3)).last().isEqualTo("[custos] FLAPPINGSTOP web01/Filesystem / is OK");
  }

  @Test
  void cron_dst_aWeeklyWindowInTheSpringForwardGapHoldsBackAfterItInBerlin() throws Exception {
    clock =
        new TestClock(Instant.parse("2026-03-29T00:50:00Z"), java.time.ZoneId.of("Europe/Berlin"));
    start("0s");
    // A downtime names a host the collector knows: web01 reports once first.
    report(Status.OK, Status.OK);
    HttpResponse<String> dt =
        send(
            "POST",
            "/api/v1/downtimes",
            operator,
            "host=web01&weekly=sun+02:00-02:30&author=ops&comment=nightly");
    assertThat(dt.statusCode()).as(dt.body()).isEqualTo(201);
    // 01:50 CET .. 03:40 CEST: Load fails at 03:05 CEST, inside the shifted window.
    while (clock.instant().isBefore(Instant.parse("2026-03-29T01:40:00Z"))) {
      boolean failing = !clock.instant().isBefore(Instant.parse("2026-03-29T01:05:00Z"));
      report(Status.OK, failing ? Status.CRITICAL : Status.OK);
      collector.alerts().tick();
    }
    List<String> got = awaitMails(2);
    assertThat(got)
        .containsExactly(
            "[custos] DOWNTIMESTART web01: #1 (weekly sun 02:00-02:30) by ops: nightly",
            "[custos] PROBLEM/DOWNTIMEEND web01: 1 CRITICAL, 1 downtime ended");
    assertThat(body(0)).contains("Date/Time: 2026-03-29 03:00:00 CEST");
    assertThat(body(1)).contains("Date/Time: 2026-03-29 03:30:00 CEST");
  }

  @Test
  void issue23_aProblemMailShowsTheThresholdsTheCheckJudgedAgainst() throws Exception {
    start("0s");
    for (int i = 0; i < 2; i++) {
      long now = clock.millis() + 30_000;
      report(
          new CheckResult(
              "Filesystem /var",
              "filesystem",
              Status.CRITICAL,
              "DISK CRITICAL - /var 97.5% used",
              null,
              now,
              List.of(
                  new io.custos.common.wire.Metric(
                      "fs_used_percent",
                      java.util.Map.of("mount", "/var"),
                      97.5,
                      "%",
                      90.0,
                      95.0,
                      0.0,
                      100.0),
                  io.custos.common.wire.Metric.of(
                      "fs_inodes_used", java.util.Map.of(), 12, null))));
    }
    assertThat(awaitMails(1)).containsExactly("[custos] PROBLEM web01/Filesystem /var is CRITICAL");
    assertThat(body(0))
        .contains(
            "DISK CRITICAL - /var 97.5% used\r\nThresholds: fs_used_percent{mount=\"/var\"} 97.5%"
                + " (warn 90%, crit 95%)")
        .doesNotContain("fs_inodes_used");
  }

  @Test
  void issue23_aProblemMailSaysHowToAcknowledgeAndDowntimeStartSaysWhenItEnds() throws Exception {
    start("0s");
    report(Status.OK, Status.OK);
    report(Status.CRITICAL, Status.OK);
    report(Status.CRITICAL, Status.OK); // hard
    assertThat(awaitMails(1)).containsExactly("[custos] PROBLEM web01/Filesystem / is CRITICAL");
    assertThat(body(0))
        .contains(
            "Acknowledge: curl -H \"Authorization: Bearer $CUSTOS_TOKEN\" --data-urlencode"
                + " 'host=web01' --data-urlencode 'service=Filesystem /' -d comment=on-it"
                + " $CUSTOS_URL/api/v1/acks");
    HttpResponse<String> dt =
        send("POST", "/api/v1/downtimes", operator, "host=web01&duration=2h&author=bob");
    assertThat(dt.statusCode()).as(dt.body()).isEqualTo(201);
    long id = json.readTree(dt.body()).get("id").asLong();
    String ends = Instant.ofEpochMilli(clock.millis()).plus(Duration.ofHours(2)).toString();
    report(Status.CRITICAL, Status.OK);
    assertThat(awaitMails(2)).last().isEqualTo("[custos] DOWNTIMESTART web01: #" + id + " by bob");
    assertThat(body(1)).contains("#" + id + " by bob; ends " + ends);
  }
}
