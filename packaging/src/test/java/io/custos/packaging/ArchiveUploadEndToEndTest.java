package io.custos.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import io.custos.agent.backup.BackupRunner;
import io.custos.agent.backup.BackupSetConfig;
import io.custos.agent.backup.Compression;
import io.custos.agent.backup.Level;
import io.custos.agent.backup.Manifest;
import io.custos.agent.backup.Uploader;
import io.custos.agent.ship.ArchiveClient;
import io.custos.collector.Collector;
import io.custos.collector.config.CollectorConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Backups off the node and back, over real loopback HTTP to a collector with a real SQLite file and
 * archive store: a full and an incremental are made (clear or age-encrypted), uploaded by the
 * agent's queue (the first archive upload is cut off mid-body, which publishes nothing, and the
 * "restarted" uploader retries it to completion), the catalog is checked with a restore token, and
 * {@code custos-agent restore --from} in a separate JVM with no agent.yml restores the chain into a
 * fresh directory, compared bit-exact with the live tree by {@code treecmp.py}.
 */
class ArchiveUploadEndToEndTest {
  private static final String NODE = "n1";

  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  /** A clock the test moves. */
  private static final class MovingClock extends Clock {
    private Instant now;

    MovingClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @ParameterizedTest(name = "encrypted={0}")
  @ValueSource(booleans = {false, true})
  void backupUploadCatalogAndDisasterRecoveryIntoAFreshDirectoryAreBitExact(boolean encrypted)
      throws Exception {
    assumeTrue(
        run(List.of("python3", "--version")).exit == 0,
        "needs python3 (Debian package python3) for treecmp.py");
    Collector collector =
        Collector.start(
            CollectorConfig.parse(
                "listen: 127.0.0.1:0\nstore: { sqlite: '"
                    + dir.resolve("collector/c.db")
                    + "' }\nbackups: { store: '"
                    + dir.resolve("collector/backups")
                    + "' }\n",
                "test.yml"),
            Clock.systemUTC());
    open.add(collector);
    URI url = URI.create("http://127.0.0.1:" + collector.port());
    String nodeToken = collector.createToken(NODE);
    String restoreToken = collector.createRoleToken("restore");

    KeyPair kp = new X25519KeyPairGenerator().generateKeyPair();
    Path key = dir.resolve("offline/key.txt");
    Files.createDirectories(key.getParent());
    Files.writeString(key, "# public key: " + kp.getPublic() + "\n" + kp.getPrivate() + "\n");

    Path src = dir.resolve("node/src");
    Path site = src.resolve("site");
    Files.createDirectories(site.resolve("css"));
    Files.writeString(site.resolve("index.html"), "<h1>v1</h1>\n");
    Files.writeString(site.resolve("css/site.css"), "body { color: black }\n");
    Files.writeString(site.resolve("old.html"), "old\n");
    Files.write(site.resolve("blob.bin"), random(2_000_000));
    Files.createSymbolicLink(site.resolve("home.html"), Path.of("index.html"));
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
            encrypted ? new BackupSetConfig.Encrypt(List.of(kp.getPublic().toString())) : null,
            null,
            null);
    Path archives = dir.resolve("node/archives");
    MovingClock clock = new MovingClock(Instant.parse("2026-11-29T01:00:00Z"));
    BackupRunner.Outcome full = new BackupRunner(NODE, archives, clock).run(set, Level.FULL);
    assertThat(full.ok()).as(full.message()).isTrue();
    Files.writeString(site.resolve("index.html"), "<h1>v2</h1>\n");
    Files.delete(site.resolve("old.html"));
    Files.writeString(site.resolve("css/new.css"), "p {}\n");
    Files.setLastModifiedTime(
        site.resolve("css"), FileTime.from(Instant.parse("2026-11-29T12:00:00Z")));
    clock.advance(Duration.ofDays(1));
    BackupRunner.Outcome incr = new BackupRunner(NODE, archives, clock).run(set, Level.INCR);
    assertThat(incr.ok()).as(incr.message()).isTrue();

    ArchiveClient client = new ArchiveClient(url, nodeToken, "custos-agent/e2e", null);
    // The first archive upload dies half-way through its body, like a killed daemon.
    Uploader.Remote cutOnce = new CutOnce(ArchiveClient.remote(client), url, nodeToken);
    Uploader first = new Uploader(NODE, archives, cutOnce, clock);
    open.add(first);
    first.enqueue("www", full.archive());
    first.enqueue("www", incr.archive());
    assertThat(first.drain()).isZero();
    assertThat(first.pending()).hasSize(2);
    assertThat(first.pending().get(0).lastError()).contains("killed mid-body");
    assertThat(client.head(NODE, full.archive().getFileName().toString()))
        .as("a cut upload publishes nothing")
        .isEmpty();

    Uploader restarted = new Uploader(NODE, archives, ArchiveClient.remote(client), clock);
    open.add(restarted);
    assertThat(restarted.drain()).as("not before the backoff").isZero();
    clock.advance(Duration.ofSeconds(30));
    assertThat(restarted.drain()).isEqualTo(2);
    assertThat(restarted.pending()).isEmpty();

    List<ArchiveClient.Entry> catalog =
        new ArchiveClient(url, restoreToken, "e2e", null).catalog(NODE, "www");
    assertThat(catalog)
        .extracting(ArchiveClient.Entry::object)
        .containsExactly(
            incr.archive().getFileName().toString(), full.archive().getFileName().toString());
    ArchiveClient.Entry newest = catalog.get(0);
    assertThat(newest.level()).isEqualTo("incr");
    assertThat(newest.base()).isEqualTo(full.archive().getFileName().toString());
    assertThat(newest.encrypted()).isEqualTo(encrypted ? "age" : "none");
    assertThat(newest.manifest())
        .isEqualTo(Manifest.sealedFileFor(incr.archive()).getFileName().toString());
    assertThat(newest.size()).isEqualTo(Files.size(incr.archive()));
    assertThat(newest.sha256()).isEqualTo(ArchiveClient.sha256(incr.archive()));

    // Disaster recovery on a "fresh machine": another JVM, no agent.yml, its own directory.
    Path fresh = Files.createDirectories(dir.resolve("fresh"));
    Path tokenFile = fresh.resolve("restore.token");
    Files.writeString(tokenFile, restoreToken + "\n");
    Result listed =
        agent(
            fresh,
            Map.of("CUSTOS_TOKEN", restoreToken),
            "restore",
            "--from",
            url.toString(),
            "--node",
            NODE,
            "--list");
    assertThat(listed.exit).as(listed.output).isZero();
    assertThat(listed.output)
        .contains(full.archive().getFileName().toString())
        .contains(incr.archive().getFileName().toString())
        .contains("2 archive(s) of n1");

    List<String> restore =
        new ArrayList<>(
            List.of(
                "restore",
                "--from",
                url.toString(),
                "--node",
                NODE,
                "--set",
                "www",
                "--token-file",
                tokenFile.toString(),
                "--to",
                fresh.resolve("restored").toString()));
    if (encrypted) {
      Result noKey = agent(fresh, Map.of(), restore.toArray(new String[0]));
      assertThat(noKey.exit).as(noKey.output).isEqualTo(3);
      assertThat(noKey.output).contains("--identity FILE");
      restore.addAll(List.of("--identity", key.toString()));
    }
    Result restored = agent(fresh, Map.of(), restore.toArray(new String[0]));
    assertThat(restored.exit).as(restored.output).isZero();
    assertThat(restored.output).contains("from 2 archive(s)");
    try (var s = Files.list(fresh)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .as("the downloads are gone")
          .containsExactlyInAnyOrder("restore.token", "restored");
    }
    Result compared =
        run(
            List.of(
                "python3",
                Path.of(getClass().getResource("treecmp.py").toURI()).toString(),
                src.toString(),
                fresh.resolve("restored").toString()));
    assertThat(compared.exit).as(compared.output).isZero();
    assertThat(compared.output).contains("0 differences");

    // --at the first day restores the full alone
    Result atFull =
        agent(
            fresh,
            Map.of(),
            "restore",
            "--from",
            url.toString(),
            "--node",
            NODE,
            "--set",
            "www",
            "--at",
            "2026-11-29T06:00:00Z",
            "--token-file",
            tokenFile.toString(),
            "--identity",
            key.toString(),
            "--to",
            fresh.resolve("at-full").toString());
    assertThat(atFull.exit).as(atFull.output).isZero();
    assertThat(Files.readString(fresh.resolve("at-full/site/index.html")))
        .isEqualTo("<h1>v1</h1>\n");
    assertThat(fresh.resolve("at-full/site/old.html")).exists();
  }

  /** Delegates to the real client, but cuts the first archive PUT off half-way. */
  private static final class CutOnce implements Uploader.Remote {
    private final Uploader.Remote real;
    private final URI url;
    private final String token;
    private boolean cut;

    CutOnce(Uploader.Remote real, URI url, String token) {
      this.real = real;
      this.url = url;
      this.token = token;
    }

    @Override
    public Optional<String> sha256(String node, String object) throws IOException {
      return real.sha256(node, object);
    }

    @Override
    public void put(String node, String object, Path file, Map<String, String> index, String sha256)
        throws IOException {
      if (cut || index.isEmpty()) {
        real.put(node, object, file, index, sha256);
        return;
      }
      cut = true;
      long size = Files.size(file);
      HttpURLConnection c =
          (HttpURLConnection)
              URI.create(url + "/api/v1/backups/" + node + "/" + object).toURL().openConnection();
      c.setRequestMethod("PUT");
      c.setDoOutput(true);
      c.setFixedLengthStreamingMode(size);
      c.setRequestProperty("Authorization", "Bearer " + token);
      c.setRequestProperty("X-Custos-Sha256", ArchiveClient.sha256(file));
      index.forEach(c::setRequestProperty);
      OutputStream out = c.getOutputStream();
      try (InputStream in = Files.newInputStream(file)) {
        out.write(in.readNBytes((int) (size / 2)));
        out.flush();
      }
      c.disconnect();
      throw new IOException("killed mid-body after " + size / 2 + " of " + size + " bytes");
    }
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new java.util.Random(42).nextBytes(b);
    return b;
  }

  private record Result(int exit, String output) {}

  /** {@code custos-agent ARGS} in a new JVM in {@code cwd}, with only {@code env} added. */
  private static Result agent(Path cwd, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.custos.agent.cli.AgentMain");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
    pb.environment().remove("CUSTOS_TOKEN");
    pb.environment().putAll(env);
    return finish(pb.start());
  }

  private static Result run(List<String> cmd) throws IOException, InterruptedException {
    return finish(new ProcessBuilder(cmd).redirectErrorStream(true).start());
  }

  private static Result finish(Process p) throws IOException, InterruptedException {
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + out);
    }
    return new Result(p.exitValue(), out);
  }
}
