package io.custos.collector;

import static io.custos.collector.TestReports.report;
import static io.custos.collector.TestReports.result;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.custos.collector.config.CollectorConfig;
import io.custos.collector.store.TokenRecord;
import io.custos.collector.store.Tokens;
import io.custos.common.wire.Status;
import io.custos.common.wire.WireCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's session: login, cookie, CSRF, viewer role, revocation, restart, idle expiry. */
class SessionApiTest {
  @TempDir Path dir;
  final TestClock clock = new TestClock(Instant.parse("2026-11-30T12:00:00Z"));
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  final ObjectMapper json = new ObjectMapper();
  CollectorConfig config;
  Collector collector;
  String operator;
  String viewer;
  String web01;

  @BeforeEach
  void start() throws Exception {
    config =
        CollectorConfig.parse(
            "listen: 127.0.0.1:0\nstore: { sqlite: '" + dir.resolve("c.db") + "' }\n", "test.yml");
    collector = Collector.start(config, clock);
    operator = collector.createRoleToken("operator");
    viewer = collector.createRoleToken("viewer");
    web01 = collector.createToken("web01");
    HttpResponse<String> r =
        send(
            "POST",
            "/api/v1/reports",
            new String[] {"Authorization", "Bearer " + web01},
            new String(
                new WireCodec()
                    .encode(
                        report(
                            "web01",
                            1,
                            clock.millis(),
                            result("Disk /", Status.CRITICAL, "DISK CRITICAL", clock.millis()))),
                java.nio.charset.StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(200);
  }

  @AfterEach
  void stop() {
    collector.close();
  }

  HttpResponse<String> send(String method, String path, String[] headers, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.port() + path))
            .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), BodyHandlers.ofString());
  }

  /** What the dashboard's own login sends: a JSON body from the collector's origin. */
  String[] loginHeaders() {
    return new String[] {
      "Content-Type", "application/json", "Origin", "http://127.0.0.1:" + collector.port()
    };
  }

  @Test
  void aLoginFromAForeignPageIsRefusedLoginCsrf() throws Exception {
    // Issue 21: a foreign page could post text/plain or a form and swap the operator's session.
    String body = "{\"token\":\"" + operator + "\"}";
    HttpResponse<String> plain =
        send(
            "POST",
            "/api/v1/session",
            new String[] {"Content-Type", "text/plain", "Origin", "https://evil.example"},
            body);
    assertThat(plain.statusCode()).isEqualTo(415);
    assertThat(plain.body()).contains("Content-Type: expected application/json");
    HttpResponse<String> form =
        send(
            "POST",
            "/api/v1/session",
            new String[] {
              "Content-Type", "application/x-www-form-urlencoded", "Origin", "https://evil.example"
            },
            "token=" + operator);
    assertThat(form.statusCode()).isEqualTo(415);
    HttpResponse<String> foreign =
        send(
            "POST",
            "/api/v1/session",
            new String[] {"Content-Type", "application/json", "Origin", "https://evil.example"},
            body);
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(foreign.body()).contains("Origin: expected http://127.0.0.1:").contains("evil");
    HttpResponse<String> none =
        send("POST", "/api/v1/session", new String[] {"Content-Type", "application/json"}, body);
    assertThat(none.statusCode()).isEqualTo(403);
    assertThat(plain.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(foreign.headers().firstValue("Set-Cookie")).isEmpty();
  }

  /** Logs in; returns {cookie "name=value", csrf}. */
  String[] login(String token) throws Exception {
    HttpResponse<String> r =
        send("POST", "/api/v1/session", loginHeaders(), "{\"token\":\"" + token + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    return new String[] {
      setCookie.substring(0, setCookie.indexOf(';')), json.readTree(r.body()).get("csrf").asText()
    };
  }

  @Test
  void loginGivesAnHttpOnlyStrictCookieAndTheRole() throws Exception {
    HttpResponse<String> r =
        send("POST", "/api/v1/session", loginHeaders(), "{\"token\":\"" + operator + "\"}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Set-Cookie").orElseThrow())
        .startsWith("custos_session=")
        .contains("; Path=/", "; HttpOnly", "; SameSite=Strict")
        .doesNotContain("Secure");
    JsonNode body = json.readTree(r.body());
    assertThat(body.get("role").asText()).isEqualTo("operator");
    assertThat(body.get("csrf").asText()).matches("[0-9a-f]{64}");
    assertThat(body.get("name").asText()).isEqualTo(TokenRecord.idOf(Tokens.hash(operator)));
    String cookie = r.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];

    HttpResponse<String> who =
        send("GET", "/api/v1/session", new String[] {"Cookie", cookie}, null);
    assertThat(who.statusCode()).isEqualTo(200);
    assertThat(json.readTree(who.body())).isEqualTo(body);
    HttpResponse<String> services =
        send("GET", "/api/v1/services", new String[] {"Cookie", cookie}, null);
    assertThat(services.statusCode()).isEqualTo(200);
    assertThat(services.body()).contains("Disk /");
  }

  @Test
  void aLoginLinkLogsInAsItsTokenUntilItExpiresAndCannotBeForged() throws Exception {
    java.nio.file.Path key = Collector.sessionKeyFile(config);
    String hash = io.custos.collector.store.Tokens.hash(operator);
    String link =
        io.custos.collector.http.LoginLinks.create(key, hash, clock.millis() + 15 * 60_000L);
    HttpResponse<String> r =
        send("POST", "/api/v1/session", loginHeaders(), "{\"link\":\"" + link + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json.readTree(r.body()).get("role").asText()).isEqualTo("operator");
    assertThat(r.headers().firstValue("Set-Cookie").orElseThrow()).startsWith("custos_session=");

    // Tampered with (another token's hash under the same signature): refused.
    String forged = io.custos.collector.store.Tokens.hash(viewer) + link.substring(64);
    assertThat(
            send("POST", "/api/v1/session", loginHeaders(), "{\"link\":\"" + forged + "\"}")
                .statusCode())
        .isEqualTo(401);
    // Expired: refused, saying so.
    clock.advance(java.time.Duration.ofMinutes(16));
    HttpResponse<String> late =
        send("POST", "/api/v1/session", loginHeaders(), "{\"link\":\"" + link + "\"}");
    assertThat(late.statusCode()).isEqualTo(401);
    assertThat(late.body()).contains("login link expired or not valid");
  }

  @Test
  void badTokensAndNodeTokensGetNoSession() throws Exception {
    assertThat(
            send("POST", "/api/v1/session", loginHeaders(), "{\"token\":\"cst_x\"}").statusCode())
        .isEqualTo(401);
    assertThat(
            send("POST", "/api/v1/session", loginHeaders(), "{\"token\":\"" + web01 + "\"}")
                .statusCode())
        .isEqualTo(403);
    assertThat(send("POST", "/api/v1/session", loginHeaders(), "{}").body())
        .contains("token: required");
    assertThat(send("GET", "/api/v1/session", new String[0], null).statusCode()).isEqualTo(401);
    assertThat(
            send("GET", "/api/v1/services", new String[] {"Cookie", "custos_session=forged"}, null)
                .statusCode())
        .isEqualTo(401);
  }

  @Test
  void aStateChangeWithTheCookieNeedsTheCsrfHeader() throws Exception {
    String[] s = login(operator);
    String ack = "{\"host\":\"web01\",\"service\":\"Disk /\",\"comment\":\"on it\"}";
    HttpResponse<String> without = send("POST", "/api/v1/acks", new String[] {"Cookie", s[0]}, ack);
    assertThat(without.statusCode()).isEqualTo(403);
    assertThat(without.body()).contains("X-CSRF-Token");
    HttpResponse<String> wrong =
        send(
            "POST",
            "/api/v1/acks",
            new String[] {"Cookie", s[0], "X-CSRF-Token", "0".repeat(64)},
            ack);
    assertThat(wrong.statusCode()).isEqualTo(403);
    HttpResponse<String> with =
        send("POST", "/api/v1/acks", new String[] {"Cookie", s[0], "X-CSRF-Token", s[1]}, ack);
    assertThat(with.statusCode()).as(with.body()).isEqualTo(201);
  }

  @Test
  void aViewerReadsButCannotAcknowledge() throws Exception {
    String[] s = login(viewer);
    assertThat(send("GET", "/api/v1/services", new String[] {"Cookie", s[0]}, null).statusCode())
        .isEqualTo(200);
    assertThat(send("GET", "/api/v1/events", new String[] {"Cookie", s[0]}, null).statusCode())
        .isEqualTo(200);
    String ack = "{\"host\":\"web01\",\"service\":\"Disk /\"}";
    assertThat(
            send("POST", "/api/v1/acks", new String[] {"Cookie", s[0], "X-CSRF-Token", s[1]}, ack)
                .statusCode())
        .isEqualTo(403);
    assertThat(
            send("POST", "/api/v1/acks", new String[] {"Authorization", "Bearer " + viewer}, ack)
                .statusCode())
        .isEqualTo(403);
    assertThat(
            send(
                    "POST",
                    "/api/v1/downtimes",
                    new String[] {"Authorization", "Bearer " + viewer},
                    "{\"host\":\"web01\",\"duration\":\"1h\"}")
                .statusCode())
        .isEqualTo(403);
  }

  @Test
  void revokingTheTokenEndsItsSessionsAtOnce() throws Exception {
    String[] s = login(operator);
    assertThat(send("GET", "/api/v1/hosts", new String[] {"Cookie", s[0]}, null).statusCode())
        .isEqualTo(200);
    collector.store().revokeToken(TokenRecord.idOf(Tokens.hash(operator)));
    HttpResponse<String> after = send("GET", "/api/v1/hosts", new String[] {"Cookie", s[0]}, null);
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(after.body()).contains("revoked");
  }

  @Test
  void logoutClearsTheCookieAndNeedsCsrf() throws Exception {
    String[] s = login(operator);
    assertThat(send("DELETE", "/api/v1/session", new String[] {"Cookie", s[0]}, null).statusCode())
        .isEqualTo(403);
    HttpResponse<String> out =
        send(
            "DELETE", "/api/v1/session", new String[] {"Cookie", s[0], "X-CSRF-Token", s[1]}, null);
    assertThat(out.statusCode()).isEqualTo(204);
    assertThat(out.headers().firstValue("Set-Cookie").orElseThrow())
        .startsWith("custos_session=;")
        .contains("Max-Age=0");
  }

  @Test
  void aCookieReplayedAfterLogoutIsRefusedEvenAfterARestartOtherSessionsGoOn() throws Exception {
    String[] ended = login(operator);
    clock.advance(Duration.ofSeconds(1));
    String[] other = login(operator);
    assertThat(
            send(
                    "DELETE",
                    "/api/v1/session",
                    new String[] {"Cookie", ended[0], "X-CSRF-Token", ended[1]},
                    null)
                .statusCode())
        .isEqualTo(204);
    String ack =
        "{\"host\":\"web01\",\"service\":\"Disk /\",\"author\":\"x\",\"comment\":\"replayed\"}";
    String[] replay = {"Cookie", ended[0], "X-CSRF-Token", ended[1]};
    assertThat(send("GET", "/api/v1/session", replay, null).statusCode()).isEqualTo(401);
    assertThat(send("POST", "/api/v1/acks", replay, ack).statusCode()).isEqualTo(401);
    collector.close();
    collector = Collector.start(config, clock);
    assertThat(send("GET", "/api/v1/hosts", replay, null).statusCode()).isEqualTo(401);
    assertThat(send("GET", "/api/v1/hosts", new String[] {"Cookie", other[0]}, null).statusCode())
        .isEqualTo(200);
  }

  @Test
  void aSessionSurvivesACollectorRestart() throws Exception {
    String[] s = login(viewer);
    collector.close();
    collector = Collector.start(config, clock);
    HttpResponse<String> r = send("GET", "/api/v1/services", new String[] {"Cookie", s[0]}, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("Disk /");
  }

  @Test
  void operatorSessionsIdleOutAfter12HoursViewerSessionsDoNot() throws Exception {
    String[] op = login(operator);
    String[] view = login(viewer);
    clock.advance(Duration.ofHours(11));
    HttpResponse<String> used = send("GET", "/api/v1/hosts", new String[] {"Cookie", op[0]}, null);
    assertThat(used.statusCode()).isEqualTo(200);
    // the use renews the cookie: 11 more hours are fine with the renewed one, not the old one
    String renewed = used.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    clock.advance(Duration.ofHours(11));
    assertThat(send("GET", "/api/v1/hosts", new String[] {"Cookie", renewed}, null).statusCode())
        .isEqualTo(200);
    assertThat(send("GET", "/api/v1/hosts", new String[] {"Cookie", op[0]}, null).statusCode())
        .isEqualTo(401);
    clock.advance(Duration.ofDays(30));
    assertThat(send("GET", "/api/v1/hosts", new String[] {"Cookie", view[0]}, null).statusCode())
        .isEqualTo(200);
  }
}
