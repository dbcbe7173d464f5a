package io.custos.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.custos.collector.config.CollectorConfig;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive store over loopback HTTP: streamed uploads to real files, the append-only rules, who
 * may do what, HEAD, GET with Range, and the catalog.
 */
@Timeout(180)
class ArchiveStoreApiTest {
  static final Instant T0 = Instant.parse("2026-11-27T01:00:00Z");
  static final String FULL = "web01.www.20261127T010000Z.full.tar.zst";
  static final String MANIFEST = FULL + ".manifest.json";

  @TempDir Path dir;
  final TestClock clock = new TestClock(T0.plusSeconds(3600), ZoneOffset.UTC);
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  final ObjectMapper json = new ObjectMapper();
  Collector collector;
  Path store;
  String web01;
  String db01;
  String operator;
  String admin;
  String restore;

  @BeforeEach
  void start() throws Exception {
    collector = Collector.start(config(""), clock);
    store = dir.resolve("backups");
    web01 = collector.createToken("web01");
    db01 = collector.createToken("db01");
    operator = collector.createRoleToken("operator");
    admin = collector.createRoleToken("admin");
    restore = collector.createRoleToken("restore");
  }

  CollectorConfig config(String extra) throws Exception {
    return CollectorConfig.parse(
        "listen: 127.0.0.1:0\nstore: { sqlite: '" + dir.resolve("c.db") + "' }\n" + extra,
        "test.yml");
  }

  @AfterEach
  void stop() {
    collector.close();
  }

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  static Map<String, String> index(String level, String base, String created) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("X-Custos-Set", "www");
    h.put("X-Custos-Level", level);
    if (base != null) {
      h.put("X-Custos-Base", base);
    }
    h.put("X-Custos-Created", created);
    h.put("X-Custos-Encrypted", "age");
    h.put(
        "X-Custos-Manifest",
        "web01.www." + created.replaceAll("[-:]", "") + "." + level + ".tar.zst.manifest.json");
    return h;
  }

  HttpResponse<String> put(
      String token,
      String node,
      String object,
      byte[] body,
      String sha,
      Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri("/api/v1/backups/" + node + "/" + object))
            .header("Authorization", "Bearer " + token)
            .header("X-Custos-Sha256", sha)
            .timeout(Duration.ofSeconds(60))
            .PUT(BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    return http.send(b.build(), BodyHandlers.ofString());
  }

  HttpResponse<String> putArchive(String token, String object, byte[] body) throws Exception {
    return put(token, "web01", object, body, sha256(body), index("full", null, T0.toString()));
  }

  HttpResponse<byte[]> get(String token, String path, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(60));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.GET().build(), BodyHandlers.ofByteArray());
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + collector.port() + path);
  }

  String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  long incomingFiles() throws Exception {
    Path incoming = store.resolve("web01/.incoming");
    if (!Files.isDirectory(incoming)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(incoming)) {
      return s.count();
    }
  }

  @Test
  void oneMebibyteArchiveIsPublishedWithItsIndexAndHeadAnswersItsSizeAndSha() throws Exception {
    byte[] body = bytes(1 << 20, 1);
    HttpResponse<String> r = putArchive(web01, FULL, body);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode answer = json.readTree(r.body());
    assertThat(answer.get("object").asText()).isEqualTo(FULL);
    assertThat(answer.get("size").asLong()).isEqualTo(1 << 20);
    assertThat(answer.get("sha256").asText()).isEqualTo(sha256(body));
    assertThat(Files.readAllBytes(store.resolve("web01").resolve(FULL))).isEqualTo(body);
    JsonNode meta = json.readTree(store.resolve("web01").resolve(FULL + ".meta.json").toFile());
    assertThat(meta.get("level").asText()).isEqualTo("full");
    assertThat(meta.get("encrypted").asText()).isEqualTo("age");
    assertThat(meta.get("uploaded").asText()).isEqualTo(clock.instant().toString());
    assertThat(incomingFiles()).isZero();

    HttpResponse<Void> head =
        http.send(
            HttpRequest.newBuilder(uri("/api/v1/backups/web01/" + FULL))
                .header("Authorization", "Bearer " + web01)
                .method("HEAD", BodyPublishers.noBody())
                .build(),
            BodyHandlers.discarding());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Content-Length")).hasValue("1048576");
    assertThat(head.headers().firstValue("X-Custos-Sha256")).hasValue(sha256(body));
    HttpResponse<Void> absent =
        http.send(
            HttpRequest.newBuilder(uri("/api/v1/backups/web01/web01.www.x.full.tar"))
                .header("Authorization", "Bearer " + web01)
                .method("HEAD", BodyPublishers.noBody())
                .build(),
            BodyHandlers.discarding());
    assertThat(absent.statusCode()).isEqualTo(404);
  }

  @Test
  void multiChunkArchiveIsStoredByteForByteAndAManifestNeedsNoIndex() throws Exception {
    byte[] body = bytes(24 << 20, 2);
    assertThat(putArchive(web01, FULL, body).statusCode()).isEqualTo(201);
    byte[] manifest = "{\"paths\":[]}".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> m = put(web01, "web01", MANIFEST, manifest, sha256(manifest), Map.of());

    assertThat(m.statusCode()).as(m.body()).isEqualTo(201);
    assertThat(sha256(Files.readAllBytes(store.resolve("web01").resolve(FULL))))
        .isEqualTo(sha256(body));
    assertThat(Files.readAllBytes(store.resolve("web01").resolve(MANIFEST))).isEqualTo(manifest);
  }

  @Test
  void shaMismatchIs400AndPublishesNothing() throws Exception {
    byte[] body = bytes(300_000, 3);
    HttpResponse<String> r =
        put(web01, "web01", FULL, body, sha256(new byte[1]), index("full", null, T0.toString()));

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("sha256 of the body is " + sha256(body));
    assertThat(store.resolve("web01").resolve(FULL)).doesNotExist();
    assertThat(store.resolve("web01").resolve(FULL + ".meta.json")).doesNotExist();
    assertThat(incomingFiles()).isZero();
    assertThat(putArchive(web01, FULL, body).statusCode()).isEqualTo(201);
  }

  @Test
  void uploadCutShortByTheClientPublishesNothingAndLeavesNoTemporaryFile() throws Exception {
    byte[] body = bytes(1 << 20, 4);
    StringBuilder head =
        new StringBuilder("PUT /api/v1/backups/web01/" + FULL + " HTTP/1.1\r\n")
            .append("Host: 127.0.0.1\r\nAuthorization: Bearer ")
            .append(web01)
            .append("\r\nContent-Length: ")
            .append(body.length)
            .append("\r\nX-Custos-Sha256: ")
            .append(sha256(body))
            .append("\r\n");
    index("full", null, T0.toString())
        .forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("\r\n");
    try (Socket s = new Socket("127.0.0.1", collector.port())) {
      OutputStream out = s.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, 400_000);
      out.flush();
      await().atMost(Duration.ofSeconds(10)).until(() -> incomingFiles() == 1);
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> incomingFiles() == 0);
    assertThat(store.resolve("web01").resolve(FULL)).doesNotExist();
    assertThat(putArchive(web01, FULL, body).statusCode()).isEqualTo(201);
  }

  @Test
  void secondUploadIs409UnlessItIsTheSameBytes() throws Exception {
    byte[] body = bytes(50_000, 5);
    assertThat(putArchive(web01, FULL, body).statusCode()).isEqualTo(201);

    HttpResponse<String> same = putArchive(web01, FULL, body);
    assertThat(same.statusCode()).isEqualTo(200);
    assertThat(json.readTree(same.body()).get("exists").asBoolean()).isTrue();
    HttpResponse<String> other = putArchive(web01, FULL, bytes(50_000, 6));
    assertThat(other.statusCode()).isEqualTo(409);
    assertThat(other.body()).contains("never overwritten");
    HttpResponse<String> byAdmin = putArchive(admin, FULL, bytes(50_000, 6));
    assertThat(byAdmin.statusCode()).isEqualTo(409);
    assertThat(Files.readAllBytes(store.resolve("web01").resolve(FULL))).isEqualTo(body);
  }

  @Test
  void expectContinueUploadIsAcceptedAndAnExistingNameIsRefusedBeforeTheBody() throws Exception {
    byte[] body = bytes(200_000, 7);
    String head = rawHead(body, "Expect: 100-continue\r\n");
    try (Socket s = new Socket("127.0.0.1", collector.port())) {
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 100 Continue");
      out.write(body);
      out.flush();
      assertThat(readHead(s.getInputStream())).startsWith("HTTP/1.1 201");
    }
    try (Socket s = new Socket("127.0.0.1", collector.port())) {
      s.setSoTimeout(30_000);
      s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 200").contains("\"exists\":true");
    }
  }

  String rawHead(byte[] body, String extra) throws Exception {
    StringBuilder head =
        new StringBuilder("PUT /api/v1/backups/web01/" + FULL + " HTTP/1.1\r\n")
            .append("Host: 127.0.0.1\r\nAuthorization: Bearer ")
            .append(web01)
            .append("\r\nContent-Length: ")
            .append(body.length)
            .append("\r\nX-Custos-Sha256: ")
            .append(sha256(body))
            .append("\r\n")
            .append(extra);
    index("full", null, T0.toString())
        .forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    return head.append("\r\n").toString();
  }

  /** Reads a response head up to its blank line, and its body when it has a Content-Length. */
  static String readHead(InputStream in) throws Exception {
    StringBuilder b = new StringBuilder();
    while (!b.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        break;
      }
      b.append((char) c);
    }
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(b);
    if (m.find()) {
      b.append(new String(in.readNBytes(Integer.parseInt(m.group(1))), StandardCharsets.UTF_8));
    }
    return b.toString();
  }

  @Test
  void nodeTokenMayNotWriteAnotherNodeNorDeleteAndOperatorMayNotDownload() throws Exception {
    byte[] body = bytes(10_000, 8);
    String dbName = "db01.pg.20261127T010000Z.full.tar";
    HttpResponse<String> other =
        put(web01, "db01", dbName, body, sha256(body), index("full", null, T0.toString()));
    assertThat(other.statusCode()).as(other.body()).isEqualTo(403);
    assertThat(other.body()).contains("may not PUT").contains("use the node token of");
    assertThat(store.resolve("db01")).doesNotExist();
    HttpResponse<String> foreignName = putArchive(web01, dbName, body);
    assertThat(foreignName.statusCode()).isEqualTo(400);
    assertThat(foreignName.body()).contains("must start with its node name");
    assertThat(putArchive(operator, FULL, body).statusCode()).isEqualTo(403);
    assertThat(putArchive(restore, FULL, body).statusCode()).isEqualTo(403);

    assertThat(putArchive(web01, FULL, body).statusCode()).isEqualTo(201);
    HttpResponse<String> delete =
        http.send(
            HttpRequest.newBuilder(uri("/api/v1/backups/web01/" + FULL))
                .header("Authorization", "Bearer " + web01)
                .DELETE()
                .build(),
            BodyHandlers.ofString());
    assertThat(delete.statusCode()).isEqualTo(405);
    assertThat(store.resolve("web01").resolve(FULL)).exists();

    assertThat(get(operator, "/api/v1/backups/web01/" + FULL).statusCode()).isEqualTo(403);
    assertThat(get(web01, "/api/v1/backups/web01/" + FULL).statusCode()).isEqualTo(403);
    assertThat(get(db01, "/api/v1/backups/web01").statusCode()).isEqualTo(403);
    assertThat(get(restore, "/api/v1/hosts").statusCode()).isEqualTo(403);
    assertThat(get(restore, "/api/v1/backups/web01/" + FULL).body()).isEqualTo(body);
  }

  @Test
  void adminDownloadsWholeOrARange() throws Exception {
    byte[] body = bytes(3 << 20, 9);
    assertThat(putArchive(web01, FULL, body).statusCode()).isEqualTo(201);
    String path = "/api/v1/backups/web01/" + FULL;

    HttpResponse<byte[]> whole = get(admin, path);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.body()).isEqualTo(body);
    assertThat(whole.headers().firstValue("X-Custos-Sha256")).hasValue(sha256(body));
    assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");

    HttpResponse<byte[]> part = get(admin, path, "Range", "bytes=1000-1999");
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.headers().firstValue("Content-Range"))
        .hasValue("bytes 1000-1999/" + body.length);
    assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(body, 1000, 2000));
    HttpResponse<byte[]> tail = get(admin, path, "Range", "bytes=-10");
    assertThat(tail.body())
        .isEqualTo(java.util.Arrays.copyOfRange(body, body.length - 10, body.length));
    HttpResponse<byte[]> from = get(admin, path, "Range", "bytes=" + (body.length - 5) + "-");
    assertThat(from.statusCode()).isEqualTo(206);
    assertThat(from.body()).hasSize(5);
    HttpResponse<byte[]> beyond = get(admin, path, "Range", "bytes=" + body.length + "-");
    assertThat(beyond.statusCode()).isEqualTo(416);
    assertThat(beyond.headers().firstValue("Content-Range")).hasValue("bytes */" + body.length);
  }

  @Test
  void catalogListsArchivesNewestFirstWithTheirIndex() throws Exception {
    byte[] full = bytes(1000, 10);
    byte[] incr = bytes(500, 11);
    String incrName = "web01.www.20261128T010000Z.incr.tar.zst";
    assertThat(putArchive(web01, FULL, full).statusCode()).isEqualTo(201);
    assertThat(
            put(
                    web01,
                    "web01",
                    incrName,
                    incr,
                    sha256(incr),
                    index("incr", FULL, "2026-11-28T01:00:00Z"))
                .statusCode())
        .isEqualTo(201);
    byte[] manifest = "{}".getBytes(StandardCharsets.UTF_8);
    assertThat(put(web01, "web01", MANIFEST, manifest, sha256(manifest), Map.of()).statusCode())
        .isEqualTo(201);

    for (String token : new String[] {operator, admin, restore, web01}) {
      HttpResponse<byte[]> r = get(token, "/api/v1/backups/web01?set=www");
      assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    }
    JsonNode c = json.readTree(get(operator, "/api/v1/backups/web01").body());
    assertThat(c.get("node").asText()).isEqualTo("web01");
    assertThat(c.get("total").asInt()).isEqualTo(2);
    JsonNode newest = c.get("archives").get(0);
    assertThat(newest.get("object").asText()).isEqualTo(incrName);
    assertThat(newest.get("level").asText()).isEqualTo("incr");
    assertThat(newest.get("base").asText()).isEqualTo(FULL);
    assertThat(newest.get("size").asLong()).isEqualTo(500);
    assertThat(newest.get("sha256").asText()).isEqualTo(sha256(incr));
    assertThat(newest.get("verified").asBoolean()).isTrue();
    assertThat(c.get("archives").get(1).get("base").isNull()).isTrue();
    JsonNode page = json.readTree(get(operator, "/api/v1/backups/web01?limit=1&offset=1").body());
    assertThat(page.get("archives")).hasSize(1);
    assertThat(page.get("archives").get(0).get("object").asText()).isEqualTo(FULL);
    assertThat(
            json.readTree(get(operator, "/api/v1/backups/web01?set=db").body())
                .get("total")
                .asInt())
        .isZero();
    // A terminal gets a table, as from the other lists.
    HttpResponse<byte[]> table = get(operator, "/api/v1/backups/web01?format=text");
    assertThat(table.statusCode()).isEqualTo(200);
    assertThat(table.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(table.headers().firstValue("X-Total-Count")).contains("2");
    assertThat(text(table))
        .startsWith("Archive")
        .containsPattern(
            incrName.replace(".", "\\.") + " +www +incr +" + FULL.replace(".", "\\.") + " ")
        .containsPattern("\\n" + FULL.replace(".", "\\.") + " +www +full +- ");
    // The catalog of backup runs from reports stays.
    assertThat(get(operator, "/api/v1/backups").statusCode()).isEqualTo(200);
  }

  @Test
  void badHeadersAreRefusedNamingTheHeader() throws Exception {
    byte[] body = bytes(100, 12);
    Map<String, String> noLevel = index("full", null, T0.toString());
    noLevel.remove("X-Custos-Level");
    HttpResponse<String> r = put(web01, "web01", FULL, body, sha256(body), noLevel);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("X-Custos-Level");
    HttpResponse<String> noBase =
        put(web01, "web01", FULL, body, sha256(body), index("incr", null, T0.toString()));
    assertThat(noBase.body()).contains("X-Custos-Base");
    HttpResponse<String> badSha =
        put(web01, "web01", FULL, body, "abc", index("full", null, T0.toString()));
    assertThat(badSha.statusCode()).isEqualTo(400);
    assertThat(badSha.body()).contains("X-Custos-Sha256");
    HttpResponse<String> chunked =
        http.send(
            HttpRequest.newBuilder(uri("/api/v1/backups/web01/" + FULL))
                .header("Authorization", "Bearer " + web01)
                .header("X-Custos-Sha256", sha256(body))
                .PUT(BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                .build(),
            BodyHandlers.ofString());
    assertThat(chunked.statusCode()).isEqualTo(411);
    assertThat(store.resolve("web01").resolve(FULL)).doesNotExist();
  }

  @Test
  void anObjectOverMaxObjectSizeIs413AndHttpMaxBodyDoesNotApply() throws Exception {
    collector.close();
    collector =
        Collector.start(
            config("http: { max_body: 64KB }\nbackups: { max_object_size: 2MB }\n"), clock);
    web01 = collector.createToken("web01");
    HttpResponse<String> big = putArchive(web01, FULL, bytes(3 << 20, 13));
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(big.body()).contains("backups.max_object_size");
    // Far above http.max_body, under max_object_size.
    assertThat(putArchive(web01, FULL, bytes(1 << 20, 14)).statusCode()).isEqualTo(201);
  }

  @Test
  void rawHttpPipelinedRequestAfterAnUploadIsAnsweredInOrder() throws Exception {
    byte[] body = bytes(100_000, 15);
    StringBuilder head =
        new StringBuilder("PUT /api/v1/backups/web01/" + FULL + " HTTP/1.1\r\n")
            .append("Host: x\r\nAuthorization: Bearer ")
            .append(web01)
            .append("\r\nContent-Length: ")
            .append(body.length)
            .append("\r\nX-Custos-Sha256: ")
            .append(sha256(body))
            .append("\r\n");
    index("full", null, T0.toString())
        .forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("\r\n");
    String second =
        "GET /api/v1/backups/web01 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            + web01
            + "\r\nConnection: close\r\n\r\n";
    try (Socket s = new Socket("127.0.0.1", collector.port())) {
      OutputStream out = s.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.write(second.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(all).startsWith("HTTP/1.1 201");
      assertThat(all.indexOf("HTTP/1.1 200")).isGreaterThan(0);
      assertThat(all).contains("\"total\":1");
    }
  }

  @Test
  void retentionAtStartDeletesAnOldChainAndRecordsItInTheEventHistory() throws Exception {
    byte[] old = bytes(1000, 16);
    String oldFull = "web01.www.20261001T010000Z.full.tar.zst";
    String created = "2026-10-01T01:00:00Z";
    assertThat(
            put(web01, "web01", oldFull, old, sha256(old), index("full", null, created))
                .statusCode())
        .isEqualTo(201);
    byte[] young = bytes(1000, 17);
    assertThat(putArchive(web01, FULL, young).statusCode()).isEqualTo(201);
    collector.close();

    collector = Collector.start(config("backups: { keep: { days: 30, min_full: 1 } }\n"), clock);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !Files.exists(store.resolve("web01").resolve(oldFull)));
    assertThat(store.resolve("web01").resolve(FULL)).exists();
    String events =
        text(get(collector.createRoleToken("operator"), "/api/v1/events?host=web01&kind=alert"));
    assertThat(events).contains("Backup www").contains("retention deleted archive " + oldFull);
  }
}
