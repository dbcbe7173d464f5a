package io.custos.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import io.custos.agent.backup.TestClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An encrypted set through the CLI: backup, list, verify and restore need --identity. */
class EncryptedBackupCliTest {
  @TempDir Path dir;

  private final TestClock clock = new TestClock("2026-11-29T01:00:00Z");
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    AgentMain.Env env =
        new AgentMain.Env(Map.of(), dir.resolve("no-such.yml"), Path.of("/"), clock);
    return AgentMain.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void restoreAndVerifyOfAnEncryptedSetSayWhichOptionIsMissingAndWorkWithIt() throws Exception {
    KeyPair kp = new X25519KeyPairGenerator().generateKeyPair();
    Path key = dir.resolve("key.txt");
    Files.writeString(key, "# public key: " + kp.getPublic() + "\n" + kp.getPrivate() + "\n");
    Path site = Files.createDirectories(dir.resolve("live/site"));
    Files.writeString(site.resolve("index.html"), "<h1>secret</h1>\n");
    Path cfg = dir.resolve("agent.yml");
    Files.writeString(
        cfg,
        "node: n1\nbackups:\n  directory: "
            + dir.resolve("archives")
            + "\n  sets:\n    - name: www\n      root: "
            + dir.resolve("live")
            + "\n      paths: [site]\n      compression: zstd\n      encrypt: { age_recipients: ["
            + kp.getPublic()
            + "] }\n");
    String c = cfg.toString();
    assertThat(run("backup", "run", "-c", c, "--set", "www")).as(err.toString()).isZero();
    String archive = "n1.www.20261129T010000Z.full.tar.zst.age";
    assertThat(Files.exists(dir.resolve("archives").resolve(archive))).isTrue();

    assertThat(run("backup", "list", "-c", c)).isZero();
    assertThat(out.toString()).contains(archive).contains("full");

    assertThat(run("backup", "verify", "-c", c, archive)).isEqualTo(3);
    assertThat(err.toString()).contains("encrypted with age").contains("--identity FILE");
    assertThat(run("backup", "verify", "-c", c, archive, "--identity", key.toString()))
        .as(err.toString())
        .isZero();
    assertThat(out.toString()).startsWith("OK: " + archive);

    Path to = dir.resolve("restored");
    assertThat(run("restore", "-c", c, "--set", "www", "--to", to.toString())).isEqualTo(3);
    assertThat(err.toString()).contains("encrypted with age").contains("--identity FILE");
    assertThat(
            run(
                "restore",
                "-c",
                c,
                "--set",
                "www",
                "--identity",
                key.toString(),
                "--to",
                dir.resolve("restored2").toString()))
        .as(err.toString())
        .isZero();
    assertThat(Files.readString(dir.resolve("restored2/site/index.html")))
        .isEqualTo("<h1>secret</h1>\n");

    assertThat(run("restore", "--identity", dir.resolve("nope.txt").toString(), "--set", "www"))
        .isEqualTo(3);
    assertThat(err.toString()).contains("--identity: identity file").contains("does not exist");
    assertThat(run("restore", "--list", "--set", "www", "--to", "/tmp/x")).isEqualTo(3);
    assertThat(err.toString()).contains("--list goes with --from");
  }
}
