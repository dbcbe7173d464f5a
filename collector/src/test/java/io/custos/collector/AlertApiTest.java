package io.custos.collector;

import static io.custos.collector.TestReports.report;
import static io.custos.collector.TestReports.result;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.custos.collector.config.CollectorConfig;
import io.custos.common.wire.Status;
import io.custos.common.wire.WireCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acknowledgements, downtimes, events and the service flags over real HTTP, as curl uses them. */
class AlertApiTest {
  @TempDir Path dir;
  final TestClock clock = new TestClock(Instant.parse("2026-11-27T12:00:00Z"));
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  final ObjectMapper json = new ObjectMapper();
  Collector collector;
  String web01;
  String operator;
  long seq;

  /** The {@code store:} section's value; subclasses run the same tests on another store. */
  String storeYaml() throws Exception {
    return "{ sqlite: '" + dir.resolve("c.db") + "' }";
  }

  @BeforeEach
  void start() throws Exception {
    Path sendmail = dir.resolve("sendmail");
    Files.writeString(sendmail, "#!/bin/sh\ncat >> " + dir.resolve("mbox") + "\n");
    sendmail.toFile().setExecutable(true);
    CollectorConfig config =
        CollectorConfig.parse(
            "listen: 127.0.0.1:0\nstore: "
                + storeYaml()
                + "\ndefaults: { max_attempts: 2 }\n"
                // never the default archive store, /var/lib/custos/backups with PostgreSQL
                + "backups: { store: '"
                + dir.resolve("backups")
                + "' }\n"
                + "notify: { group_wait: 0s, email: { sendmail: '"
                + sendmail
                + "' } }\n",
            "test.yml");
    collector = Collector.start(config, clock);
    web01 = collector.createToken("web01");
    operator = collector.createRoleToken("operator");
  }

  @AfterEach
  void stop() {
    collector.close();
  }

  private void reportFs(Status fs) throws Exception {
    clock.advance(Duration.ofSeconds(30));
    long now = clock.millis();
    HttpResponse<String> r =
        send(
            "POST",
            "/api/v1/reports",
            web01,
            new String(
                new WireCodec()
                    .encode(
                        report(
                            "web01",
                            ++seq,
                            now,
                            result("Filesystem /", fs, "DISK " + fs, now),
                            result("Load", Status.OK, "LOAD OK", now))),
                java.nio.charset.StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(200);
  }

  private HttpResponse<String> send(String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.port() + path))
            .header("Authorization", "Bearer " + token)
            .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    return http.send(b.build(), BodyHandlers.ofString());
  }

  private JsonNode row(String service) throws Exception {
    JsonNode rows = json.readTree(send("GET", "/api/v1/services", operator, null).body());
    for (JsonNode r : rows) {
      if (r.get("service").asText().equals(service)) {
        return r;
      }
    }
    throw new AssertionError("no row " + service + " in " + rows);
  }

  @Test
  void acknowledgeAndUnacknowledgeWithCurlStyleRequests() throws Exception {
    reportFs(Status.CRITICAL);
    assertThat(row("Filesystem /").get("state_type").asText()).isEqualTo("SOFT");
    assertThat(row("Filesystem /").get("attempt").asInt()).isEqualTo(1);
    reportFs(Status.CRITICAL);
    JsonNode fs = row("Filesystem /");
    assertThat(fs.get("state_type").asText()).isEqualTo("HARD");
    assertThat(fs.get("attempt").asInt()).isEqualTo(2);
    assertThat(fs.get("max_attempts").asInt()).isEqualTo(2);
    assertThat(fs.get("acknowledged").asBoolean()).isFalse();

    HttpResponse<String> ack =
        send(
            "POST",
            "/api/v1/acks",
            operator,
            "{\"host\":\"web01\",\"service\":\"Filesystem /\",\"author\":\"alice\","
                + "\"comment\":\"disk ordered\"}");
    assertThat(ack.statusCode()).as(ack.body()).isEqualTo(201);
    long id = json.readTree(ack.body()).get("id").asLong();
    assertThat(row("Filesystem /").get("acknowledged").asBoolean()).isTrue();
    assertThat(send("GET", "/api/v1/services?format=text", operator, null).body())
        .contains("Flags")
        .containsPattern("Filesystem / +CRITICAL .* ACK ");
    assertThat(send("GET", "/api/v1/events?format=text", operator, null).body())
        .contains("acknowledged by alice (sticky): disk ordered");
    // Listed for any reader, with who, why and since when; a table for a terminal.
    String viewer = collector.createRoleToken("viewer");
    HttpResponse<String> list = send("GET", "/api/v1/acks", viewer, null);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.headers().firstValue("X-Total-Count")).contains("1");
    JsonNode listed = json.readTree(list.body()).get(0);
    assertThat(listed.get("id").asLong()).isEqualTo(id);
    assertThat(listed.get("host").asText()).isEqualTo("web01");
    assertThat(listed.get("service").asText()).isEqualTo("Filesystem /");
    assertThat(listed.get("author").asText()).isEqualTo("alice");
    assertThat(listed.get("comment").asText()).isEqualTo("disk ordered");
    assertThat(listed.get("time").asLong()).isEqualTo(clock.millis());
    assertThat(send("GET", "/api/v1/acks?format=text", viewer, null).body())
        .containsPattern("web01 +Filesystem / +alice .* disk ordered");

    assertThat(send("DELETE", "/api/v1/acks/" + id, operator, null).statusCode()).isEqualTo(200);
    assertThat(row("Filesystem /").get("acknowledged").asBoolean()).isFalse();
    assertThat(json.readTree(send("GET", "/api/v1/acks", operator, null).body())).isEmpty();
    assertThat(send("DELETE", "/api/v1/acks/" + id + "9", operator, null).statusCode())
        .isEqualTo(404);

    // Form fields work too; an OK service cannot be acknowledged, an unknown one is 404.
    HttpResponse<String> ok =
        send("POST", "/api/v1/acks", operator, "host=web01&service=Load&author=bob");
    assertThat(ok.statusCode()).isEqualTo(409);
    assertThat(ok.body()).contains("only a problem can be acknowledged");
    assertThat(send("POST", "/api/v1/acks", operator, "host=web01&service=Nope").statusCode())
        .isEqualTo(404);
    assertThat(send("POST", "/api/v1/acks", operator, "service=Load").body())
        .contains("host: required");
    assertThat(send("POST", "/api/v1/acks", web01, "host=web01").statusCode()).isEqualTo(403);
  }

  @Test
  void downtimesAreScheduledListedAndDeleted() throws Exception {
    reportFs(Status.OK);
    HttpResponse<String> created =
        send(
            "POST",
            "/api/v1/downtimes",
            operator,
            "{\"host\":\"web01\",\"duration\":\"2h\",\"author\":\"bob\",\"comment\":\"kernel\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonNode d = json.readTree(created.body());
    assertThat(d.get("active").asBoolean()).isTrue();
    assertThat(d.get("end").asLong() - d.get("start").asLong()).isEqualTo(7_200_000);

    HttpResponse<String> weekly =
        send(
            "POST",
            "/api/v1/downtimes",
            operator,
            "group=web&weekly=sun+01:00-03:00&comment=maintenance");
    assertThat(weekly.statusCode()).as(weekly.body()).isEqualTo(201);
    assertThat(json.readTree(weekly.body()).get("weekly").asText()).isEqualTo("sun 01:00-03:00");

    reportFs(Status.CRITICAL);
    reportFs(Status.CRITICAL);
    assertThat(row("Filesystem /").get("in_downtime").asBoolean()).isTrue();
    assertThat(send("GET", "/api/v1/events?host=web01", operator, null).body())
        .contains("PROBLEM suppressed: in downtime #" + d.get("id").asLong() + " by bob: kernel");
    // One events route serves both sides: the alert engine's notes and the state changes, by kind.
    JsonNode alerts =
        json.readTree(send("GET", "/api/v1/events?host=web01&kind=alert", operator, null).body());
    assertThat(alerts)
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.get("kind").asText()).isEqualTo("alert"));
    JsonNode states =
        json.readTree(
            send("GET", "/api/v1/events?host=web01&kind=state&limit=1", operator, null).body());
    assertThat(states)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.get("old_status").asText()).isEqualTo("OK");
              assertThat(e.get("new_status").asText()).isEqualTo("CRITICAL");
            });

    JsonNode list = json.readTree(send("GET", "/api/v1/downtimes", operator, null).body());
    assertThat(list).hasSize(2);
    assertThat(send("GET", "/api/v1/downtimes?format=text", operator, null).body())
        .contains("weekly sun 01:00-03:00")
        .contains("group web");
    assertThat(
            send("DELETE", "/api/v1/downtimes/" + d.get("id").asLong(), operator, null)
                .statusCode())
        .isEqualTo(200);
    assertThat(json.readTree(send("GET", "/api/v1/downtimes", operator, null).body())).hasSize(1);
    assertThat(row("Filesystem /").get("in_downtime").asBoolean()).isFalse();

    assertThat(
            send("POST", "/api/v1/downtimes", operator, "{\"host\":\"web01\",\"weekly\":\"xx\"}")
                .statusCode())
        .isEqualTo(400);
    assertThat(send("POST", "/api/v1/downtimes", operator, "host=web01").body())
        .contains("end: required");
  }

  // ---- Issue 23: the write API refuses what it does not understand ----

  @Test
  void aDowntimeWithTheTypoServcieIsRefusedNamingItAndNothingIsScheduled() throws Exception {
    HttpResponse<String> r =
        send(
            "POST",
            "/api/v1/downtimes",
            operator,
            "{\"host\":\"web01\",\"servcie\":\"Load\",\"duration\":\"2h\"}");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body())
        .contains("servcie: unknown field (did you mean service?)")
        .contains(
            "expected one of author, comment, duration, end, group, host, service, start,"
                + " weekly");
    assertThat(json.readTree(send("GET", "/api/v1/downtimes", operator, null).body())).isEmpty();
    HttpResponse<String> form =
        send("POST", "/api/v1/downtimes", operator, "host=web01&servcie=Load&duration=2h");
    assertThat(form.statusCode()).isEqualTo(400);
    assertThat(form.body()).contains("servcie: unknown field");
  }

  @Test
  void aDowntimeOfAHostOrServiceNobodyKnowsIsRefusedNotSilentlyEmpty() throws Exception {
    // Found by a newcomer: a misspelt host or service gave a downtime that covered nothing, and
    // the operator was paged through "silenced" maintenance. Nagios and Icinga 2 refuse it too.
    reportFs(Status.OK);
    HttpResponse<String> host =
        send("POST", "/api/v1/downtimes", operator, "host=nosuch&duration=1h");
    assertThat(host.statusCode()).isEqualTo(404);
    assertThat(host.body()).contains("host: no host").contains("nosuch");
    HttpResponse<String> service =
        send("POST", "/api/v1/downtimes", operator, "host=web01&service=Nope&duration=1h");
    assertThat(service.statusCode()).isEqualTo(404);
    assertThat(service.body()).contains("service: no service").contains("Nope");
    assertThat(json.readTree(send("GET", "/api/v1/downtimes", operator, null).body())).isEmpty();
    HttpResponse<String> known =
        send("POST", "/api/v1/downtimes", operator, "host=web01&service=Filesystem+/&duration=1h");
    assertThat(known.statusCode()).as(known.body()).isEqualTo(201);
  }

  @Test
  void anAckWithStickOrEndOrDurationOrAnIllTypedFieldIsRefusedNamingIt() throws Exception {
    reportFs(Status.CRITICAL);
    reportFs(Status.CRITICAL);
    String base = "\"host\":\"web01\",\"service\":\"Filesystem /\",";
    Map<String, String> refused =
        Map.of(
            "{" + base + "\"stick\":false}",
            "stick: unknown field (did you mean sticky?)",
            "{" + base + "\"end\":\"2h\"}",
            "end: unknown field (did you mean expire?)",
            "{" + base + "\"duration\":\"2h\"}",
            "duration: unknown field (did you mean expire?)",
            "{" + base + "\"sticky\":{\"x\":1}}",
            "sticky: expected a single value",
            "{" + base + "\"comment\":[\"a\"]}",
            "comment: expected a single value",
            "{" + base + "\"sticky\":5}",
            "sticky: expected true|false, got 5",
            "{" + base + "\"expire\":\"soon\"}",
            "expire: expected a time",
            "{\"targets\":[{\"host\":\"web01\",\"servcie\":\"Load\"}]}",
            "targets[0].servcie: unknown field");
    for (Map.Entry<String, String> e : refused.entrySet()) {
      HttpResponse<String> r = send("POST", "/api/v1/acks", operator, e.getKey());
      assertThat(r.statusCode()).as(e.getKey()).isEqualTo(400);
      assertThat(r.body()).as(e.getKey()).contains(e.getValue());
    }
    assertThat(row("Filesystem /").get("acknowledged").asBoolean()).isFalse();
    HttpResponse<String> form =
        send("POST", "/api/v1/acks", operator, "host=web01&service=Filesystem+/&stick=false");
    assertThat(form.statusCode()).isEqualTo(400);
    assertThat(form.body()).contains("stick: unknown field");
    assertThat(
            send(
                    "DELETE",
                    "/api/v1/hosts/web01?histroy=true",
                    collector.createRoleToken("admin"),
                    null)
                .body())
        .contains("histroy: unknown parameter");
  }

  @Test
  void anAckWithAnExpiryEndsThenAndASecondAckReplacesTheFirst() throws Exception {
    reportFs(Status.CRITICAL);
    reportFs(Status.CRITICAL);
    HttpResponse<String> r =
        send(
            "POST",
            "/api/v1/acks",
            operator,
            "{\"host\":\"web01\",\"service\":\"Filesystem /\",\"expire\":\"1h\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(json.readTree(r.body()).get("expire_iso").asText())
        .isEqualTo(Instant.ofEpochMilli(clock.millis()).plus(Duration.ofHours(1)).toString());
    HttpResponse<String> again =
        send(
            "POST",
            "/api/v1/acks",
            operator,
            "{\"host\":\"web01\",\"service\":\"Filesystem /\",\"author\":\"bob\","
                + "\"expiry\":\"2h\"}");
    assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
    String events = send("GET", "/api/v1/events?host=web01", operator, null).body();
    assertThat(events).contains("replaces the acknowledgement by operator");
    assertThat(
            send(
                    "POST",
                    "/api/v1/acks",
                    operator,
                    "{\"host\":\"web01\",\"service\":\"Filesystem /\","
                        + "\"expire\":\"2020-01-01T00:00:00Z\"}")
                .body())
        .contains("is not in the future");

    clock.advance(Duration.ofMinutes(119));
    assertThat(row("Filesystem /").get("acknowledged").asBoolean()).isTrue();
    clock.advance(Duration.ofMinutes(2));
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !row("Filesystem /").get("acknowledged").asBoolean());
    assertThat(send("GET", "/api/v1/events?host=web01", operator, null).body())
        .contains("acknowledgement by bob expired");
  }
}
