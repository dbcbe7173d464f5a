package io.custos.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.custos.collector.config.CollectorConfig;
import io.custos.collector.store.Role;
import io.custos.collector.store.Store;
import io.custos.collector.store.Stores;
import io.custos.collector.store.Tokens;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An archive far larger than the collector's heap streams to disk: a collector started in a child
 * JVM with {@value #HEAP} receives a 1 GiB upload (generated on the fly, never held by the test)
 * and publishes it. Were the body aggregated anywhere, the child would fail with an
 * OutOfMemoryError instead.
 */
@Timeout(600)
class ArchiveUploadHeapTest {
  static final String HEAP = "-Xmx64m";
  static final int BLOCK = 1 << 20;
  static final int BLOCKS = 1024;
  static final String NAME = "web01.www.20261127T010000Z.full.tar.zst.age";

  @TempDir Path dir;

  @Test
  void oneGibibyteUploadStreamsThroughA64MibHeap() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path yml = dir.resolve("collector.yml");
    Files.writeString(
        yml, "listen: 127.0.0.1:" + port + "\nstore: { sqlite: '" + dir.resolve("c.db") + "' }\n");
    String token;
    try (Store store = Stores.open(CollectorConfig.load(yml), Clock.systemUTC())) {
      token = new Tokens().issue(store, Role.NODE, "web01");
    }
    byte[] block = new byte[BLOCK];
    new Random(14).nextBytes(block);
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (int i = 0; i < BLOCKS; i++) {
      md.update(block);
    }
    String sha = HexFormat.of().formatHex(md.digest());
    long size = (long) BLOCK * BLOCKS;

    Path log = dir.resolve("collector.log");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child =
        new ProcessBuilder(
                java,
                HEAP,
                "-cp",
                System.getProperty("java.class.path"),
                "io.custos.collector.cli.CollectorMain",
                "run",
                "--config",
                yml.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> Files.readString(log).contains("listening on"));
      String head =
          "PUT /api/v1/backups/web01/"
              + NAME
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
              + token
              + "\r\nContent-Length: "
              + size
              + "\r\nX-Custos-Sha256: "
              + sha
              + "\r\nX-Custos-Set: www\r\nX-Custos-Level: full\r\n"
              + "X-Custos-Created: 2026-11-27T01:00:00Z\r\nX-Custos-Encrypted: age\r\n"
              + "X-Custos-Manifest: web01.www.20261127T010000Z.full.tar.zst.manifest.json.age\r\n"
              + "Connection: close\r\n\r\n";
      String answer;
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.setSoTimeout(300_000);
        OutputStream out = s.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < BLOCKS; i++) {
          out.write(block);
        }
        out.flush();
        answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      }

      assertThat(answer).as(Files.readString(log)).startsWith("HTTP/1.1 201");
      assertThat(child.isAlive()).isTrue();
      assertThat(Files.size(dir.resolve("backups/web01").resolve(NAME))).isEqualTo(size);
      assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
    } finally {
      child.destroy();
      child.waitFor();
    }
  }
}
