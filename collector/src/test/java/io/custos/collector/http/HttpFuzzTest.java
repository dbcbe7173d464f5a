package io.custos.collector.http;

import static io.custos.collector.TestReports.report;
import static org.assertj.core.api.Assertions.assertThat;

import io.custos.collector.TestClock;
import io.custos.collector.config.LimitsSection;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
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
    router = TestRoutes.create(store, new StatusBoard(store, clock, policy), limits);
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
  //
  // jqwik draws a seed; the inputs are built from it with java.util.Random. Cheap enough for
  // 100,000 tries, and a failing seed is printed and can be replayed.

  static final String[] NAMES = {
    "host",
    "exported_host",
    "custos_host_up",
    "custos_ingest_reports_total",
    "cpu_count",
    "le",
    "a_total",
    "x:y",
    "load1",
    "fs_used_percent"
  };

  static String word(Random r, int max) {
    StringBuilder sb = new StringBuilder();
    int n = r.nextInt(max + 1);
    for (int i = 0; i < n; i++) {
      sb.append(
          switch (r.nextInt(6)) {
            case 0 -> (char) ('a' + r.nextInt(26));
            case 1 -> '_';
            case 2 -> (char) ('0' + r.nextInt(10));
            case 3 -> (char) r.nextInt(0x80);
            case 4 -> (char) r.nextInt(0x3000);
            default -> (char) ('A' + r.nextInt(26));
          });
    }
    return sb.toString();
  }

  static String metricName(Random r) {
    if (r.nextBoolean()) {
      return NAMES[r.nextInt(NAMES.length)];
    }
    String w = word(r, 10).replaceAll("[^a-z_]", "");
    return w.isEmpty() ? "m" : w;
  }

  static long time(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> 1L;
      case 1 -> Long.MAX_VALUE;
      case 2 -> Long.MAX_VALUE - r.nextInt(1000);
      case 3 -> 1 + (r.nextLong() & Long.MAX_VALUE) % Long.MAX_VALUE;
      case 4 -> T0 - r.nextInt(1_000_000_000);
      default -> T0;
    };
  }

  /** A valid report built from {@code seed}: hostile names, labels, values and times. */
  static Report randomReport(long seed) {
    Random r = new Random(seed);
    List<CheckResult> results = new ArrayList<>();
    for (int i = r.nextInt(7); i > 0; i--) {
      List<Metric> metrics = new ArrayList<>();
      for (int j = r.nextInt(6); j > 0; j--) {
        Map<String, String> labels = new HashMap<>();
        for (int k = r.nextInt(4); k > 0; k--) {
          String name = metricName(r).replace(':', '_');
          if (!name.startsWith("__")) {
            labels.put(name, word(r, 12));
          }
        }
        double v =
            switch (r.nextInt(4)) {
              case 0 -> -r.nextDouble() * 1e300;
              case 1 -> r.nextDouble() * 1e300;
              case 2 -> 0;
              default -> r.nextGaussian();
            };
        metrics.add(Metric.of(metricName(r), labels, v, null));
      }
      String service = word(r, 30);
      if (service.isBlank()) {
        service = "S" + i;
      }
      String output = word(r, 40).replace('\n', ' ').replace('\r', ' ');
      results.add(
          new CheckResult(
              service, "fuzz", Status.values()[r.nextInt(4)], output, time(r), metrics));
    }
    long seq = r.nextBoolean() ? r.nextInt(100) : r.nextLong() & Long.MAX_VALUE;
    return report("web01", seq, T0, results.toArray(new CheckResult[0]));
  }

  /** A valid report's JSON, then byte and token mutations: flips, cuts, hostile values. */
  static byte[] mutatedReport(long seed) {
    Random r = new Random(seed);
    String s = new String(CODEC.encode(randomReport(r.nextLong())), StandardCharsets.UTF_8);
    for (int e = 1 + r.nextInt(4); e > 0 && !s.isEmpty(); e--) {
      int at = r.nextInt(s.length());
      switch (r.nextInt(4)) {
        case 0 -> s = s.substring(0, at) + (char) r.nextInt(256) + s.substring(at + 1);
        case 1 -> s = s.substring(0, at) + s.substring(Math.min(s.length(), at + r.nextInt(40)));
        case 2 -> {
          // Replace the value after a colon with a hostile token.
          int colon = s.indexOf(':', at);
          if (colon > 0) {
            int end = colon + 1;
            while (end < s.length() && ",}]".indexOf(s.charAt(end)) < 0) {
              end++;
            }
            s = s.substring(0, colon + 1) + TOKENS.get(r.nextInt(TOKENS.size())) + s.substring(end);
          }
        }
        default -> {
          if (r.nextInt(4) == 0) {
            s = s.substring(0, at); // truncated
          }
        }
      }
    }
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static final String[] SEGMENTS = {
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
    "web01%2Fload1"
  };

  static final String[] QUERIES = {
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
    "group=a+b",
    "limit=1",
    "offset=1"
  };

  /** A request target from {@code seed}: known and hostile segments, encodings and queries. */
  static String target(long seed) {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder();
    for (int i = r.nextInt(7); i > 0; i--) {
      sb.append('/');
      sb.append(
          r.nextInt(5) == 0
              ? word(r, 8).replaceAll("[\\s\\p{Cntrl}?#]", "")
              : SEGMENTS[r.nextInt(SEGMENTS.length)]);
    }
    if (sb.length() == 0) {
      sb.append('/');
    }
    int q = r.nextInt(4);
    for (int i = 0; i < q; i++) {
      sb.append(i == 0 ? '?' : '&').append(QUERIES[r.nextInt(QUERIES.length)]);
    }
    return sb.toString();
  }

  @Provide
  Arbitrary<Report> reports() {
    return Arbitraries.longs().map(HttpFuzzTest::randomReport);
  }

  @Provide
  Arbitrary<byte[]> mutatedReports() {
    return Arbitraries.longs().map(HttpFuzzTest::mutatedReport);
  }

  @Provide
  Arbitrary<String> targets() {
    return Arbitraries.longs().map(HttpFuzzTest::target);
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
