package io.custos.collector.http;

import static io.custos.collector.TestReports.report;
import static org.assertj.core.api.Assertions.assertThat;

import io.custos.collector.TestClock;
import io.custos.collector.config.LimitsSection;
import io.custos.collector.ingest.IngestGuard;
import io.custos.collector.metrics.CollectorMetrics;
import io.custos.collector.status.StatusBoard;
import io.custos.collector.store.Role;
import io.custos.collector.store.StatePolicy;
import io.custos.collector.store.Tokens;
import io.custos.collector.store.sqlite.SqliteStore;
import io.custos.common.wire.CheckResult;
import io.custos.common.wire.Metric;
import io.custos.common.wire.Report;
import io.custos.common.wire.Status;
import io.custos.common.wire.WireCodec;
import io.custos.common.wire.WireException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes the report decoder and the HTTP handlers with jqwik: valid reports mutated by byte and
 * token (numbers out of range, nulls, wrong types, truncation), hostile names and times, and
 * requests with arbitrary methods, paths, percent-encoding, queries, tokens and bodies, both
 * through the {@link Router} and as raw bytes through the whole Netty pipeline. The properties: the
 * decoder returns a report or throws {@link WireException}, nothing else; no request is ever
 * answered 500 and no handler throws. Short in {@code mvn verify} ({@code jqwik.tries.default} in
 * {@code junit-platform.properties}); the long run is in {@code bench/RESULTS.md}.
 */
class HttpFuzzTest {
  static final long T0 = Instant.parse("2026-11-27T12:00:00Z").toEpochMilli();
  static final List<String> TOKENS =
      List.of(
          "null",
          "-1",
          "0",
          "1e400",
          "-1e400",
          "9223372036854775808",
          "\"\"",
          "[]",
          "{}",
          "\"BAD\"",
          "\"OK\"",
          "true",
          "1.5",
          "\"\\u0000\"",
          "\"\\ud800\"",
          "[[[[[[[[",
          "}}}",
          "\"host\"",
          "\"exported_host\"",
          "\"custos_host_up\"",
          "\"cpu_count\"",
          "9223372036854775807",
          "-9223372036854775808",
          "\"a\\nb\"",
          ",",
          ":",
          "\"");

  static Path dir;
  static SqliteStore store;
  static Router router;
  static String node;
  static String operator;
  static final WireCodec CODEC = new WireCodec();

  @BeforeContainer
  static void open() throws IOException {
    dir = Files.createTempDirectory("custos-fuzz");
    TestClock clock = new TestClock(Instant.ofEpochMilli(T0));
    StatePolicy policy = new StatePolicy(3, 3);
    store = SqliteStore.open(dir.resolve("c.db"), clock, policy);
    // Small per-node limits: the 422 path is exercised and a scrape stays small however long
    // the run.
    LimitsSection limits = new LimitsSection(null, null, null, null, null, 500, 2_000, null, null);
    router =
        Routes.create(
            store,
            new StatusBoard(store, clock, policy),
            new CollectorMetrics(),
            null,
            new IngestGuard(limits, store, clock));
    node = new Tokens().issue(store, Role.NODE, "web01");
    operator = new Tokens().issue(store, Role.OPERATOR, null);
  }

  @AfterContainer
  static void close() throws IOException {
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  // ---- generators

  @Provide
  Arbitrary<Report> reports() {
    Arbitrary<String> names =
        Arbitraries.oneOf(
            Arbitraries.of("host", "exported_host", "custos_host_up", "cpu_count", "le", "a_total"),
            Arbitraries.strings()
                .withCharRange('a', 'z')
                .withChars('_', ':', '0')
                .ofMinLength(1)
                .ofMaxLength(12)
                .filter(s -> !Character.isDigit(s.charAt(0))));
    Arbitrary<String> labelNames =
        names.map(s -> s.replace(':', '_')).filter(s -> !s.startsWith("__"));
    Arbitrary<Long> times =
        Arbitraries.oneOf(
            Arbitraries.longs().between(1, Long.MAX_VALUE),
            Arbitraries.of(1L, T0, T0 - 3_600_000L, Long.MAX_VALUE, Long.MAX_VALUE - 1));
    Arbitrary<Metric> metrics =
        Combinators.combine(
                names,
                Arbitraries.maps(labelNames, Arbitraries.strings().ofMaxLength(20)).ofMaxSize(4),
                Arbitraries.doubles().between(-1e300, 1e300))
            .as((n, l, v) -> Metric.of(n, l, v, null));
    Arbitrary<CheckResult> results =
        Combinators.combine(
                Arbitraries.strings().ofMinLength(1).ofMaxLength(30).filter(s -> !s.isBlank()),
                Arbitraries.of(Status.class),
                Arbitraries.strings()
                    .ofMaxLength(40)
                    .map(s -> s.replace('\n', ' ').replace('\r', ' ')),
                times,
                metrics.list().ofMaxSize(5))
            .as((s, st, o, t, m) -> new CheckResult(s, "fuzz", st, o, t, m));
    return Combinators.combine(
            Arbitraries.longs().between(0, Long.MAX_VALUE), results.list().ofMaxSize(6))
        .as((seq, rs) -> report("web01", seq, T0, rs.toArray(new CheckResult[0])));
  }

  /** Valid report JSON, then byte and token mutations. */
  @Provide
  Arbitrary<byte[]> mutatedReports() {
    Arbitrary<List<int[]>> edits =
        Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 1 << 20),
                Arbitraries.integers().between(0, 40),
                Arbitraries.integers().between(0, 255))
            .as((kind, at, len, b) -> new int[] {kind, at, len, b})
            .list()
            .ofMinSize(1)
            .ofMaxSize(4);
    return Combinators.combine(reports(), edits).as(HttpFuzzTest::mutate);
  }

  static byte[] mutate(Report r, List<int[]> edits) {
    String s = new String(CODEC.encode(r), StandardCharsets.UTF_8);
    for (int[] e : edits) {
      if (s.isEmpty()) {
        break;
      }
      int at = e[1] % s.length();
      switch (e[0]) {
        case 0 -> s = s.substring(0, at) + (char) e[3] + s.substring(Math.min(s.length(), at + 1));
        case 1 -> s = s.substring(0, at) + s.substring(Math.min(s.length(), at + e[2]));
        case 2 -> {
          // Replace the value after a colon with a hostile token.
          int colon = s.indexOf(':', at);
          if (colon > 0) {
            int end = colon + 1;
            while (end < s.length() && ",}]".indexOf(s.charAt(end)) < 0) {
              end++;
            }
            s = s.substring(0, colon + 1) + TOKENS.get(e[3] % TOKENS.size()) + s.substring(end);
          }
        }
        default -> s = s.substring(0, at); // truncated
      }
    }
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Provide
  Arbitrary<String> targets() {
    Arbitrary<String> segment =
        Arbitraries.oneOf(
            Arbitraries.of(
                "api",
                "v1",
                "hosts",
                "services",
                "events",
                "metrics",
                "backups",
                "reports",
                "acks",
                "downtimes",
                "web01",
                "load1",
                "healthz",
                "",
                "..",
                ".",
                "%2F",
                "%2f",
                "a+b",
                "%00",
                "%zz",
                "%",
                "%C3%A9",
                "%E2%82",
                "{id}",
                "1",
                "-1",
                "99999999999999999999",
                ";x",
                "web01%2Fload1"),
            Arbitraries.strings().ofMaxLength(8));
    Arbitrary<String> query =
        Arbitraries.oneOf(
            Arbitraries.just(""),
            Arbitraries.of(
                    "limit=0",
                    "limit=-1",
                    "limit=99999999999",
                    "offset=-5",
                    "from=-7d",
                    "from=x",
                    "to=1e9",
                    "step=0",
                    "step=1",
                    "format=text",
                    "format=xml",
                    "status=problems",
                    "name[]=custos_host_up",
                    "mount=/",
                    "a=%zz",
                    "&&&",
                    "=",
                    "host=web01;x=1",
                    "since=9223372036854775807",
                    "group=a+b")
                .list()
                .ofMaxSize(3)
                .map(l -> "?" + String.join("&", l)));
    return Combinators.combine(segment.list().ofMinSize(0).ofMaxSize(6), query)
        .as((segs, q) -> "/" + String.join("/", segs) + q);
  }

  @Provide
  Arbitrary<String> methods() {
    return Arbitraries.of("GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS");
  }

  @Provide
  Arbitrary<String> auth() {
    return Arbitraries.of("node", "operator", "none", "garbage", "bearer-only");
  }

  // ---- properties

  @Property
  void theDecoderReturnsAReportOrNamesTheField(@ForAll("mutatedReports") byte[] json) {
    try {
      assertThat(CODEC.decode(json)).isNotNull();
    } catch (WireException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Property
  void theDecoderSurvivesArbitraryBytes(@ForAll byte[] bytes) {
    try {
      CODEC.decode(bytes);
    } catch (WireException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Property
  void noReportIsAnswered500(@ForAll("mutatedReports") byte[] body) {
    Response r = dispatch("POST", "/api/v1/reports", "node", body);
    assertThat(r.status()).as(r.bodyText()).isNotEqualTo(500).isLessThan(600);
  }

  @Property
  void noValidReportIsAnswered500AndMetricsStayServable(@ForAll("reports") Report report) {
    Response r = dispatch("POST", "/api/v1/reports", "node", CODEC.encode(report));
    assertThat(r.status()).as(r.bodyText()).isIn(200, 413, 422);
    Response scrape = dispatch("GET", "/metrics", "operator", new byte[0]);
    assertThat(scrape.status()).as(scrape.bodyText()).isEqualTo(200);
  }

  @Property
  void noRequestIsAnswered500(
      @ForAll("methods") String method,
      @ForAll("targets") String target,
      @ForAll("auth") String auth,
      @ForAll("mutatedReports") byte[] body) {
    Response r;
    try {
      r = dispatch(method, target, auth, body);
    } catch (IllegalArgumentException e) {
      // Malformed percent-encoding: the pipeline answers 400 with this message.
      assertThat(e.getMessage()).contains("request target");
      return;
    }
    assertThat(r.status()).as("%s %s: %s", method, target, r.bodyText()).isNotEqualTo(500);
  }

  @Property
  void noRawRequestThroughThePipelineIsAnswered500(
      @ForAll("methods") String method,
      @ForAll("targets") String target,
      @ForAll("auth") String auth,
      @ForAll("mutatedReports") byte[] body,
      @ForAll boolean gzipHeader,
      @ForAll boolean chunked) {
    EmbeddedChannel ch = new EmbeddedChannel();
    CollectorServerInitializer.configure(
        ch.pipeline(),
        router,
        Runnable::run,
        new ServerOptions(1 << 16, 10, Duration.ofSeconds(10), null));
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: c\r\n");
    String token = token(auth);
    if (token != null) {
      head.append("Authorization: ").append(token).append("\r\n");
    }
    if (gzipHeader) {
      head.append("Content-Encoding: gzip\r\n");
    }
    head.append(
        chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + body.length + "\r\n");
    head.append("\r\n");
    ByteBuf in = Unpooled.buffer();
    in.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (chunked) {
      in.writeBytes(
          (Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      in.writeBytes(body);
      in.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    } else {
      in.writeBytes(body);
    }
    ch.writeInbound(in);
    ch.runPendingTasks();
    ch.checkException();
    StringBuilder out = new StringBuilder();
    ByteBuf b;
    while ((b = ch.readOutbound()) != null) {
      out.append(b.toString(StandardCharsets.ISO_8859_1));
      b.release();
    }
    ch.finishAndReleaseAll();
    assertThat(out.toString()).matches("(?s)HTTP/1\\.[01] [2-5]\\d\\d .*").doesNotContain(" 500 ");
  }

  static String token(String auth) {
    return switch (auth) {
      case "node" -> "Bearer " + node;
      case "operator" -> "Bearer " + operator;
      case "garbage" -> "Bearer \u00ff\u0000nope";
      case "bearer-only" -> "Bearer";
      default -> null;
    };
  }

  static Response dispatch(String method, String target, String auth, byte[] body) {
    Map<String, String> headers = new HashMap<>();
    String token = token(auth);
    if (token != null) {
      headers.put("Authorization", token);
    }
    Request request = Request.of(method, target, headers, body);
    assertThat(router.admit(request))
        .satisfiesAnyOf(a -> assertThat(a).isNull(), a -> assertThat(a.status()).isNotEqualTo(500));
    return router.dispatch(request);
  }
}
