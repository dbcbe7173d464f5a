package io.custos.collector;

import static io.custos.collector.TestReports.report;
import static io.custos.collector.TestReports.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.custos.collector.cli.CollectorMain;
import io.custos.collector.config.CollectorConfig;
import io.custos.collector.store.Tokens;
import io.custos.common.wire.Status;
import io.custos.common.wire.WireCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator expects to do to a running collector: list and revoke tokens, remove a host, not
 * start a second collector on the same file, find the store private, see failing writes in {@code
 * /healthz}. A real collector on loopback with an SQLite file; the commands run as {@code
 * custos-collector} would run them, beside it.
 */
class OperationsTest {
  static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");

  @TempDir Path dir;
  final TestClock clock = new TestClock(T0);
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  final ObjectMapper json = new ObjectMapper();
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();
  Path configFile;
  Path db;
  CollectorConfig config;
  Collector collector;
  String web01;
  String operator;
  String admin;
  long seq;

  @BeforeEach
  void start() throws Exception {
    db = dir.resolve("data/collector.db");
    configFile =
        Files.writeString(
            dir.resolve("collector.yml"), "listen: 127.0.0.1:0\nstore: { sqlite: '" + db + "' }\n");
    config = CollectorConfig.load(configFile);
    collector = Collector.start(config, clock);
    web01 = collector.createToken("web01");
    operator = collector.createRoleToken("operator");
    admin = collector.createRoleToken("admin");
  }

  @AfterEach
  void stop() {
    collector.close();
  }

  int cli(String... args) {
    out.reset();
    err.reset();
    return CollectorMain.execute(
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        args);
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  HttpResponse<String> request(String method, String path, String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.port() + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), BodyHandlers.ofString());
  }

  HttpResponse<String> post(String host, String token, Status status) throws Exception {
    byte[] body =
        new WireCodec()
            .encode(
                report(
                    host,
                    ++seq,
                    clock.millis(),
                    result("Load", status, "LOAD " + status, clock.millis())));
    HttpRequest r =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + collector.port() + "/api/v1/reports"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofByteArray(body))
            .build();
    return http.send(r, BodyHandlers.ofString());
  }

  @Test
  void aTokenRevokedByTheCommandIsRefusedAtTheNextRequest() throws Exception {
    assertThat(request("GET", "/api/v1/hosts", operator).statusCode()).isEqualTo(200);
    String id = Tokens.hash(operator).substring(0, 12);

    assertThat(cli("token", "revoke", id, "--config", configFile.toString())).isZero();

    assertThat(out()).contains("revoked token " + id + " (operator)");
    HttpResponse<String> refused = request("GET", "/api/v1/hosts", operator);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).contains("unknown or revoked token");
    assertThat(request("GET", "/api/v1/hosts", admin).statusCode()).isEqualTo(200);
  }

  @Test
  void theTokenItselfAlsoRevokesItAndAnUnknownIdFails() throws Exception {
    assertThat(cli("token", "revoke", web01, "--config", configFile.toString())).isZero();
    assertThat(post("web01", web01, Status.OK).statusCode()).isEqualTo(401);

    assertThat(cli("token", "revoke", "0123456789ab", "--config", configFile.toString()))
        .isEqualTo(2);
    assertThat(err()).contains("no token with id 0123456789ab");
    assertThat(cli("token", "revoke", "xyz", "--config", configFile.toString())).isEqualTo(3);
    assertThat(err()).contains("8 to 64 hex digits");
  }

  @Test
  void tokenListShowsIdRoleNodeCreatedAndLastUseButNeverTheSecret() throws Exception {
    assertThat(post("web01", web01, Status.OK).statusCode()).isEqualTo(200);

    assertThat(cli("token", "list", "--config", configFile.toString())).isZero();

    String[] lines = out().split("\n");
    assertThat(lines[0]).startsWith("ID").contains("ROLE", "NODE", "CREATED", "LAST USED");
    assertThat(lines).hasSize(4);
    assertThat(out())
        .contains(Tokens.hash(web01).substring(0, 12) + "  node      web01")
        .contains(Tokens.hash(admin).substring(0, 12) + "  admin     -")
        .doesNotContain(web01)
        .doesNotContain(Tokens.hash(web01))
        .doesNotContain(admin.substring(4));
    String web01Line =
        java.util.Arrays.stream(lines).filter(l -> l.contains(" web01 ")).findFirst().orElseThrow();
    assertThat(web01Line).doesNotEndWith("never");
    String adminLine =
        java.util.Arrays.stream(lines).filter(l -> l.contains(" admin ")).findFirst().orElseThrow();
    assertThat(adminLine).endsWith("never");
  }

  @Test
  void deletingAHostNeedsAnAdminTokenAndRemovesItWithItsNodeToken() throws Exception {
    post("web01", web01, Status.CRITICAL);
    String db01 = collector.createToken("db01");
    post("db01", db01, Status.OK);

    HttpResponse<String> byOperator = request("DELETE", "/api/v1/hosts/web01", operator);
    assertThat(byOperator.statusCode()).isEqualTo(403);
    assertThat(byOperator.body()).contains("use an admin token");

    HttpResponse<String> removed = request("DELETE", "/api/v1/hosts/web01", admin);
    assertThat(removed.statusCode()).isEqualTo(200);
    JsonNode r = json.readTree(removed.body());
    assertThat(r.get("services").asInt()).isEqualTo(1);
    assertThat(r.get("tokens_revoked").asInt()).isEqualTo(1);
    assertThat(r.get("history").asBoolean()).isFalse();

    assertThat(request("GET", "/api/v1/hosts/web01", operator).statusCode()).isEqualTo(404);
    assertThat(json.readTree(request("GET", "/api/v1/hosts", operator).body()))
        .extracting(n -> n.get("host").asText())
        .containsExactly("db01");
    // Its agent, still running somewhere, cannot bring it back.
    assertThat(post("web01", web01, Status.OK).statusCode()).isEqualTo(401);
    assertThat(request("DELETE", "/api/v1/hosts/web01", admin).statusCode()).isEqualTo(404);
    assertThat(request("DELETE", "/api/v1/hosts/db01?history=maybe", admin).statusCode())
        .isEqualTo(400);
    assertThat(request("GET", "/healthz", null).statusCode()).isEqualTo(200);
  }

  @Test
  void hostRemoveWithHistoryDeletesItsMetricsToo() throws Exception {
    post("web01", web01, Status.OK);
    assertThat(collector.store().history().series("web01")).isNotEmpty();

    assertThat(cli("host", "remove", "web01", "--history", "--config", configFile.toString()))
        .isZero();

    assertThat(out()).contains("removed host web01: 1 service(s), 1 node token(s) revoked");
    assertThat(collector.store().hosts()).isEmpty();
    assertThat(collector.store().history().series("web01")).isEmpty();
    assertThat(cli("host", "remove", "web01", "--config", configFile.toString())).isEqualTo(2);
    assertThat(err()).contains("no host \"web01\"");
  }

  @Test
  void aSecondCollectorOnTheSameSqliteFileIsRefusedWithAClearMessage() {
    assertThatThrownBy(() -> Collector.start(config, clock))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("another custos-collector (pid " + ProcessHandle.current().pid())
        .hasMessageContaining("the SQLite store " + db)
        .hasMessageContaining(db + ".lock");

    assertThat(cli("run", "--config", configFile.toString())).isEqualTo(2);
    assertThat(err()).contains("is already using the SQLite store " + db);
  }

  @Test
  void theStoreAndItsWalAndShmAreCreatedPrivateByEveryCommand() throws Exception {
    for (String f : new String[] {"", "-wal", "-shm", ".lock"}) {
      assertThat(Files.getPosixFilePermissions(Path.of(db + f)))
          .as(db + f)
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }
    String[][] commands = {
      {"token", "create", "--role", "operator"}, {"token", "list"}, {"host", "remove", "x"}
    };
    int i = 0;
    for (String[] command : commands) {
      Path other = dir.resolve("other" + i++ + "/c.db");
      Path cfg =
          Files.writeString(
              dir.resolve("other" + i + ".yml"),
              "listen: 127.0.0.1:0\nstore: { sqlite: '" + other + "' }\n");
      String[] args = java.util.Arrays.copyOf(command, command.length + 2);
      args[command.length] = "--config";
      args[command.length + 1] = cfg.toString();
      cli(args);
      assertThat(Files.getPosixFilePermissions(other))
          .as(String.join(" ", command))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }
  }

  @Test
  void healthzSaysTheStoreIsNotWritingWhileReportsFailAndRecovers() throws Exception {
    assertThat(post("web01", web01, Status.OK).statusCode()).isEqualTo(200);
    assertThat(request("GET", "/healthz", null).body()).isEqualTo("{\"status\":\"ok\"}");

    // Every insert of a report now fails inside SQLite, as on a full disk.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout=10000");
      st.execute(
          "CREATE TRIGGER disk_full BEFORE INSERT ON reports BEGIN"
              + " SELECT RAISE(ABORT, 'database or disk is full'); END");
    }
    for (int i = 0; i < 5; i++) {
      assertThat(post("web01", web01, Status.OK).statusCode()).isEqualTo(503);
    }
    HttpResponse<String> health = request("GET", "/healthz", null);
    assertThat(health.statusCode()).isEqualTo(503);
    JsonNode h = json.readTree(health.body());
    assertThat(h.get("store").asText()).isEqualTo("not writing");
    assertThat(h.get("failures").asInt()).isEqualTo(5);
    assertThat(h.get("error").asText()).contains("database or disk is full");
    assertThat(h.get("failing_since").asLong()).isEqualTo(T0.toEpochMilli());

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout=10000");
      st.execute("DROP TRIGGER disk_full");
    }
    assertThat(post("web01", web01, Status.OK).statusCode()).isEqualTo(200);
    assertThat(request("GET", "/healthz", null).statusCode()).isEqualTo(200);
  }
}
