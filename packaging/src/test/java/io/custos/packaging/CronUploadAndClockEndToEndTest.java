package io.custos.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.custos.agent.backup.BackupRunner;
import io.custos.agent.backup.BackupSetConfig;
import io.custos.agent.backup.Compression;
import io.custos.agent.backup.Level;
import io.custos.agent.backup.Uploader;
import io.custos.agent.ship.ArchiveClient;
import io.custos.collector.Collector;
import io.custos.collector.config.CollectorConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22 against a real collector: {@code backup run} from cron with no daemon, then {@code
 * backup upload}, sends the archive; and a node whose clock stepped back a day between a full and
 * an incremental uploads the full first, and {@code restore --from} (newest) restores the
 * incremental's data, every file checked against the downloaded manifests.
 */
class CronUploadAndClockEndToEndTest {
  private static final String NODE = "web01";

  @TempDir Path dir;

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private Collector collector() throws Exception {
    Collector c =
        Collector.start(
            CollectorConfig.parse(
                "listen: 127.0.0.1:0\nstore: { sqlite: '"
                    + dir.resolve("collector/c.db")
                    + "' }\nbackups: { store: '"
                    + dir.resolve("collector/backups")
                    + "' }\n",
                "test.yml"),
            Clock.systemUTC());
    open.add(c);
    return c;
  }

  @Test
  void backupRunFromCronThenBackupUploadSendsTheArchive() throws Exception {
    Collector collector = collector();
    Path site = Files.createDirectories(dir.resolve("node/src/site"));
    Files.writeString(site.resolve("index.html"), "<h1>cron</h1>\n");
    Path token = dir.resolve("node/agent.token");
    Files.writeString(token, collector.createToken(NODE) + "\n");
    Path cfg = dir.resolve("node/agent.yml");
    Files.writeString(
        cfg,
        "node: "
            + NODE
            + "\ncollector: { url: 'http://127.0.0.1:"
            + collector.port()
            + "', token_file: '"
            + token
            + "' }\nbackups:\n  directory: "
            + dir.resolve("node/archives")
            + "\n  sets:\n    - name: www\n      root: "
            + dir.resolve("node/src")
            + "\n      paths: [site]\n      compression: zstd\n");

    Result run = agent(Map.of(), "backup", "run", "-c", cfg.toString(), "--set", "www");
    assertThat(run.exit).as(run.output).isZero();
    Result upload = agent(Map.of(), "backup", "upload", "-c", cfg.toString());
    assertThat(upload.exit).as(upload.output).isZero();
    assertThat(upload.output).contains("OK: 1 archive(s) sent to http://127.0.0.1:");

    URI url = URI.create("http://127.0.0.1:" + collector.port());
    String restoreToken = collector.createRoleToken("restore");
    assertThat(new ArchiveClient(url, restoreToken, "e2e", null).catalog(NODE, "www")).hasSize(1);
    Result again = agent(Map.of(), "backup", "upload", "-c", cfg.toString());
    assertThat(again.exit).as(again.output).isZero();
    assertThat(again.output).contains("OK: 0 archive(s) sent").contains("0 still queued");
  }

  @Test
  void aClockSteppingBackUploadsInChainOrderAndDisasterRecoveryRestoresTheTip() throws Exception {
    Collector collector = collector();
    URI url = URI.create("http://127.0.0.1:" + collector.port());
    Path src = dir.resolve("node/src");
    Path site = Files.createDirectories(src.resolve("site"));
    Files.writeString(site.resolve("page.html"), "v1\n");
    BackupSetConfig set =
        new BackupSetConfig(
            "www",
            src,
            List.of(Path.of("site")),
            null,
            Compression.ZSTD,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    Path archives = dir.resolve("node/archives");
    Clock day2 = Clock.fixed(Instant.parse("2026-11-29T01:00:00Z"), ZoneOffset.UTC);
    Clock day1 = Clock.fixed(Instant.parse("2026-11-28T01:00:00Z"), ZoneId.of("UTC"));
    BackupRunner.Outcome full = new BackupRunner(NODE, archives, day2).run(set, Level.FULL);
    assertThat(full.ok()).as(full.message()).isTrue();
    Files.writeString(site.resolve("page.html"), "v2, the newest data\n");
    BackupRunner.Outcome incr = new BackupRunner(NODE, archives, day1).run(set, Level.INCR);
    assertThat(incr.ok()).as(incr.message()).isTrue();
    assertThat(incr.warnings()).anyMatch(w -> w.startsWith("the clock went back"));

    Uploader u =
        new Uploader(
            NODE,
            archives,
            ArchiveClient.remote(new ArchiveClient(url, collector.createToken(NODE), "e2e", null)),
            day1);
    open.add(u);
    u.enqueue("www", full.archive());
    u.enqueue("www", incr.archive());
    assertThat(u.pending())
        .extracting(Uploader.Pending::archive)
        .containsExactly(
            full.archive().getFileName().toString(), incr.archive().getFileName().toString());
    assertThat(u.drain()).isEqualTo(2);

    Path fresh = Files.createDirectories(dir.resolve("fresh"));
    Result restored =
        agent(
            Map.of("CUSTOS_TOKEN", collector.createRoleToken("restore")),
            "restore",
            "--from",
            url.toString(),
            "--node",
            NODE,
            "--set",
            "www",
            "--to",
            fresh.resolve("restored").toString());
    assertThat(restored.exit).as(restored.output).isZero();
    assertThat(restored.output).contains("from 2 archive(s)");
    assertThat(fresh.resolve("restored/site/page.html")).hasContent("v2, the newest data");
  }

  private record Result(int exit, String output) {}

  /** {@code custos-agent ARGS} in a new JVM, with only {@code env} added. */
  private Result agent(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.custos.agent.cli.AgentMain");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().remove("CUSTOS_TOKEN");
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + out);
    }
    return new Result(p.exitValue(), out);
  }
}
