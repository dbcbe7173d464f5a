package io.custos.collector.http;

import static io.custos.collector.TestReports.report;
import static io.custos.collector.TestReports.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.custos.collector.TestClock;
import io.custos.collector.status.StatusBoard;
import io.custos.collector.store.Role;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.StoreHealth;
import io.custos.collector.store.Tokens;
import io.custos.collector.store.sqlite.SqliteStore;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Status;
import io.custos.common.wire.WireCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API without a server: requests in, responses out. */
class RouterTest {
  static final long T0 = Instant.parse("2026-11-27T12:00:00Z").toEpochMilli();

  @TempDir Path dir;
  TestClock clock = new TestClock(Instant.ofEpochMilli(T0));
  SqliteStore store;
  Router router;
  String web01;
  String operator;

  @BeforeEach
  void setUp() {
    StatePolicy policy = new StatePolicy(3, 3);
    store = SqliteStore.open(dir.resolve("c.db"), clock, policy);
    router = TestRoutes.create(store, new StatusBoard(store, clock, policy));
    web01 = new Tokens().issue(store, Role.NODE, "web01");
    operator = new Tokens().issue(store, Role.OPERATOR, null);
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  Response call(String method, String target, String token, String body) {
    Map<String, String> headers = new HashMap<>();
    if (token != null) {
      headers.put("Authorization", "Bearer " + token);
    }
    return router.dispatch(
        Request.of(method, target, headers, body.getBytes(StandardCharsets.UTF_8)));
  }

  String reportJson(String node, long seq) {
    return new String(
        new WireCodec().encode(report(node, seq, T0, result("Load", Status.OK, "LOAD OK", T0))),
        StandardCharsets.UTF_8);
  }

  @Test
  void healthNeedsNoToken() {
    Response r = call("GET", "/healthz", null, "");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.bodyText()).isEqualTo("{\"status\":\"ok\"}");
  }

  @Test
  void headIsAnsweredWhereverGetIsWithItsLengthAndNoBody() {
    for (String path : new String[] {"/healthz", "/"}) {
      Response get = call("GET", path, null, "");
      Response head = call("HEAD", path, null, "");
      assertThat(head.status()).as(path).isEqualTo(200);
      assertThat(head.body()).as(path).isEmpty();
      assertThat(head.headers())
          .as(path)
          .containsEntry("Content-Length", Integer.toString(get.body().length));
      assertThat(head.contentType()).isEqualTo(get.contentType());
    }
    assertThat(call("HEAD", "/api/v1/hosts", null, "").status()).isEqualTo(401);
    assertThat(call("HEAD", "/api/v1/hosts", operator, "").status()).isEqualTo(200);
    assertThat(call("POST", "/healthz", null, "").headers()).containsEntry("Allow", "GET, HEAD");
  }

  @Test
  void unknownRouteIs404AndWrongMethod405WithAllow() {
    assertThat(call("GET", "/nope", null, "").bodyText())
        .isEqualTo("{\"error\":\"no route /nope\"}");
    Response r = call("DELETE", "/api/v1/reports", operator, "");
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.headers()).containsEntry("Allow", "POST");
  }

  @Test
  void missingOrUnknownTokenIs401WithChallenge() {
    Response missing = call("GET", "/api/v1/hosts", null, "");
    Response unknown = call("GET", "/api/v1/hosts", "cst_operator_nope", "");

    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.headers()).containsEntry("WWW-Authenticate", "Bearer realm=\"custos\"");
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.bodyText()).contains("unknown or revoked token");
  }

  @Test
  void aNodeTokenPostsOnlyItsOwnNode() {
    Response own = call("POST", "/api/v1/reports", web01, reportJson("web01", 1));
    Response other = call("POST", "/api/v1/reports", web01, reportJson("db01", 1));

    assertThat(own.status()).isEqualTo(200);
    assertThat(own.bodyText()).isEqualTo("{\"stored\":true,\"seq\":1}");
    assertThat(other.status()).isEqualTo(403);
    assertThat(other.bodyText())
        .isEqualTo(
            "{\"error\":\"node token for \\\"web01\\\" may not post reports for node \\\"db01\\\"\"}");
  }

  @Test
  void rolesAreEnforced() {
    assertThat(call("POST", "/api/v1/reports", operator, reportJson("web01", 1)).status())
        .isEqualTo(403);
    Response r = call("GET", "/api/v1/services", web01, "");
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.bodyText()).contains("use an operator token");
  }

  @Test
  void aBadFieldIs400NamingIt() {
    String body = reportJson("web01", 1).replace("\"OK\"", "\"BAD\"");

    Response r = call("POST", "/api/v1/reports", web01, body);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.bodyText())
        .isEqualTo(
            "{\"error\":\"results[0].status: expected OK|WARNING|CRITICAL|UNKNOWN, got \\\"BAD\\\"\"}");
  }

  @Test
  void twoResultsWithOneServiceFromOneCheckAre400NamingIt() throws Exception {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var tree =
        (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(reportJson("web01", 1));
    var results = (com.fasterxml.jackson.databind.node.ArrayNode) tree.get("results");
    results.add(results.get(0).deepCopy());

    Response r = call("POST", "/api/v1/reports", web01, json.writeValueAsString(tree));

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.bodyText())
        .contains("results[1].service: \\\"Load\\\" from check ")
        .contains("repeats results[0]: one check reports one service once");
  }

  @Test
  void servicesRejectsAnUnknownStatusAndFormat() {
    Response status = call("GET", "/api/v1/services?status=bad", operator, "");
    Response format = call("GET", "/api/v1/services?format=xml", operator, "");

    assertThat(status.status()).isEqualTo(400);
    assertThat(status.bodyText())
        .contains("status: expected problems|unhandled|ok|warning|critical|unknown");
    assertThat(format.status()).isEqualTo(400);
    assertThat(format.bodyText()).contains("format: expected json|text, got \\\"xml\\\"");
  }

  @Test
  void acceptTextPlainGetsTheTable() {
    call("POST", "/api/v1/reports", web01, reportJson("web01", 1));
    Response r =
        router.dispatch(
            Request.of(
                "GET",
                "/api/v1/services",
                Map.of("authorization", "Bearer " + operator, "accept", "text/plain"),
                new byte[0]));

    assertThat(r.contentType()).startsWith("text/plain");
    assertThat(r.bodyText()).startsWith("Host ");
  }

  @Test
  void aStoreFailureIs503AndTheRouterGoesOn() {
    store.close();
    Response r = call("GET", "/api/v1/hosts", operator, "");
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.bodyText()).contains("store unavailable");
    assertThat(call("GET", "/healthz", null, "").status()).isEqualTo(503);
  }

  @Test
  void theDashboardPageDoesNotEchoTheHostHeader() {
    Response r =
        router.dispatch(Request.of("GET", "/", Map.of("Host", "<script>x</script>"), new byte[0]));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.bodyText()).startsWith("<!DOCTYPE html>").doesNotContain("<script>x");
  }

  @Test
  void aPlusInAPathSegmentStaysAPlus() {
    Response r = call("GET", "/api/v1/hosts/web+01", operator, "");

    assertThat(r.status()).isEqualTo(404);
    assertThat(r.bodyText()).isEqualTo("{\"error\":\"no host \\\"web+01\\\"\"}");
  }

  @Test
  void anEncodedSlashIsPartOfItsSegmentNotASeparator() {
    call("POST", "/api/v1/reports", web01, reportJson("web01", 1));

    // Decoded before routing, "web01%2Fload" would be host web01, metric load.
    Response host = call("GET", "/api/v1/metrics/web01%2Fload", operator, "");
    Response hostPage = call("GET", "/api/v1/hosts/web01%2F", operator, "");

    assertThat(host.status()).isEqualTo(404);
    assertThat(host.bodyText()).contains("no host \\\"web01/load\\\"");
    assertThat(hostPage.status()).isEqualTo(404);
    assertThat(hostPage.bodyText()).contains("no host \\\"web01/\\\"");
  }

  @Test
  void aPercentEncodedSegmentIsDecodedAndAPlusInTheQueryIsASpace() {
    call("POST", "/api/v1/reports", web01, reportJson("web01", 1));

    Response h = call("GET", "/api/v1/hosts/%77eb01", operator, "");
    Response group = call("GET", "/api/v1/hosts?group=no+such", operator, "");

    assertThat(h.status()).isEqualTo(200);
    assertThat(h.bodyText()).contains("\"host\":\"web01\"");
    assertThat(group.status()).isEqualTo(200);
    assertThat(group.bodyText()).isEqualTo("[]");
  }

  @Test
  void malformedPercentEncodingIsRefusedNamingTheTarget() {
    assertThatThrownBy(() -> Request.of("GET", "/api/v1/hosts/%zz", Map.of(), new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/api/v1/hosts/%zz");
  }

  @Test
  void anEmptyTemplatedSegmentMatchesNoRoute() {
    assertThat(call("GET", "/api/v1/hosts/", operator, "").status()).isEqualTo(404);
    assertThat(call("GET", "/api/v1/metrics/web01/", operator, "").status()).isEqualTo(404);
  }

  @Test
  void aLiteralRouteWinsOverATemplatedOne() {
    Router r =
        new Router(new Authenticator(store, clock), new StoreHealth(clock))
            .route("GET", "/x/{id}", Router.Access.PUBLIC, (q, c) -> Response.text(200, "id"))
            .route("GET", "/x/new", Router.Access.PUBLIC, (q, c) -> Response.text(200, "new"));

    assertThat(r.dispatch(Request.of("GET", "/x/new", Map.of(), new byte[0])).bodyText())
        .isEqualTo("new");
    assertThat(r.dispatch(Request.of("GET", "/x/7", Map.of(), new byte[0])).bodyText())
        .isEqualTo("id");
  }

  @Test
  void aReportOverALimitIs413NamingTheLimit() {
    CheckResult[] many = new CheckResult[10_001];
    for (int i = 0; i < many.length; i++) {
      many[i] = result("S" + i, Status.OK, "OK", T0);
    }
    String body =
        new String(new WireCodec().encode(report("web01", 1, T0, many)), StandardCharsets.UTF_8);

    Response r = call("POST", "/api/v1/reports", web01, body);

    assertThat(r.status()).isEqualTo(413);
    assertThat(r.bodyText())
        .contains("10001 results in one report, more than limits.results_per_report (10000)");
    assertThat(store.hosts()).isEmpty();
    assertThat(call("POST", "/api/v1/reports", web01, reportJson("web01", 2)).status())
        .as("the node and everyone else go on")
        .isEqualTo(200);
  }

  @Test
  void aHostsServicesArePagedLikeEveryList() {
    call("POST", "/api/v1/reports", web01, reportJson("web01", 1));

    Response r = call("GET", "/api/v1/hosts/web01?limit=1", operator, "");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers())
        .containsEntry("X-Total-Count", "2")
        .containsEntry("Link", "</api/v1/hosts/web01?limit=1&offset=1>; rel=\"next\"");
    assertThat(r.bodyText()).contains("\"services_total\":2");
  }
}
