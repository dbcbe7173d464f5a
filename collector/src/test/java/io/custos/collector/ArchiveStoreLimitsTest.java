package io.custos.collector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.custos.collector.alert.AlertState;
import io.custos.collector.archive.ArchiveSpaceCheck;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21, "the archive store cannot starve the history store": over loopback HTTP, a node that
 * uploads until its quota or the volume's reserve is hit gets 507 naming the limit, while other
 * nodes' reports are still stored and their problems still alert; the collector's own {@value
 * ArchiveSpaceCheck#SERVICE} service tells. Also: an unwritable store is reported, files are
 * private, and index fields that would confuse retention are refused.
 */
@Timeout(300)
class ArchiveStoreLimitsTest {
  static final Instant T0 = Instant.parse("2026-11-27T01:00:00Z");

  @TempDir Path dir;
  final TestClock clock = new TestClock(T0.plusSeconds(3600), ZoneOffset.UTC);
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  final ObjectMapper json = new ObjectMapper();
  Collector collector;

  void start(String backups) throws Exception {
    collector =
        Collector.start(
            CollectorConfig.parse(
                "listen: 127.0.0.1:0\nstore: { sqlite: '"
                    + dir.resolve("c.db")
                    + "' }\nbackups: { store: '"
                    + dir.resolve("backups")
                    + "', "
                    + backups
                    + " }\n",
                "test.yml"),
            clock);
  }

  @AfterEach
  void stop() {
    if (collector != null) {
      collector.close();
    }
  }

  HttpResponse<String> upload(String token, int i, byte[] body) throws Exception {
    String created = T0.plusSeconds(i).toString();
    return upload(token, name(created, "full"), created, "full", null, body);
  }

  static String name(String created, String level) {
    return "web01.www." + created.replaceAll("[-:]", "") + "." + level + ".tar.zst";
  }

  HttpResponse<String> upload(
      String token, String object, String created, String level, String base, byte[] body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + collector.port() + "/api/v1/backups/web01/" + object))
            .header("Authorization", "Bearer " + token)
            .header(
                "X-Custos-Sha256",
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)))
            .header("X-Custos-Set", "www")
            .header("X-Custos-Level", level)
            .header("X-Custos-Created", created)
            .header("X-Custos-Encrypted", "none")
            .header("X-Custos-Manifest", object + ".manifest.json")
            .timeout(Duration.ofSeconds(60))
            .PUT(BodyPublishers.ofByteArray(body));
    if (base != null) {
      b.header("X-Custos-Base", base);
    }
    return http.send(b.build(), BodyHandlers.ofString());
  }

  /** web02 reports LOAD CRITICAL three times over HTTP; each must be stored. */
  void otherNodeStillAlerts() throws Exception {
    String web02 = collector.createToken("web02");
    for (int seq = 1; seq <= 3; seq++) {
      byte[] body =
          new WireCodec()
              .encode(
                  TestReports.report(
                      "web02",
                      seq,
                      clock.millis(),
                      TestReports.result(
                          "Load", Status.CRITICAL, "LOAD CRITICAL - 24.1", clock.millis())));
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + collector.port() + "/api/v1/reports"))
                  .header("Authorization", "Bearer " + web02)
                  .header("Content-Type", "application/json")
                  .timeout(Duration.ofSeconds(10))
                  .POST(BodyPublishers.ofByteArray(body))
                  .build(),
              BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(json.readTree(r.body()).get("stored").asBoolean()).isTrue();
      clock.advance(Duration.ofSeconds(30));
    }
    AlertState load = collector.alerts().states().get("web02\0Load");
    assertThat(load.hard()).isTrue();
    assertThat(load.hardStatus()).isEqualTo(Status.CRITICAL);
  }

  @Test
  void aNodeUploadingUntilTheReserveIsHitGets507AndOtherNodesStillAlert() throws Exception {
    // The reserve is set just below what the volume has free now, so a few MiB of uploads reach
    // it (or none, if other processes filled the disk meanwhile): either way the node must get a
    // 507 naming the reserve, never a full disk.
    long free = Files.getFileStore(dir).getUsableSpace();
    start("reserve: " + (free - (8L << 20)));
    String web01 = collector.createToken("web01");
    byte[] mib = new byte[1 << 20];
    new Random(1).nextBytes(mib);
    HttpResponse<String> last = null;
    for (int i = 0; i < 256; i++) {
      last = upload(web01, i, mib);
      if (last.statusCode() != 201) {
        break;
      }
    }
    assertThat(last.statusCode()).as(last.body()).isEqualTo(507);
    assertThat(last.body()).contains("backups.reserve of").contains("kept for the history store");

    otherNodeStillAlerts();

    // the collector's own service says uploads are refused
    clock.advance(Duration.ofSeconds(60)); // a later report than the one made at start
    new SelfReport(collector.alerts(), collector.archives(), clock).run();
    var service =
        collector.store().services(SelfReport.HOST).stream()
            .filter(s -> s.service().equals(ArchiveSpaceCheck.SERVICE))
            .findFirst()
            .orElseThrow();
    assertThat(service.status()).isEqualTo(Status.CRITICAL);
    assertThat(service.output()).startsWith("ARCHIVE STORE CRITICAL - uploads are refused (507)");
  }

  @Test
  void aNodePastItsQuotaGets507NamingTheQuota() throws Exception {
    start("node_quota: 3MiB");
    String web01 = collector.createToken("web01");
    byte[] mib = new byte[1 << 20];
    new Random(2).nextBytes(mib);
    assertThat(upload(web01, 0, mib).statusCode()).isEqualTo(201);
    assertThat(upload(web01, 1, mib).statusCode()).isEqualTo(201);
    HttpResponse<String> third = upload(web01, 2, mib);
    assertThat(third.statusCode()).as(third.body()).isEqualTo(507);
    assertThat(third.body())
        .contains("node web01 holds")
        .contains("backups.node_quota of 3145728 bytes (3.0 MiB)");
    otherNodeStillAlerts();
  }

  @Test
  void objectsAndNodeDirectoriesArePrivateWhateverTheUmask() throws Exception {
    start("node_quota: 3MiB");
    String web01 = collector.createToken("web01");
    assertThat(upload(web01, 0, new byte[1000]).statusCode()).isEqualTo(201);
    Path node = dir.resolve("backups/web01");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(node)))
        .isEqualTo("rwx------");
    try (var files = Files.list(node)) {
      files
          .filter(Files::isRegularFile)
          .forEach(
              f -> {
                try {
                  assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                      .as(f.toString())
                      .isEqualTo("rw-------");
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
    }
  }

  @Test
  void anUnwritableStoreIsReportedInHealthzAndTheCollectorsService() throws Exception {
    Path backups = dir.resolve("backups");
    Files.createDirectories(backups);
    start("node_quota: 3MiB");
    // as left by build-tree commands run as root; as root, only the immutable flag stops writes
    Files.setPosixFilePermissions(backups, PosixFilePermissions.fromString("r-x------"));
    boolean immutable = false;
    try {
      if (probeWritable(backups)) {
        immutable = new ProcessBuilder("chattr", "+i", backups.toString()).start().waitFor() == 0;
      }
      org.junit.jupiter.api.Assumptions.assumeFalse(
          probeWritable(backups), "neither permissions nor chattr +i stop writes here");
      String web01 = collector.createToken("web01");
      HttpResponse<String> r = upload(web01, 0, new byte[1000]);
      assertThat(r.statusCode()).isEqualTo(500);
      JsonNode health =
          json.readTree(
              http.send(
                      HttpRequest.newBuilder(
                              URI.create("http://127.0.0.1:" + collector.port() + "/healthz"))
                          .build(),
                      BodyHandlers.ofString())
                  .body());
      assertThat(health.get("status").asText()).isEqualTo("degraded");
      assertThat(health.get("archive_store").asText()).isEqualTo("not writable");
      // AccessDeniedException for permissions, FileSystemException for chattr +i
      assertThat(health.get("archive_error").asText())
          .matches(
              "cannot start an upload: (AccessDenied|FileSystem)Exception, see the collector log");
      // the collector's own service goes CRITICAL, naming the store and the failure
      clock.advance(Duration.ofSeconds(60)); // a later report than the one made at start
      new SelfReport(collector.alerts(), collector.archives(), clock).run();
      var service =
          collector.store().services(SelfReport.HOST).stream()
              .filter(s -> s.service().equals(ArchiveSpaceCheck.SERVICE))
              .findFirst()
              .orElseThrow();
      assertThat(service.status()).isEqualTo(Status.CRITICAL);
      assertThat(service.output()).contains("cannot write in the archive store " + backups);
    } finally {
      if (immutable) {
        new ProcessBuilder("chattr", "-i", backups.toString()).start().waitFor();
      }
      Files.setPosixFilePermissions(backups, PosixFilePermissions.fromString("rwx------"));
    }
  }

  static boolean probeWritable(Path d) {
    try {
      Files.delete(Files.createTempFile(d, "probe", ""));
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Test
  void aCreationTimeIn2099OrABaseNamingItselfOrAMissingObjectIsRefusedNamingTheField()
      throws Exception {
    start("node_quota: 3MiB");
    String web01 = collector.createToken("web01");
    byte[] body = new byte[100];

    String future = "2099-01-01T00:00:00Z";
    HttpResponse<String> r = upload(web01, name(future, "full"), future, "full", null, body);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body())
        .contains("X-Custos-Created: 2099-01-01T00:00:00Z is more than a day after");

    String created = T0.toString();
    String self = name(created, "incr");
    r = upload(web01, self, created, "incr", self, body);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("X-Custos-Base: " + self + " names the archive itself");

    String missing = name("2026-11-20T01:00:00Z", "full");
    r = upload(web01, self, created, "incr", missing, body);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("X-Custos-Base: " + missing + " is not an archive stored");

    // with the base stored, the same incremental is published
    assertThat(upload(web01, missing, "2026-11-20T01:00:00Z", "full", null, body).statusCode())
        .isEqualTo(201);
    assertThat(upload(web01, self, created, "incr", missing, body).statusCode()).isEqualTo(201);
  }
}
